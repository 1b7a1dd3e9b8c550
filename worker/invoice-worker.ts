import type { Worker } from '@temporalio/worker';

/**
 * The main worker and the PowerOffice workers of one process, run and stopped together (the
 * Worker methods the callers use): when one stops, for a shutdown or a failure, all stop.
 */
export class InvoiceWorker {
  constructor(
    readonly main: Worker,
    readonly powerOffice: Worker[],
  ) {}

  private get all(): Worker[] {
    return [this.main, ...this.powerOffice];
  }

  /** Runs all until shutdown() or until one fails; rejects with the first failure. */
  async run(): Promise<void> {
    const results = await Promise.allSettled(this.all.map((worker) => worker.run().finally(() => this.shutdown())));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  shutdown(): void {
    for (const worker of this.all) if (worker.getState() === 'RUNNING') worker.shutdown();
  }

  /** Runs until the promise (or the function's promise) settles, then shuts down and waits for it. */
  async runUntil<R>(until: Promise<R> | (() => Promise<R>)): Promise<R> {
    const running = this.run();
    try {
      return await Promise.race([
        typeof until === 'function' ? until() : until,
        running.then(() => {
          throw new Error('the worker stopped before the work it ran for was done');
        }),
      ]);
    } finally {
      this.shutdown();
      await running;
    }
  }

  getState(): ReturnType<Worker['getState']> {
    return this.main.getState();
  }

  getStatus(): ReturnType<Worker['getStatus']> {
    return this.main.getStatus();
  }
}
