import { NativeConnection } from '@temporalio/worker';
import { loadConfigOrExit } from '../config/config';
import { temporalConnectionOptions } from '../config/temporal-connection';
import { createLogger } from '../logging/logger';
import { installTemporalRuntime } from '../logging/temporal-runtime';
import { activityDependencies } from './activity-dependencies';
import { createInvoiceWorker } from './create-worker';

/** The worker process (`npm run worker`, and the container's command). Stops cleanly on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger(config.log, 'worker');
  installTemporalRuntime(logger);
  const connection = await NativeConnection.connect(temporalConnectionOptions(config.temporal));
  try {
    const worker = await createInvoiceWorker({
      connection,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      deps: activityDependencies(config),
    });
    logger.info({ taskQueue: config.temporal.taskQueue, namespace: config.temporal.namespace }, 'worker started');
    await worker.run();
  } finally {
    await connection.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
