import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * The lint fence around workflows/: workflow code runs in Temporal's deterministic sandbox, so
 * Node built-ins and I/O packages are refused there, and activities come in as types only.
 * Probe files are linted by the project's own ESLint CLI in one run (type-aware linting is slow).
 */
const root = join(__dirname, '..');

const forbiddenInWorkflows = [
  "import { readFileSync } from 'node:fs';",
  "import { createHash } from 'crypto';",
  "import got from 'got';",
  "import { Client } from '@temporalio/client';",
  "import { createActivities } from '../activities';",
];
const allowedInWorkflows = [
  "import type { Activities } from '../activities';",
  "import { proxyActivities } from '@temporalio/workflow';",
  "import { oreFromKroner } from '../domain/money';",
  'export const a = proxyActivities<Activities>({ startToCloseTimeout: 1000 });',
  'export const b = oreFromKroner(1);',
];

const probes = {
  forbidden: { path: join(root, 'workflows', `lint-probe-${process.pid}-forbidden.ts`), code: [...forbiddenInWorkflows, 'export const x = [readFileSync, createHash, got, Client, createActivities];'] },
  allowed: { path: join(root, 'workflows', `lint-probe-${process.pid}-allowed.ts`), code: allowedInWorkflows },
  domain: { path: join(root, 'domain', `lint-probe-${process.pid}.ts`), code: ["import { readFileSync } from 'node:fs';", 'export const x = readFileSync;'] },
};

interface LintResult {
  filePath: string;
  messages: { ruleId: string | null; message: string; line: number }[];
}

let results: LintResult[] = [];

beforeAll(() => {
  try {
    for (const probe of Object.values(probes)) writeFileSync(probe.path, `${probe.code.join('\n')}\n`);
    const run = spawnSync(
      process.execPath,
      [join(root, 'node_modules', 'eslint', 'bin', 'eslint.js'), '--format', 'json', ...Object.values(probes).map((p) => relative(root, p.path))],
      { cwd: root, encoding: 'utf8' },
    );
    if (run.stdout.trim() === '') throw new Error(`eslint printed nothing: ${run.stderr}`);
    results = JSON.parse(run.stdout) as LintResult[];
  } finally {
    for (const probe of Object.values(probes)) rmSync(probe.path, { force: true });
  }
});

function restrictedImportLines(probe: keyof typeof probes): number[] {
  const result = results.find((r) => r.filePath === probes[probe].path);
  if (!result) throw new Error(`eslint did not lint ${probes[probe].path}`);
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.line);
}

describe('the lint fence around workflow code', () => {
  test('refuses Node built-ins, I/O packages, the client and activity implementations in workflows/', () => {
    expect(restrictedImportLines('forbidden')).toEqual([1, 2, 3, 4, 5]);
  });

  test('allows activity types, the workflow API and pure domain code in workflows/', () => {
    expect(restrictedImportLines('allowed')).toEqual([]);
  });

  test('refuses Node built-ins in domain/ too', () => {
    expect(restrictedImportLines('domain')).toEqual([1]);
  });
});
