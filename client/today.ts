import { requireActiveClient } from './client-directory';
import { clientIdArgument, configOrRefuse, integerIn, newCommand, runCommand, withTemporal } from './command-line';
import { todayText } from './today-text';
import { todayReport } from './today-report';
import { DEFAULT_SECTION_ROWS } from './human-output';

/**
 * `npm run -s today [-- --client-id ID] [--json] [--rows N]`: the operator's morning on one page,
 * from Temporal: the last batches, what was not distributed and why, the letters after the wait,
 * openings, the write-back, unmatched payments and clients blocked for return data.
 */
const program = newCommand(
  'today',
  "The operator's morning on one page: today's and the last working day's batches per channel, rejected and failed invoices with reasons, letters sent after the opening wait, openings, the write-back, unmatched payments, clients blocked for return data.",
)
  .option('--client-id <id>', 'only this client (onboarded and active); unmatched payments belong to no client yet and are all shown', clientIdArgument)
  .option('--rows <n>', 'rows each section shows before "… and N more" (--json lists as many)', integerIn(1, 10_000), DEFAULT_SECTION_ROWS)
  .option('--json', 'the same page as JSON, for scripts')
  .action(async (options: { clientId?: string; rows: number; json?: boolean }) => {
    const config = configOrRefuse();
    const report = await withTemporal(config.temporal, async (temporal) => {
      if (options.clientId) await requireActiveClient(temporal, options.clientId);
      return todayReport(temporal, { rows: options.rows, openingWaitSeconds: config.openingWait.openingWaitSeconds, ...(options.clientId ? { clientId: options.clientId } : {}) });
    });
    if (options.json) console.log(JSON.stringify(report, null, 2));
    else console.log(todayText(report));
  });

void runCommand(program);
