import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '../config/config';
import { startManualReturnData } from './start-return-data';
import { connectClient } from './temporal-client';

/**
 * `npm run return-data [-- --force]`: post every new ledger event of the clients who ordered return
 * data into their PowerOffice GO now, and print the per-client report. On a weekend or public
 * holiday the run refuses unless --force is given. Rerunning posts nothing twice.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { force: { type: 'boolean' } }, strict: true });
  const config = loadConfigOrExit();
  const client = await connectClient(config.temporal);
  const handle = await startManualReturnData(client, config.temporal.taskQueue, values.force ? { force: true } : {});
  console.log(`Started ${handle.workflowId}; waiting for it to finish…`);
  const result = await handle.result();
  console.log(JSON.stringify(result, null, 2));
  await client.connection.close();
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
