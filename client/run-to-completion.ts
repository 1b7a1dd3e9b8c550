import type { Client, WorkflowHandle } from '@temporalio/client';
import { loadConfigOrExit } from '../config/config';
import { connectClient } from './temporal-client';

/**
 * The admin commands that start a run by hand (batch, write-back, return data): start it, say
 * which workflow it is (to find in the Web UI), wait for its result and print it as JSON.
 * Exit code 1 with the reason when the run fails (e.g. refused on a public holiday).
 */
export function runToCompletion(start: (client: Client, taskQueue: string) => Promise<WorkflowHandle>): void {
  const main = async () => {
    const config = loadConfigOrExit();
    const client = await connectClient(config.temporal);
    try {
      const handle = await start(client, config.temporal.taskQueue);
      console.log(`Started ${handle.workflowId}; waiting for it to finish…`);
      console.log(JSON.stringify(await handle.result(), null, 2));
    } finally {
      await client.connection.close();
    }
  };
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
