import { Worker, type NativeConnection, type WorkflowBundleOption } from '@temporalio/worker';
import { temporalDataConverter } from '../adapters/temporal-codec/data-converter';
import type { PayloadCodecConfig } from '../config/config';
import { createActivities, createPowerOfficeActivities, mainQueueDeps, type ActivityDeps } from '../activities';
import { powerOfficeTaskQueue, type PowerOfficeApi } from '../workflows/poweroffice-queues';
import { InvoiceWorker } from './invoice-worker';
import { powerOfficeQueueRate } from './poweroffice-queue-rate';
import { DEFAULT_MAX_CACHED_WORKFLOWS } from './worker-tuning';

export interface InvoiceWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  /** The payload codec's keys (config.temporal.payloadCodec): every payload is encrypted. */
  payloadCodec: PayloadCodecConfig;
  deps: ActivityDeps;
  /**
   * PowerOffice's limits for the whole deployment, requests per second (POWEROFFICE_V1/V2_
   * REQUESTS_PER_SECOND; PowerOffice allows 50 and 10). Every worker asks the server for the same.
   */
  powerOfficeRequestsPerSecond?: { v1: number; v2: number };
  /** A pre-built bundle (tests bundle once per file); otherwise the workflows are bundled at start. */
  workflowBundle?: WorkflowBundleOption;
  maxCachedWorkflows?: number;
}

/** PowerOffice's published limits: v1 50 requests/s per application key, v2 10/s per subscription key. */
export const POWEROFFICE_LIMITS = { v1: 50, v2: 10 } as const;

/**
 * The worker of the service: every workflow and activity on the main task queue, and beside it one
 * activity-only worker per PowerOffice API on that API's task queue (workflows/poweroffice-queues.ts).
 */
export async function createInvoiceWorker(options: InvoiceWorkerOptions): Promise<InvoiceWorker> {
  const main = await Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    // Also the data converter of the activities' own client (getClient()).
    dataConverter: temporalDataConverter(options.payloadCodec),
    // Everything but PowerOffice: its requests are made on the PowerOffice queues only.
    activities: createActivities(mainQueueDeps(options.deps)),
    ...(options.workflowBundle
      ? { workflowBundle: options.workflowBundle }
      : { workflowsPath: require.resolve('../workflows') }),
    // Invoices wait days between steps: memory stays bounded, evicted ones replay (worker-tuning.ts).
    maxCachedWorkflows: options.maxCachedWorkflows ?? DEFAULT_MAX_CACHED_WORKFLOWS,
    shutdownGraceTime: '10 seconds',
  });
  const limits = options.powerOfficeRequestsPerSecond ?? POWEROFFICE_LIMITS;
  const powerOffice = await Promise.all((['v1', 'v2'] as const).map((api) => createPowerOfficeWorker(options, api, limits[api])));
  return new InvoiceWorker(main, powerOffice);
}

/**
 * The activities that call PowerOffice's `api`, one request per attempt, on its own task queue.
 * `maxTaskQueueActivitiesPerSecond` is enforced by the Temporal server for the task queue, across
 * every worker polling it: two or twenty replicas together get what one would. See
 * powerOfficeQueueRate for why it is below PowerOffice's limit, and the deployment's dynamic config
 * (one partition for these queues) for why the server's figure is the whole queue's.
 */
function createPowerOfficeWorker(options: InvoiceWorkerOptions, api: PowerOfficeApi, limit: number): Promise<Worker> {
  const rate = powerOfficeQueueRate(limit);
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: powerOfficeTaskQueue(options.taskQueue, api),
    dataConverter: temporalDataConverter(options.payloadCodec),
    activities: createPowerOfficeActivities(options.deps, api),
    maxTaskQueueActivitiesPerSecond: rate,
    // Requests in flight at once from this worker: at the rate, with answers within a second, a
    // second's worth is plenty; more would only hold tasks the other workers could run.
    maxConcurrentActivityTaskExecutions: Math.max(2, Math.ceil(rate)),
    shutdownGraceTime: '10 seconds',
  });
}
