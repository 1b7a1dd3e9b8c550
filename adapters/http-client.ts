import got, { type Got, type HandlerFunction } from 'got';
import { abortReason, currentAbortSignal } from './abort-scope';

/**
 * Ties every request to the abort signal of the work it is made for (adapters/abort-scope.ts):
 * got 11 has no `signal` option, but its promise is cancelable, and a cancelled request closes
 * its socket, so the server never sees the rest of it.
 */
export const cancelOnAbort: HandlerFunction = (options, next) => {
  const signal = currentAbortSignal();
  const result = next(options);
  if (!signal) return result;
  const cancelable = result as { cancel?: (reason?: string) => void; then?: unknown; finally?: (f: () => void) => unknown };
  if (typeof cancelable.cancel !== 'function') return result;
  const cancel = () => cancelable.cancel?.(abortReason(signal).message);
  if (signal.aborted) {
    cancel();
    return result;
  }
  signal.addEventListener('abort', cancel, { once: true });
  void Promise.resolve(result as unknown as Promise<unknown>).then(
    () => signal.removeEventListener('abort', cancel),
    () => signal.removeEventListener('abort', cancel),
  );
  return result;
};

/**
 * got as every adapter uses it: answers as text, never thrown for a status (the adapter decides),
 * no retries of its own (Temporal retries the activity with backoff, and a second loop here would
 * hide attempts), each request bounded by `timeoutMs` and stopped when its activity is cancelled.
 */
export function createHttpClient(timeoutMs: number, headers: Record<string, string> = {}): Got {
  return got.extend({ timeout: { request: timeoutMs }, retry: { limit: 0 }, throwHttpErrors: false, responseType: 'text', headers, handlers: [cancelOnAbort] });
}
