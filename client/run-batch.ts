import { parseArgs } from 'node:util';
import { runToCompletion } from './run-to-completion';
import { startManualBatch } from './start-batch';

/**
 * `npm run batch [-- --force]`: fetch and distribute every active client's available invoices now.
 * On a weekend or public holiday the batch refuses unless --force is given.
 */
const { values } = parseArgs({ options: { force: { type: 'boolean' } }, strict: true });
runToCompletion((client, taskQueue) => startManualBatch(client, taskQueue, values.force ? { force: true } : {}));
