import { parseArgs } from 'node:util';
import { runToCompletion } from './run-to-completion';
import { startManualWriteBack } from './start-write-back';

/**
 * `npm run write-back [-- --force] [-- --client <id> ...]`: report every distributed invoice that
 * PowerOffice GO does not know yet (KID, PDF, status), now. Harmless to repeat: an invoice already
 * written back is not written again. On a weekend or public holiday it refuses unless --force.
 */
const { values } = parseArgs({ options: { force: { type: 'boolean' }, client: { type: 'string', multiple: true } }, strict: true });
runToCompletion((client, taskQueue) =>
  startManualWriteBack(client, taskQueue, {
    ...(values.force ? { force: true } : {}),
    ...(values.client?.length ? { clientIds: values.client } : {}),
  }),
);
