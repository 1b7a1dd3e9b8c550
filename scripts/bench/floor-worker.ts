import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { floorActivities } from './floor-activities';
import { FLOOR_WORKER_STARTED } from './markers';

/**
 * The floor's worker process (`npm run bench` starts it): the SDK's default worker options, the
 * floor's own small bundle. TEMPORAL_ADDRESS and TEMPORAL_TASK_QUEUE come from the bench. Prints
 * FLOOR_WORKER_STARTED once it polls; stops on SIGTERM.
 */

async function main(): Promise<void> {
  const address = process.env.TEMPORAL_ADDRESS;
  const taskQueue = process.env.TEMPORAL_TASK_QUEUE;
  if (!address || !taskQueue) throw new Error('TEMPORAL_ADDRESS and TEMPORAL_TASK_QUEUE must be set');
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const connection = await NativeConnection.connect({ address });
  const workflowBundle = await bundleWorkflowCode({ workflowsPath: require.resolve('./floor-workflows'), logger: new DefaultLogger('WARN') });
  const worker = await Worker.create({ connection, namespace: 'default', taskQueue, workflowBundle, activities: floorActivities });
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
