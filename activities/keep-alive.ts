import { ApplicationFailure, asyncLocalStorage } from '@temporalio/activity';
import { withAbortSignal } from '../adapters/abort-scope';

/** How often a running attempt tells Temporal it is alive (the SDK throttles to 80% of the heartbeat timeout). */
export const HEARTBEAT_EVERY_MS = 3_000;

/**
 * The attempt stops its own outside calls this long before its start-to-close timeout, so it has
 * failed (and written nothing more) before Temporal schedules the next attempt.
 */
function stopMarginMs(startToCloseMs: number): number {
  return Math.min(10_000, Math.max(1_000, startToCloseMs / 10));
}

/** Retryable: the next attempt starts afresh (and finds whatever this one did). */
function outOfTime(startToCloseMs: number): ApplicationFailure {
  return ApplicationFailure.retryable(`the attempt stopped its calls ${stopMarginMs(startToCloseMs)} ms before its ${startToCloseMs} ms start-to-close timeout`, 'AttemptOutOfTime');
}

/**
 * Runs one activity attempt alive and bounded:
 * - it heartbeats every few seconds for as long as it runs, whatever it waits on (PowerOffice, the
 *   rate limiter, the ledger, the partner), so a live attempt is never timed out while a dead
 *   worker's attempt is noticed within the heartbeat timeout, and so cancellations reach it;
 * - its outside calls run under one abort signal (adapters/abort-scope.ts), fired when Temporal
 *   cancels the attempt (a timeout seen at a heartbeat, the workflow's cancel, the worker's shutdown)
 *   and shortly before its start-to-close timeout: then every outstanding request is cancelled and
 *   no further one is sent, so two attempts never write side by side.
 * Outside an activity (unit tests calling the function directly) it just runs the function.
 */
export function keptAlive<A extends unknown[], R>(activity: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args: A): Promise<R> => {
    const context = asyncLocalStorage.getStore();
    if (!context) return activity(...args);
    const stop = new AbortController();
    const onCancel = () => stop.abort(context.cancellationSignal.reason);
    if (context.cancellationSignal.aborted) onCancel();
    else context.cancellationSignal.addEventListener('abort', onCancel, { once: true });
    const startToCloseMs = context.info.startToCloseTimeoutMs;
    const deadline =
      startToCloseMs > 0
        ? setTimeout(() => stop.abort(outOfTime(startToCloseMs)), startToCloseMs - stopMarginMs(startToCloseMs))
        : undefined;
    // A local activity has no heartbeat: it lives inside its workflow task, which the SDK keeps alive.
    const heartbeat = () => {
      if (!context.info.isLocal) context.heartbeat();
    };
    const beat = setInterval(heartbeat, HEARTBEAT_EVERY_MS);
    try {
      heartbeat();
      return await withAbortSignal(stop.signal, () => activity(...args));
    } finally {
      clearInterval(beat);
      clearTimeout(deadline);
      context.cancellationSignal.removeEventListener('abort', onCancel);
    }
  };
}

/** Every activity of the record kept alive (see keptAlive). */
export function allKeptAlive<T extends Record<string, (...args: never[]) => Promise<unknown>>>(activities: T): T {
  const wrapped: Record<string, unknown> = {};
  for (const [name, activity] of Object.entries(activities)) {
    wrapped[name] = keptAlive(activity as (...args: unknown[]) => Promise<unknown>);
  }
  return wrapped as T;
}
