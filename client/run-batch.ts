import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '../config/config';
import { startManualBatch } from './start-batch';
import { connectClient } from './temporal-client';

/**
 * `npm run batch [-- --force]`: fetch and distribute every active client's available invoices now.
 * On a weekend or public holiday the batch refuses unless --force is given.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { force: { type: 'boolean' } }, strict: true });
  const config = loadConfigOrExit();
  const client = await connectClient(config.temporal);
  const handle = await startManualBatch(client, config.temporal.taskQueue, values.force ? { force: true } : {});
  console.log(`Started ${handle.workflowId}; waiting for it to finish…`);
  const result = await handle.result();
  console.log(JSON.stringify(result, null, 2));
  await client.connection.close();
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
