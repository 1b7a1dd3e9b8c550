import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { SecretCipher } from '../../adapters/secrets/secret-cipher';
import { onboardClient } from '../../client/onboarding';
import { startManualBatch } from '../../client/start-batch';
import { loadConfig } from '../../config/config';
import { invoiceWorkflowIdsByGuid } from '../../client/invoice-registry';
import { startEmulators, type RunningEmulators } from '../../emulators/start';
import { clientSettingsWorkflowId } from '../../workflows/client-settings-workflow';
import { floorWorkerEnvironment, ourWorkerEnvironment, POWEROFFICE_RATES } from './environment';
import { floorChildId } from './floor-ids';
import type { FloorBatchInput } from './floor-workflows';
import { sampleProcess, type ProcessSample } from './process-stats';
import { evenSample, historyFigures, type HistoryFigures } from './histories';
import { BENCH_LEDGER_API_KEY, BENCH_PARTNER_API_KEY, benchClientSettings, benchSeed, type BenchChannel } from './seed';
import { startWorkerProcess, type WorkerProcess } from './worker-process';

/**
 * One round of the bench: a worker process of its own (ours or the floor's) on a task queue of its
 * own, on the bench's one Temporal server; ours also with emulators and a client of its own, so no
 * round sees another's invoices. The clock runs from the batch's start to the last invoice sent
 * (ours: the partner emulator has N deliveries; the floor: N children completed); everything else
 * is read after the clock stopped.
 */
export interface RoundFigures {
  kind: 'floor' | 'ours';
  round: number;
  invoices: number;
  wallSeconds: number;
  invoicesPerSecond: number;
  /** The worker process's CPU seconds from the batch's start to the last invoice sent. */
  workerCpuSeconds: number;
  /** Its largest resident set since it started (a fresh process per round), MB. */
  workerPeakRssMb: number;
  /** CPU seconds over the same span of the Temporal dev server and of the bench's own process (the emulators, the polling). */
  serverCpuSeconds: number;
  benchProcessCpuSeconds: number;
  history: HistoryFigures;
  /** Ours only: calls PowerOffice received, and the seconds they take at least at the configured rates. */
  powerOffice?: { v1Calls: number; v2Calls: number; v1PerSecond: number; v2PerSecond: number; lowerBoundSeconds: number };
  /** Ours only: sends the partner recorded beyond one per invoice (every invoice is to be sent once). */
  duplicateSends?: number;
}

export interface WaitingFigures {
  invoices: number;
  /** From the batch's start until every invoice is Waiting (visibility). */
  secondsUntilAllWaiting: number;
  /** The worker's resident set once all wait, and its largest so far, MB. */
  workerRssMb: number;
  workerPeakRssMb: number;
  /**
   * After SETTLE_SECONDS of nothing to do: the resident set, and the worker's own report of its
   * main thread's V8 heap in use and of the workflows it keeps cached (worker/worker-health-report.ts:
   * the workflows' own heap, in the SDK's workflow thread, is part of the resident set only).
   */
  settled: { afterSeconds: number; rssMb: number; mainHeapUsedMb: number | null; cachedWorkflows: number | null };
}

/** Long enough for V8's idle-time collection and for two of the worker's health lines (WORKER_HEALTH_REPORT_SECONDS). */
export const SETTLE_SECONDS = 30;

export interface BenchContext {
  client: Client;
  temporalAddress: string;
  stateDir: string;
  say: (line: string) => void;
  /** The floor's workflow bundle, made once by the bench (prepareBundles). */
  floorBundlePath: string;
  /** The Temporal dev server's process. */
  serverPid: number;
  /** Numbers each round on the server: task queues, client ids and KID client numbers must not repeat. */
  nextRoundNo: () => number;
  /** Over our worker's environment (the bench's --worker-env). */
  workerEnvironment: Record<string, string>;
}

/** Sampled children per round for the slowest-task figure (plus every run of the batch). */
const CHILDREN_SAMPLED = 20;

/** Generous: 1,500 of ours took 179 s in the issue; a round that never ends is a failure, not a wait. */
function roundDeadline(invoices: number): number {
  return Date.now() + (300 + invoices) * 1000;
}

/** Polls `count` until it reaches `target`, printing progress every 10 s; throws at the deadline. */
async function until(what: string, target: number, count: () => Promise<number> | number, deadline: number, say: (line: string) => void, everyMs = 250): Promise<void> {
  let lastSaid = Date.now();
  for (;;) {
    const n = await count();
    if (n >= target) return;
    if (Date.now() > deadline) throw new Error(`${what}: ${n} of ${target} after the deadline; the bench stops`);
    if (Date.now() - lastSaid >= 10_000) {
      say(`  ${what}: ${n}/${target}`);
      lastSaid = Date.now();
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

async function count(client: Client, query: string): Promise<number> {
  return (await client.workflow.count(query)).count;
}

export async function floorRound(ctx: BenchContext, invoices: number, round: number): Promise<RoundFigures> {
  const no = ctx.nextRoundNo();
  const taskQueue = `bench-floor-${no}`;
  const worker = await startWorkerProcess('floor', floorWorkerEnvironment(ctx.temporalAddress, taskQueue, ctx.floorBundlePath), join(ctx.stateDir, `worker-floor-${no}.log`));
  try {
    const batchId = `bench-floor-batch-${no}`;
    const before = clocks(ctx, worker);
    const startedAt = Date.now();
    const input: FloorBatchInput = { invoices, pageSize: 100, maxStartsPerRun: 1000 };
    await ctx.client.workflow.start('floorBatchWorkflow', { workflowId: batchId, taskQueue, args: [input] });
    const completed = `TaskQueue = '${taskQueue}' AND WorkflowType = 'floorInvoiceWorkflow' AND ExecutionStatus = 'Completed'`;
    // Visibility, every 500 ms: the floor's children run in another process and report to no one else.
    await until(`floor ${invoices}, round ${round}: children completed`, invoices, () => count(ctx.client, completed), roundDeadline(invoices), ctx.say, 500);
    const wallMs = Date.now() - startedAt;
    const after = clocks(ctx, worker);
    const children = evenSample(Array.from({ length: invoices }, (_, i) => floorChildId(batchId, i)), CHILDREN_SAMPLED);
    return figures('floor', round, invoices, wallMs, before, after, await historyFigures(ctx.client, batchId, children));
  } finally {
    await worker.stop();
  }
}

export async function ourRound(ctx: BenchContext, invoices: number, round: number): Promise<RoundFigures> {
  return withOurWorker(ctx, invoices, 'ehf', async ({ emulators, worker, clientId, seedIds, taskQueue }) => {
    // The batch's calls only: onboarding has already called PowerOffice to check the client's key.
    const callsBefore = emulators.powerOffice.callLog.entries.length;
    const before = clocks(ctx, worker);
    const startedAt = Date.now();
    const batch = await startManualBatch(ctx.client, taskQueue, { force: true });
    // In this process: the partner emulator's deliveries, one per invoice sent (all EHF).
    await until(`ours ${invoices}, round ${round}: sent`, invoices, () => emulators.distribution.deliveries.size, roundDeadline(invoices), ctx.say);
    const wallMs = Date.now() - startedAt;
    const after = clocks(ctx, worker);
    const calls = emulators.powerOffice.callLog.entries.slice(callsBefore);
    const v1Calls = calls.filter((c) => c.api === 'v1').length;
    const v2Calls = calls.filter((c) => c.api === 'v2').length;
    const workflowIds = await invoiceWorkflowIdsByGuid(ctx.client, clientId);
    const children = evenSample(seedIds, CHILDREN_SAMPLED).flatMap((id) => workflowIds.get(id) ?? []);
    const result = figures('ours', round, invoices, wallMs, before, after, await historyFigures(ctx.client, batch.workflowId, children));
    const lowerBoundSeconds = Math.max(v1Calls / POWEROFFICE_RATES.v1, v2Calls / POWEROFFICE_RATES.v2);
    const deliveries = emulators.distribution.store.list();
    const duplicateSends = deliveries.length - new Set(deliveries.map((d) => d.request.reference.invoiceId)).size;
    return { ...result, duplicateSends, powerOffice: { v1Calls, v2Calls, v1PerSecond: POWEROFFICE_RATES.v1, v2PerSecond: POWEROFFICE_RATES.v2, lowerBoundSeconds } };
  });
}

/** N e-mails with link and code, each waiting its 4 days for an opening: the worker's memory then. */
export async function waitingRound(ctx: BenchContext, invoices: number): Promise<WaitingFigures> {
  return withOurWorker(ctx, invoices, 'email-link', async ({ worker, clientId, taskQueue }) => {
    const startedAt = Date.now();
    await startManualBatch(ctx.client, taskQueue, { force: true });
    const waiting = `WorkflowType = 'invoiceWorkflow' AND ClientId = '${clientId}' AND DistributionState = 'Waiting'`;
    await until(`${invoices} e-mails with link: waiting`, invoices, () => count(ctx.client, waiting), roundDeadline(invoices), ctx.say, 2000);
    const secondsUntilAllWaiting = (Date.now() - startedAt) / 1000;
    const sample = worker.sample();
    await new Promise((resolve) => setTimeout(resolve, SETTLE_SECONDS * 1000));
    const health = worker.lastHealth();
    const settled = { afterSeconds: SETTLE_SECONDS, rssMb: worker.sample().rssMb, mainHeapUsedMb: health?.heapUsedMb ?? null, cachedWorkflows: health?.cachedWorkflows ?? null };
    return { invoices, secondsUntilAllWaiting, workerRssMb: sample.rssMb, workerPeakRssMb: sample.peakRssMb, settled };
  });
}

interface OurSetUp {
  emulators: RunningEmulators;
  worker: WorkerProcess;
  clientId: string;
  seedIds: string[];
  taskQueue: string;
}

/** Emulators seeded with one new client, our worker for it, the client onboarded; all of it gone afterwards. */
async function withOurWorker<T>(ctx: BenchContext, invoices: number, channel: BenchChannel, use: (setUp: OurSetUp) => Promise<T>): Promise<T> {
  const no = ctx.nextRoundNo();
  const clientId = `bench${no}`;
  const taskQueue = `bench-ours-${no}`;
  const seed = benchSeed(clientId, invoices);
  const emulators = await startEmulators({ distributionApiKey: BENCH_PARTNER_API_KEY, ledgerApiKey: BENCH_LEDGER_API_KEY, seed });
  let worker: WorkerProcess | undefined;
  let onboarded = false;
  try {
    const environment = { ...ourWorkerEnvironment(emulators, ctx.temporalAddress, taskQueue), ...ctx.workerEnvironment };
    worker = await startWorkerProcess('ours', environment, join(ctx.stateDir, `worker-ours-${no}.log`));
    const { clientKeyEncryption } = loadConfig(environment, 'worker');
    await onboardClient(ctx.client, taskQueue, new SecretCipher(clientKeyEncryption.key, clientKeyEncryption.keyId), {
      settings: benchClientSettings(clientId, channel, 7000 + no),
      clientKey: `key-${clientId}`,
    });
    onboarded = true;
    const seedIds = (seed.companies[0]?.availableInvoices ?? []).map((i) => i.id);
    return await use({ emulators, worker, clientId, seedIds, taskQueue });
  } finally {
    // The next round's batch lists the active clients: this one must not be among them.
    if (onboarded) await ctx.client.workflow.getHandle(clientSettingsWorkflowId(clientId)).terminate('bench round done').catch(() => undefined);
    await worker?.stop();
    await emulators.close();
  }
}

interface Clocks {
  worker: ProcessSample;
  serverCpuSeconds: number;
  benchCpuSeconds: number;
}

function clocks(ctx: BenchContext, worker: WorkerProcess): Clocks {
  const own = process.cpuUsage();
  return { worker: worker.sample(), serverCpuSeconds: sampleProcess(ctx.serverPid).cpuSeconds, benchCpuSeconds: (own.user + own.system) / 1e6 };
}

function figures(kind: RoundFigures['kind'], round: number, invoices: number, wallMs: number, before: Clocks, after: Clocks, history: HistoryFigures): RoundFigures {
  const wallSeconds = wallMs / 1000;
  return {
    kind,
    round,
    invoices,
    wallSeconds,
    invoicesPerSecond: invoices / wallSeconds,
    workerCpuSeconds: after.worker.cpuSeconds - before.worker.cpuSeconds,
    workerPeakRssMb: after.worker.peakRssMb,
    serverCpuSeconds: after.serverCpuSeconds - before.serverCpuSeconds,
    benchProcessCpuSeconds: after.benchCpuSeconds - before.benchCpuSeconds,
    history,
  };
}
