import { parseArgs } from 'node:util';
import { runToCompletion } from './run-to-completion';
import { startManualReturnData } from './start-return-data';

/**
 * `npm run return-data [-- --force]`: post every new ledger event of the clients who ordered return
 * data into their PowerOffice GO now, and print the per-client report. On a weekend or public
 * holiday the run refuses unless --force is given. Rerunning posts nothing twice.
 */
const { values } = parseArgs({ options: { force: { type: 'boolean' } }, strict: true });
runToCompletion((client, taskQueue) => startManualReturnData(client, taskQueue, values.force ? { force: true } : {}));
