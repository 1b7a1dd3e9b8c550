import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '../config/config';
import { startManualWriteBack } from './start-write-back';
import { connectClient } from './temporal-client';

/**
 * `npm run write-back [-- --force] [-- --client <id> ...]`: report every distributed invoice that
 * PowerOffice GO does not know yet (KID, PDF, status), now. Harmless to repeat: an invoice already
 * written back is not written again. On a weekend or public holiday it refuses unless --force.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { force: { type: 'boolean' }, client: { type: 'string', multiple: true } }, strict: true });
  const config = loadConfigOrExit();
  const client = await connectClient(config.temporal);
  const handle = await startManualWriteBack(client, config.temporal.taskQueue, {
    ...(values.force ? { force: true } : {}),
    ...(values.client?.length ? { clientIds: values.client } : {}),
  });
  console.log(`Started ${handle.workflowId}; waiting for it to finish…`);
  const result = await handle.result();
  console.log(JSON.stringify(result, null, 2));
  await client.connection.close();
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
