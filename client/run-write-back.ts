import { Option } from 'commander';
import { requireActiveClient } from './client-directory';
import { clientIdArgument, newCommand, runCommand } from './command-line';
import { formatCount, table, type Column } from './human-output';
import { refuseOnNonWorkingDay, runToCompletion, withRunOptions } from './run-to-completion';
import { startManualWriteBack } from './start-write-back';
import { writeBackProgressQuery, type WriteBackProgress } from '../workflows/messages';

/**
 * `npm run write-back [-- --force] [-- --client <id> ...]`: report every distributed invoice that
 * PowerOffice GO does not know yet (KID, PDF, status), now. Harmless to repeat: an invoice already
 * written back is not written again. A named client must be onboarded and active.
 */
const collectClientIds = (value: string, previous: string[]) => [...previous, clientIdArgument(value)];

const program = withRunOptions(
  newCommand('write-back', 'Report every invoice sent since the last write-back to PowerOffice GO now (KID, PDF as sent, factoring status), and wait for the result.')
    .option('--force', 'run even on a weekend or Norwegian public holiday')
    .addOption(
      new Option('--client <id>', 'only this client, which must be onboarded and active (repeat for more)').argParser(collectClientIds).default([], 'every active client'),
    ),
).action(async (options: { force?: boolean; client: string[]; json?: boolean; progressEvery: number }) => {
  refuseOnNonWorkingDay('write-back', options.force);
  const clientIds = [...new Set(options.client)];
  await runToCompletion(
    {
      what: 'write-back',
      before: async (client) => {
        for (const clientId of clientIds) await requireActiveClient(client, clientId);
      },
      start: (client, taskQueue) =>
        startManualWriteBack(client, taskQueue, { ...(options.force ? { force: true } : {}), ...(clientIds.length ? { clientIds } : {}) }),
      progress: writeBackProgressQuery,
      progressLine: (p) => {
        const t = totals(p);
        return `${t.writtenBack} written back, ${t.upToDate} up to date, ${t.failed} failed, across ${Object.keys(p.clients).length} client(s)`;
      },
      progressDetails: (p) => Promise.resolve(Object.keys(p.clients).length === 0 ? [] : clientTable(p, Object.keys(p.clients).slice(0, 20))),
      summary: (p, workflowId) => writeBackSummary(p, workflowId, clientIds),
    },
    options,
  );
});

function totals(p: WriteBackProgress): { writtenBack: number; upToDate: number; failed: number } {
  const all = Object.values(p.clients);
  return {
    writtenBack: all.reduce((n, c) => n + c.writtenBack, 0),
    upToDate: all.reduce((n, c) => n + c.upToDate, 0),
    failed: all.reduce((n, c) => n + c.failed, 0),
  };
}

const right = (title: string): Column => ({ title, align: 'right' });

/** One row per client: its counts, or that nothing was due (a named client is shown either way, so the operator sees it was looked at). */
function clientTable(p: WriteBackProgress, clientIds: readonly string[]): string[] {
  const rows = clientIds.map((clientId) => {
    const c = p.clients[clientId];
    const due = c ? c.writtenBack + c.upToDate + c.failed : 0;
    return c && due > 0 ? [clientId, formatCount(c.writtenBack), formatCount(c.upToDate), formatCount(c.failed), ''] : [clientId, '–', '–', '–', 'no invoice was due'];
  });
  return table([{ title: 'client' }, right('written back'), right('up to date'), right('failed'), { title: '' }], rows);
}

function writeBackSummary(p: WriteBackProgress, workflowId: string, named: string[]): string[] {
  const t = totals(p);
  const lines = [`Write-back ${workflowId} finished: ${formatCount(t.writtenBack)} written back, ${formatCount(t.upToDate)} up to date, ${formatCount(t.failed)} failed.`];
  const clientIds = [...new Set([...named, ...Object.keys(p.clients)])];
  if (clientIds.length === 0) lines.push('No invoice was due for write-back.');
  else lines.push(...clientTable(p, clientIds));
  if (p.failures.length > 0) {
    lines.push('Failed (PowerOffice GO refused; tried again at every write-back; npm run -s report -- --client-id ID lists them):');
    lines.push(...table([{ title: 'client' }, right('invoice'), { title: 'why' }], p.failures.map((f) => [f.clientId, String(f.invoiceNo), f.reason])));
  }
  if (p.unanswered > 0) lines.push(`${formatCount(p.unanswered)} invoice(s) did not answer within the wait; the next write-back asks them again.`);
  return lines;
}

void runCommand(program);
