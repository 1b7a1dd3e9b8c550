import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Worker } from '@temporalio/worker';
import { clientSettingsWorkflow, clientSettingsWorkflowId } from '../../workflows/client-settings-workflow';
import { startLocalTemporal, workflowBundle } from '../helpers/temporal';

/**
 * What one open workflow costs the worker's memory. The SDK evaluates every module the workflow
 * bundle's entry point reaches for each workflow it holds (each run gets its own module cache in
 * the shared V8 context), so whatever `workflows/index.ts` imports is paid once per open workflow.
 *
 * Opens N client-settings workflows (they wait without a timer or an activity, like an invoice
 * waiting days to be opened, and every workflow type evaluates the same bundle), keeps them all in
 * the worker's cache, and prints the process's RSS before and after, per workflow.
 *
 *   node --expose-gc --import tsx test/resilience/workflow-memory.bench.ts [--workflows N] [--bundle DIR|FILE]
 *
 * `--bundle` runs a bundle made earlier (`npx tsx worker/bundle-workflows.ts --out DIR`), so two
 * versions of the workflows can be compared on one machine; without it the current workflows are
 * bundled. Figures are printed, not asserted: they depend on the machine and the Node version.
 */
interface Options {
  workflows: number;
  bundle?: string;
}

function options(argv: string[]): Options {
  const value = (name: string) => {
    const at = argv.indexOf(name);
    return at < 0 ? undefined : argv[at + 1];
  };
  const workflows = Number(value('--workflows') ?? 500);
  if (!Number.isSafeInteger(workflows) || workflows < 1) throw new Error(`--workflows must be a whole number above 0, got ${value('--workflows')}`);
  const bundle = value('--bundle');
  return { workflows, ...(bundle === undefined ? {} : { bundle }) };
}

function bundleCode(path: string): string {
  if (!statSync(path).isDirectory()) return readFileSync(path, 'utf8');
  const file = readdirSync(path).find((name) => /^workflows-\w+\.js$/.test(name));
  if (file === undefined) throw new Error(`no workflows-*.js bundle in ${path}`);
  return readFileSync(join(path, file), 'utf8');
}

const MB = 1024 * 1024;

/** After a full collection of the main thread's heap (the workflow threads collect on their own). */
function settledMemory(): NodeJS.MemoryUsage {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with node --expose-gc: without a collection the figures measure garbage');
  for (let i = 0; i < 3; i += 1) gc();
  return process.memoryUsage();
}

async function until(condition: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function main(): Promise<void> {
  const { workflows, bundle } = options(process.argv.slice(2));
  const code = bundle === undefined ? (await workflowBundle()).code : bundleCode(bundle);
  const env = await startLocalTemporal();
  const taskQueue = `workflow-memory-${randomUUID()}`;
  try {
    const worker = await Worker.create({
      connection: env.nativeConnection,
      namespace: env.namespace ?? 'default',
      taskQueue,
      workflowBundle: { code },
      // Every workflow stays open in the cache: the cost of each is what is measured.
      maxCachedWorkflows: workflows + 10,
    });
    const run = worker.runUntil(async () => {
      await until(() => worker.getState() === 'RUNNING', 'the worker to run', 30_000);
      const before = settledMemory();
      let peakRss = before.rss;
      const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
      const started = Date.now();
      for (let i = 0; i < workflows; i += 50) {
        await Promise.all(
          Array.from({ length: Math.min(50, workflows - i) }, (_, j) =>
            env.client.workflow.start(clientSettingsWorkflow, { workflowId: clientSettingsWorkflowId(`bench_${i + j}_${taskQueue.slice(-8)}`), taskQueue, args: [{ clientId: `bench_${i + j}` }] }),
          ),
        );
      }
      await until(() => worker.getStatus().numCachedWorkflows >= workflows, `${workflows} workflows in the cache`, 20 * 60_000);
      const seconds = (Date.now() - started) / 1000;
      clearInterval(sampler);
      const after = settledMemory();
      const perWorkflow = ((after.rss - before.rss) / workflows / MB).toFixed(2);
      console.log(`bundle: ${bundle ?? 'current workflows/'} (${Math.round(code.length / 1024)} KiB)`);
      console.log(`${workflows} open workflows in ${seconds.toFixed(1)} s`);
      // RSS, not heapUsed: workflows run in the SDK's worker threads, whose V8 heaps heapUsed does not count.
      console.log(`RSS: ${(before.rss / MB).toFixed(0)} MB before, ${(after.rss / MB).toFixed(0)} MB after, peak ${(peakRss / MB).toFixed(0)} MB: ${perWorkflow} MB per open workflow`);
    });
    await run;
  } finally {
    await env.teardown();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});

