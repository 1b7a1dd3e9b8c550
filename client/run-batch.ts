import { loadConfigOrExit } from '../config/config';
import { startManualBatch } from './start-batch';
import { connectClient } from './temporal-client';

/** `npm run batch`: fetch and distribute every active client's available invoices now. */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const client = await connectClient(config.temporal);
  const handle = await startManualBatch(client, config.temporal.taskQueue);
  console.log(`Started ${handle.workflowId}; waiting for it to finish…`);
  const result = await handle.result();
  console.log(JSON.stringify(result, null, 2));
  await client.connection.close();
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
