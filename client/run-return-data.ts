import { osloNorwegianDate } from '../domain/oslo-time';
import { newCommand, runCommand } from './command-line';
import { formatCount, table, type Column } from './human-output';
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
      progressDetails: (p) => Promise.resolve(Object.keys(p.clients).length === 0 ? [] : clientTable(Object.entries(p.clients).slice(0, 20))),
      summary: returnDataSummary,
    },
    options,
  );
});

const right = (title: string): Column => ({ title, align: 'right' });

/** What happened to the client's events, beyond the counts: per type, or why it stopped. */
function clientNote(r: ClientReturnDataReport): string {
  if (r.status === 'blocked') return `nothing of the page posted: ${(r.problems ?? []).join('; ')}`;
  if (r.status === 'failed') return `${r.failure?.eventId ? `at ledger event ${r.failure.eventId}: ` : ''}${r.failure?.reason ?? 'no reason given'} (the next run tries again)`;
  if (r.status === 'not-reported') return 'did not report within the wait (its workflow goes on; see return-data-client-<id>)';
  return Object.entries(r.postedByType)
    .map(([type, n]) => `${type} ${formatCount(n)}`)
    .join(', ');
}

function clientTable(reports: readonly [string, ClientReturnDataReport][]): string[] {
  return table(
    [{ title: 'client' }, { title: 'status' }, right('posted'), right('already posted'), { title: '' }],
    reports.map(([clientId, r]) => [clientId, r.status, formatCount(r.posted), formatCount(r.alreadyPosted), clientNote(r)]),
    { maxWidth: 200 },
  );
}

function returnDataSummary(p: ReturnDataRunReport, workflowId: string): string[] {
  const clients = Object.entries(p.clients);
  const byStatus = (status: ClientReturnDataReport['status']) => clients.filter(([, r]) => r.status === status).length;
  const posted = clients.reduce((n, [, r]) => n + r.posted, 0);
  const alreadyPosted = clients.reduce((n, [, r]) => n + r.alreadyPosted, 0);
  const outcome =
    clients.length === 0
      ? ''
      : `: ${formatCount(byStatus('done'))} done, ${formatCount(byStatus('blocked'))} blocked, ${formatCount(byStatus('failed'))} failed${byStatus('not-reported') ? `, ${formatCount(byStatus('not-reported'))} not reported` : ''}; ${formatCount(posted)} voucher(s) posted, ${formatCount(alreadyPosted)} already posted`;
  const day = osloNorwegianDate(new Date(`${p.date}T12:00:00Z`));
  const lines = [`Return-data run ${workflowId} (${day}) finished: ${formatCount(clients.length)} client(s) with return data${outcome}.`];
  if (clients.length > 0) lines.push(...clientTable(clients));
  if (p.skipped.length > 0) lines.push(`Skipped, no account mapping (return data not ordered): ${p.skipped.join(', ')}`);
  return lines;
}

void runCommand(program);
