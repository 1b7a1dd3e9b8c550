import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The abort signal of the work in progress (an activity attempt), for every outside call made
 * under it: when Temporal cancels the attempt, or it nears its own deadline, its requests, rate
 * limiter waits and backoffs stop at once instead of writing on behind the next attempt's back.
 * Adapters read it here, so their ports need no signal parameter and stay Temporal-free.
 */
const scope = new AsyncLocalStorage<AbortSignal>();

export function withAbortSignal<T>(signal: AbortSignal, run: () => Promise<T>): Promise<T> {
  return scope.run(signal, run);
}

export function currentAbortSignal(): AbortSignal | undefined {
  return scope.getStore();
}

/** Why the work stopped, as an Error (got and the limiter reject with it). */
export function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  const error = new Error(`the call was stopped: ${reason === undefined ? 'aborted' : typeof reason === 'string' ? reason : 'aborted'}`);
  error.name = 'AbortError';
  return error;
}

/** Resolves what `promise` resolves, or rejects as soon as the current scope is aborted. */
export function abortable<T>(promise: Promise<T>, signal = currentAbortSignal(), onAbort?: () => void): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) {
    onAbort?.();
    return Promise.reject(abortReason(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const stop = () => {
      onAbort?.();
      reject(abortReason(signal));
    };
    signal.addEventListener('abort', stop, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', stop);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', stop);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}

/** A sleep that ends early (rejecting) when the current scope is aborted. */
export function abortableSleep(ms: number, sleep: (ms: number) => Promise<void>): Promise<void> {
  return abortable(sleep(ms));
}
