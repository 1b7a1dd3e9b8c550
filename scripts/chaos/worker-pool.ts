import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { WORKER_NODE_FLAGS, WORKER_PROCESS_ENVIRONMENT } from '../../worker/worker-tuning';

/**
 * N worker PROCESSES, as production runs them (`node --import tsx worker/main.ts`), kept at N: a
 * process that ends for any reason (our SIGKILL, a refusal while the Temporal server is down) is
 * started again after `restartDelayMs`. Each slot logs to `worker-<slot>.log` in the state folder.
 */
const ROOT = join(__dirname, '..', '..');
/** The worker's log line once it polls (worker/main.ts). */
const STARTED = '"msg":"worker started"';

interface Slot {
  index: number;
  child: ChildProcess | undefined;
  startedAt: number;
  log: WriteStream;
}

export interface WorkerPoolEvents {
  /** A process polls: how long after its start (the goal: within 5 s). */
  polling(slot: number, afterMs: number, pid: number | undefined): void;
  exited(slot: number, how: string): void;
}

export class WorkerPool {
  private readonly slots: Slot[];
  private stopping = false;
  /** Start-to-polling times of every process started, in ms. */
  readonly pollingAfterMs: number[] = [];

  constructor(
    size: number,
    private readonly environment: NodeJS.ProcessEnv,
    stateDir: string,
    private readonly events: WorkerPoolEvents,
    private readonly restartDelayMs = 500,
  ) {
    this.slots = Array.from({ length: size }, (_, index) => ({
      index,
      child: undefined,
      startedAt: 0,
      log: createWriteStream(join(stateDir, `worker-${index + 1}.log`), { flags: 'a' }),
    }));
  }

  get size(): number {
    return this.slots.length;
  }

  start(): void {
    for (const slot of this.slots) this.spawnInto(slot);
  }

  /** SIGKILL the process of one slot, as a crash or an OOM kill would; it is started again. */
  kill(slotIndex: number): number | undefined {
    const child = this.slots[slotIndex]?.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return undefined;
    child.kill('SIGKILL');
    return child.pid;
  }

  /** SIGTERM every process and wait for them (SIGKILL after 15 s). */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(
      this.slots.map(
        (slot) =>
          new Promise<void>((resolve) => {
            const child = slot.child;
            if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
            const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
            child.once('exit', () => {
              clearTimeout(force);
              resolve();
            });
            child.kill('SIGTERM');
          }),
      ),
    );
    for (const slot of this.slots) slot.log.end();
  }

  private spawnInto(slot: Slot): void {
    if (this.stopping) return;
    slot.startedAt = Date.now();
    const child = spawn(process.execPath, [...WORKER_NODE_FLAGS, '--import', 'tsx', 'worker/main.ts'], { cwd: ROOT, env: { ...WORKER_PROCESS_ENVIRONMENT, ...this.environment }, stdio: ['ignore', 'pipe', 'pipe'] });
    slot.child = child;
    let seen = '';
    let polling = false;
    child.stdout?.on('data', (chunk: Buffer) => {
      slot.log.write(chunk);
      if (polling) return;
      // The marker may straddle two chunks; keep only a tail long enough to hold it.
      seen = (seen + chunk.toString('utf8')).slice(-4096);
      if (seen.includes(STARTED)) {
        polling = true;
        const after = Date.now() - slot.startedAt;
        this.pollingAfterMs.push(after);
        this.events.polling(slot.index + 1, after, child.pid);
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => slot.log.write(chunk));
    child.once('exit', (code, signal) => {
      if (this.stopping) return;
      this.events.exited(slot.index + 1, signal ?? `exit ${code ?? '?'}`);
      setTimeout(() => this.spawnInto(slot), this.restartDelayMs);
    });
  }
}
