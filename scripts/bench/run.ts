import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { temporalDataConverter } from '../../adapters/temporal-codec/data-converter';
import { loadPayloadCodecConfig } from '../../config/config';
import { osloCompact } from '../../domain/oslo-time';
import { cachedWorkflowBundle } from '../../worker/workflow-bundle-cache';
import { workflowBundleOptions } from '../../worker/workflow-bundle-location';
import { freePort, startDevServer } from '../lib/dev-server';
import { PROJECT_ROOT, requireBinary, TEMPORAL_HOME } from '../lib/temporal-binaries';
import { floorRound, ourRound, waitingRound, type BenchContext, type RoundFigures, type WaitingFigures } from './rounds';

/**
 * `npm run bench` (issue 11): one Temporal dev server of its own; for each size, the floor and our
 * batch alternated (floor, ours, floor, ours, …) so drift in the machine hits both alike; then our
 * worker's memory with N e-mails waiting for their opening.
 */
export interface BenchOptions {
  sizes: number[];
  rounds: number;
  waiting: number[];
  /** Set in our worker's environment over the bench's own (environment.ts); printed with the report. */
  workerEnvironment: Record<string, string>;
}

export interface SizeReport {
  invoices: number;
  floor: RoundFigures[];
  ours: RoundFigures[];
  /** Ours' wall time over the floor's, per round, and their median. */
  ratios: number[];
  medianRatio: number;
}

export interface BenchReport {
  options: BenchOptions;
  stateDir: string;
  /** The commit measured (with "+changes" when the work tree differs), so a table can be traced to its code. */
  commit: string;
  cpus: number;
  sizes: SizeReport[];
  waiting: WaitingFigures[];
  durationSeconds: number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export async function runBench(options: BenchOptions, say: (line: string) => void): Promise<BenchReport> {
  const began = Date.now();
  // Read before the rounds: the worker runs the code of this moment, however long the bench takes and whatever is committed meanwhile.
  const commit = commitMeasured();
  const line = (text: string) => say(`[${String(Math.round((Date.now() - began) / 1000)).padStart(5)} s] ${text}`);
  const stateDir = join(TEMPORAL_HOME, `bench-${osloCompact(new Date())}`);
  mkdirSync(stateDir, { recursive: true });
  const floorBundlePath = await prepareBundles(stateDir, line);
  const server = await startDevServer(requireBinary('cli'), { port: await freePort(), uiPort: await freePort(), stateDir });
  line(`Temporal dev server on ${server.address} (Web UI ${server.uiUrl}); state and worker logs in ${stateDir}`);
  const serverPid = server.process.pid;
  if (serverPid === undefined) throw new Error(`the Temporal dev server has no process id; see ${server.logFile}`);
  const connection = await Connection.connect({ address: server.address });
  // The workers' environments (environment.ts) set no codec key: all sides use the development key.
  const benchCodecEnvironment = {};
  let roundNo = 0;
  const ctx: BenchContext = { client: new Client({ connection, namespace: 'default', dataConverter: temporalDataConverter(loadPayloadCodecConfig(benchCodecEnvironment)) }), temporalAddress: server.address, serverPid, floorBundlePath, stateDir, say: line, nextRoundNo: () => ++roundNo, workerEnvironment: options.workerEnvironment };
  try {
    const sizes: SizeReport[] = [];
    for (const invoices of options.sizes) {
      const floor: RoundFigures[] = [];
      const ours: RoundFigures[] = [];
      for (let round = 1; round <= options.rounds; round += 1) {
        line(`${invoices} invoices, round ${round}/${options.rounds}: the floor`);
        floor.push(await floorRound(ctx, invoices, round));
        line(`  floor: ${describe(floor.at(-1)!)}`);
        line(`${invoices} invoices, round ${round}/${options.rounds}: our batch`);
        ours.push(await ourRound(ctx, invoices, round));
        line(`  ours: ${describe(ours.at(-1)!)}`);
      }
      const ratios = ours.map((o, i) => o.wallSeconds / floor[i]!.wallSeconds);
      sizes.push({ invoices, floor, ours, ratios, medianRatio: median(ratios) });
    }
    const waiting: WaitingFigures[] = [];
    for (const invoices of options.waiting) {
      line(`${invoices} e-mails with link, waiting for their opening`);
      waiting.push(await waitingRound(ctx, invoices));
      const last = waiting.at(-1)!;
      line(`  all waiting after ${last.secondsUntilAllWaiting.toFixed(1)} s: worker RSS ${last.workerRssMb.toFixed(0)} MB (peak ${last.workerPeakRssMb.toFixed(0)} MB)`);
      line(`  ${last.settled.afterSeconds} s later: RSS ${last.settled.rssMb.toFixed(0)} MB, main thread V8 heap used ${last.settled.mainHeapUsedMb ?? '?'} MB, ${last.settled.cachedWorkflows ?? '?'} workflows cached`);
    }
    return { options, stateDir, commit, cpus: availableParallelism(), sizes, waiting, durationSeconds: Math.round((Date.now() - began) / 1000) };
  } finally {
    await connection.close().catch(() => undefined);
    await server.stop();
  }
}

function describe(r: RoundFigures): string {
  return `${r.wallSeconds.toFixed(2)} s, ${r.invoicesPerSecond.toFixed(1)} invoices/s, worker ${r.workerCpuSeconds.toFixed(1)} CPU s, peak RSS ${r.workerPeakRssMb.toFixed(0)} MB`;
}

function commitMeasured(): string {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: PROJECT_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return `${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain', '--untracked-files=no') ? '+changes' : ''}`;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

/**
 * Both workers' workflow code made before any is measured: ours into its cache on disk (the worker
 * reads it there, as after its first start), the floor's into the state folder. Webpack then runs
 * here, not in a measured worker's CPU time or peak memory.
 */
async function prepareBundles(stateDir: string, line: (text: string) => void): Promise<string> {
  const ours = await cachedWorkflowBundle(workflowBundleOptions(undefined, line));
  line(`our workflow bundle: ${ours.source === 'cache' ? 'in its cache' : `made in ${(ours.ms / 1000).toFixed(1)} s and cached`}`);
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('./floor-workflows'), logger: new DefaultLogger('WARN') });
  const path = join(stateDir, 'floor-workflow-bundle.js');
  writeFileSync(path, code);
  return path;
}
