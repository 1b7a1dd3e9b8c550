import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { temporalDataConverter } from '../../adapters/temporal-codec/data-converter';
import { loadPayloadCodecConfig } from '../../config/config';
import { floorActivities } from './floor-activities';
import { FLOOR_WORKER_STARTED } from './markers';

/**
 * The floor's worker process (`npm run bench` starts it): the SDK's default worker options, the
 * floor's own small bundle, made by the bench (FLOOR_WORKFLOW_BUNDLE) as ours comes from its cache on
 * disk, so neither worker's memory holds webpack. TEMPORAL_ADDRESS and TEMPORAL_TASK_QUEUE come from
 * the bench. Prints FLOOR_WORKER_STARTED once it polls; stops on SIGTERM.
 */

async function main(): Promise<void> {
  const address = process.env.TEMPORAL_ADDRESS;
  const taskQueue = process.env.TEMPORAL_TASK_QUEUE;
  const codePath = process.env.FLOOR_WORKFLOW_BUNDLE;
  if (!address || !taskQueue || !codePath) throw new Error('TEMPORAL_ADDRESS, TEMPORAL_TASK_QUEUE and FLOOR_WORKFLOW_BUNDLE must be set');
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const connection = await NativeConnection.connect({ address });
  // The same payload codec as ours: the floor pays for encryption too, so the comparison stays fair.
  const dataConverter = temporalDataConverter(loadPayloadCodecConfig());
  const worker = await Worker.create({ connection, namespace: 'default', taskQueue, workflowBundle: { codePath }, activities: floorActivities, dataConverter });
  const stop = () => worker.shutdown();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  console.log(FLOOR_WORKER_STARTED);
  try {
    await worker.run();
  } finally {
    await connection.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
