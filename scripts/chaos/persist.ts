import { WorkflowExecutionAlreadyStartedError, WorkflowFailedError } from '@temporalio/client';

/**
 * Calls to Temporal while the campaign kills its server: anything but a final answer (a failed
 * workflow, "already started") is tried again every second until `deadlineMs`, as an operator
 * would press "retry" while the server restarts.
 */
export async function persist<T>(what: string, call: () => Promise<T>, deadlineMs: number, onRetry?: (message: string) => void): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  let reported = false;
  for (;;) {
    try {
      return await call();
    } catch (err) {
      if (err instanceof WorkflowFailedError || err instanceof WorkflowExecutionAlreadyStartedError) throw err;
      if (Date.now() > deadline) throw new Error(`${what} did not succeed within ${Math.round(deadlineMs / 1000)} s: ${err instanceof Error ? err.message : String(err)}`);
      if (!reported) onRetry?.(`${what}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}; trying again`);
      reported = true;
      await sleep(1000);
    }
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Starts a workflow; "already started" means an earlier try got through before its answer was lost. */
export async function startOnce(start: () => Promise<unknown>): Promise<void> {
  try {
    await start();
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}
