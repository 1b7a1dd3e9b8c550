import { newCommand, runCommand } from './command-line';
import { refuseOnNonWorkingDay, runToCompletion, withRunOptions } from './run-to-completion';
import { startManualReturnData } from './start-return-data';
import { returnDataRunQuery, type ClientReturnDataReport, type ReturnDataRunReport } from '../workflows/return-data-messages';

/**
 * `npm run return-data [-- --force]`: post every new ledger event of the clients who ordered return
 * data into their PowerOffice GO now, and print the per-client report. Rerunning posts nothing twice.
 */
const program = withRunOptions(
  newCommand(
    'return-data',
    "Post every new ledger event (payments, fees, payouts, balance changes) of the clients who ordered return data into their PowerOffice GO now, and wait for the per-client report.",
  ).option('--force', 'run even on a weekend or Norwegian public holiday'),
).action(async (options: { force?: boolean; json?: boolean; progressEvery: number }) => {
  refuseOnNonWorkingDay('return-data run', options.force);
  await runToCompletion(
    {
      what: 'return-data run',
      start: (client, taskQueue) => startManualReturnData(client, taskQueue, options.force ? { force: true } : {}),
      progress: returnDataRunQuery,
      progressLine: (p) => {
        const reports = Object.values(p.clients);
        return `${reports.length} client(s) reported, ${reports.reduce((n, r) => n + r.posted, 0)} voucher(s) posted so far`;
      },
      summary: returnDataSummary,
    },
    options,
  );
});

function clientLine(r: ClientReturnDataReport): string {
  const byType = Object.entries(r.postedByType)
    .map(([type, n]) => `${type} ${n}`)
    .join(', ');
  const counts = `${r.posted} voucher(s) posted${byType ? ` (${byType})` : ''}, ${r.alreadyPosted} already posted`;
  if (r.status === 'blocked') return `blocked, nothing of the page posted: ${(r.problems ?? []).join('; ')}`;
  if (r.status === 'failed') return `failed${r.failure?.eventId ? ` at ledger event ${r.failure.eventId}` : ''}: ${r.failure?.reason ?? 'no reason given'} (${counts}; the next run tries again)`;
  if (r.status === 'not-reported') return 'did not report within the wait (its workflow goes on; see return-data-client-<id>)';
  return `done, ${counts}`;
}

function returnDataSummary(p: ReturnDataRunReport, workflowId: string): string[] {
  const clients = Object.entries(p.clients);
  const lines = [`Return-data run ${workflowId} (${p.date}) finished: ${clients.length} client(s) with return data.`];
  for (const [clientId, report] of clients) lines.push(`  client ${clientId}: ${clientLine(report)}`);
  if (p.skipped.length > 0) lines.push(`Skipped, no account mapping (return data not ordered): ${p.skipped.join(', ')}`);
  return lines;
}

void runCommand(program);
