import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cachedWorkflowBundle } from '../../worker/workflow-bundle-cache';
import { workflowBundleOptions } from '../../worker/workflow-bundle-location';
import { runProjectCommand } from '../helpers/run-command';

/**
 * The container image makes the workflow bundle at build time (Dockerfile, `bundle-workflows`),
 * because its runtime user cannot write a cache: a worker started with WORKFLOW_BUNDLE_DIR reads
 * that bundle instead of running webpack, and never a bundle made from other files than its own.
 */
describe('a workflow bundle made ahead of time', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'bundle-ahead-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is built by the command and read by a worker as it is, without bundling again', async () => {
    const run = await runProjectCommand('worker/bundle-workflows.ts', ['--out', dir], {}, { timeoutMs: 120_000 });
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Workflow bundle built in \d+\.\d s in .+ \(\d+ KiB\)\.$/m);

    const warnings: string[] = [];
    const read = await cachedWorkflowBundle(workflowBundleOptions(dir, (message) => warnings.push(message)));
    expect(read.source).toBe('cache');
    expect(warnings).toEqual([]);
  }, 150_000);

  it('is not used by a worker whose files differ from those it was made from', async () => {
    const manifestFile = join(dir, 'workflows.manifest.json');
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { sources: Record<string, string> };
    const workflowFile = Object.keys(manifest.sources).find((file) => file.endsWith('invoice-workflow.ts'));
    expect(workflowFile).toBeDefined();
    // As if the image's workflow code had been changed after the bundle was made.
    manifest.sources[workflowFile ?? ''] = '0'.repeat(64);
    writeFileSync(manifestFile, JSON.stringify(manifest));

    const read = await cachedWorkflowBundle(workflowBundleOptions(dir, () => undefined));
    expect(read.source).toBe('bundled');
  }, 150_000);

  it('is not used by a worker of another checkout, though it names files of this one', async () => {
    const manifestFile = join(dir, 'workflows.manifest.json');
    // Made afresh by the test before: every file it names is unchanged, only the entry differs.
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { workflowsPath: string };
    const options = workflowBundleOptions(dir, () => undefined);
    expect(manifest.workflowsPath).toBe(options.workflowsPath);
    const elsewhere = join(tmpdir(), 'another-checkout', 'workflows', 'index.ts');
    const read = await cachedWorkflowBundle({ ...options, workflowsPath: elsewhere }).catch((err: unknown) => err);
    // A worker elsewhere bundles its own entry (which here does not exist), never this bundle.
    expect(read).toBeInstanceOf(Error);
  }, 150_000);

  it('is refused without a directory to write to, with a usage error', async () => {
    const run = await runProjectCommand('worker/bundle-workflows.ts', [], {}, { timeoutMs: 60_000 });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("required option '--out <dir>' not specified");
  }, 90_000);
});
