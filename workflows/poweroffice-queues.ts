/**
 * PowerOffice's rate limits (v1 50 requests/s per application key, v2 10/s per subscription key)
 * hold for the whole deployment, however many workers run. The activities that call PowerOffice on
 * the hot path run on one task queue per API, derived from the deployment's main task queue, whose
 * workers all ask the Temporal server for the same `maxTaskQueueActivitiesPerSecond`: the server
 * dispatches no faster than that across all of them (worker/poweroffice-workers.ts).
 */
export type PowerOfficeApi = 'v1' | 'v2';

export function powerOfficeTaskQueue(mainTaskQueue: string, api: PowerOfficeApi): string {
  return `${mainTaskQueue}-poweroffice-${api}`;
}
