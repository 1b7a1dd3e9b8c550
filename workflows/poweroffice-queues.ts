/**
 * PowerOffice's rate limits (v1 50 requests/s per application key, v2 10/s per subscription key)
 * hold for the whole deployment, however many workers run. The activities that call PowerOffice on
 * the hot path run on one task queue per API, derived from the deployment's main task queue, whose
 * workers all ask the Temporal server for the same `maxTaskQueueActivitiesPerSecond`: the server
 * dispatches no faster than that across all of them (worker/create-worker.ts). No PowerOffice request
 * is made anywhere else: the main queue's activities are given no PowerOffice connection.
 */
export type PowerOfficeApi = 'v1' | 'v2';

export function powerOfficeTaskQueue(mainTaskQueue: string, api: PowerOfficeApi): string {
  return `${mainTaskQueue}-poweroffice-${api}`;
}

/**
 * Failure type of an activity on the main task queue that used to call PowerOffice, met by a task
 * an earlier version scheduled there before its deployment (a task in flight across the upgrade):
 * the main queue's activities have no PowerOffice connection any more, so the step fails at once
 * with this type, and the workflow does it again through the PowerOffice queues.
 */
export const POWEROFFICE_STEP_MOVED = 'PowerOfficeStepMoved';

/** Whether an activity's failure is POWEROFFICE_STEP_MOVED (the step is to be done on the queues). */
export function isPowerOfficeStepMoved(err: unknown): boolean {
  const cause = (err as { cause?: { type?: unknown } } | undefined)?.cause;
  return err instanceof Error && err.name === 'ActivityFailure' && cause?.type === POWEROFFICE_STEP_MOVED;
}
