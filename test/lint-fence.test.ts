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

/** Evaluated again for every open workflow (test/workflow-bundle-size.test.ts): validation, dates, documents, XML. */
const heavyInWorkflows = [
  "import { z } from 'zod';",
  "import { format } from 'date-fns';",
  "import { formatISO } from 'date-fns/formatISO';",
  "import { TZDate } from '@date-fns/tz';",
  "import PDFDocument from 'pdfkit';",
  "import { DOMParser } from '@xmldom/xmldom';",
  "import { isValidNorwegianAccountNumber } from '../domain/ehf/bank-account';",
  "import { FONT_FILES } from '../documents/fonts';",
  "import { LedgerClient } from '../adapters/ledger/ledger-client';",
];
const typesOfHeavyCode = [
  "import type { z } from 'zod';",
  "import type { BillingDocument } from '../domain/ehf/model';",
  "import type { FontWeight } from '../documents/fonts';",
  'export type Probe = [z.ZodType, BillingDocument, FontWeight];',
];

const probes = {
  forbidden: { path: join(root, 'workflows', `lint-probe-${process.pid}-forbidden.ts`), code: [...forbiddenInWorkflows, 'export const x = [readFileSync, createHash, got, Client, createActivities];'] },
  heavy: { path: join(root, 'workflows', `lint-probe-${process.pid}-heavy.ts`), code: heavyInWorkflows },
  allowed: { path: join(root, 'workflows', `lint-probe-${process.pid}-allowed.ts`), code: [...allowedInWorkflows, ...typesOfHeavyCode] },
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

  test('refuses zod, date-fns, PDF and XML libraries, EHF, document and adapter code in workflows/: every open workflow would evaluate them', () => {
    expect(restrictedImportLines('heavy')).toEqual(heavyInWorkflows.map((_, i) => i + 1));
  });

  test('allows activity types, the workflow API, pure domain code and the types of heavy code in workflows/', () => {
    expect(restrictedImportLines('allowed')).toEqual([]);
  });

  test('refuses Node built-ins in domain/ too', () => {
    expect(restrictedImportLines('domain')).toEqual([1]);
  });
});
