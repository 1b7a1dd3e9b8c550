import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { FLOOR_WORKER_STARTED, OUR_WORKER_STARTED } from './markers';
import { WORKER_HEALTH_MESSAGE, type WorkerHealth } from '../../worker/worker-health-report';
import { WORKER_NODE_FLAGS, WORKER_PROCESS_ENVIRONMENT } from '../../worker/worker-tuning';
import { sampleProcess, type ProcessSample } from './process-stats';

/**
 * One worker process of a bench round: ours (`node --import tsx worker/main.ts`, as production runs
 * it) or the floor's. Its own process, so its CPU time and memory are its own (process-stats.ts).
 */
const ROOT = join(__dirname, '..', '..');
const ENTRY = { ours: 'worker/main.ts', floor: 'scripts/bench/floor-worker.ts' } as const;
const MARKER = { ours: OUR_WORKER_STARTED, floor: FLOOR_WORKER_STARTED } as const;

export type WorkerKind = keyof typeof ENTRY;

export interface WorkerProcess {
  pid: number;
  sample(): ProcessSample;
  /** The last "worker health" line our worker logged (worker/worker-health-report.ts); none from the floor's. */
  lastHealth(): WorkerHealth | undefined;
  stop(): Promise<void>;
}

/** Starts the worker and resolves once it polls; rejects when it exits first or takes over `timeoutMs`. */
export function startWorkerProcess(kind: WorkerKind, environment: NodeJS.ProcessEnv, logFile: string, timeoutMs = 180_000): Promise<WorkerProcess> {
  const log = createWriteStream(logFile, { flags: 'a' });
  // Ours with the runtime settings production starts it with; the floor as a bare Node program.
  const flags = kind === 'ours' ? WORKER_NODE_FLAGS : [];
  const env = kind === 'ours' ? { ...WORKER_PROCESS_ENVIRONMENT, ...environment } : environment;
  const child = spawn(process.execPath, [...flags, '--import', 'tsx', ENTRY[kind]], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  return new Promise((resolve, reject) => {
    let seen = '';
    let ready = false;
    const health = healthLines();
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the ${kind} worker did not poll within ${timeoutMs / 1000} s; see ${logFile}`));
    }, timeoutMs);
    child.stdout?.on('data', (chunk: Buffer) => {
      log.write(chunk);
      health.read(chunk);
      if (ready) return;
      // The marker may straddle two chunks; keep only a tail long enough to hold it.
      seen = (seen + chunk.toString('utf8')).slice(-4096);
      if (!seen.includes(MARKER[kind]) || child.pid === undefined) return;
      ready = true;
      clearTimeout(timer);
      resolve(running(child, child.pid, () => health.last(), () => {
        process.removeListener('exit', killOnExit);
        log.end();
      }));
    });
    child.stderr?.on('data', (chunk: Buffer) => log.write(chunk));
    child.once('exit', (code, signal) => {
      if (ready) return;
      clearTimeout(timer);
      reject(new Error(`the ${kind} worker ended (${signal ?? `exit ${code ?? '?'}`}) before it polled; see ${logFile}`));
    });
  });
}

/** Keeps the last "worker health" JSON line of the worker's stdout; a line may straddle chunks. */
function healthLines(): { read: (chunk: Buffer) => void; last: () => WorkerHealth | undefined } {
  let partial = '';
  let last: WorkerHealth | undefined;
  return {
    read(chunk) {
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.includes(WORKER_HEALTH_MESSAGE)) continue;
        try {
          const parsed = JSON.parse(line) as WorkerHealth & { msg?: string };
          if (parsed.msg === WORKER_HEALTH_MESSAGE) last = parsed;
        } catch {
          // Not one of pino's JSON lines: ignored.
        }
      }
    },
    last: () => last,
  };
}

function running(child: ChildProcess, pid: number, lastHealth: () => WorkerHealth | undefined, cleanUp: () => void): WorkerProcess {
  return {
    pid,
    sample: () => sampleProcess(pid),
    lastHealth,
    stop: () =>
      new Promise<void>((resolve) => {
        const done = () => {
          cleanUp();
          resolve();
        };
        if (child.exitCode !== null || child.signalCode !== null) return done();
        const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
        child.once('exit', () => {
          clearTimeout(force);
          done();
        });
        child.kill('SIGTERM');
      }),
  };
}
