import type { Client } from '@temporalio/client';
import { newCommand, runCommand } from './command-line';
import { CHANNEL_COLUMNS, formatCount, table } from './human-output';
import { refuseOnNonWorkingDay, runToCompletion, withRunOptions } from './run-to-completion';
import { startManualBatch } from './start-batch';
import { batchProgressQuery, type BatchProgress, type ClientBatchCounts } from '../workflows/messages';

/**
 * `npm run batch [-- --force] [-- --json]`: fetch and distribute every active client's available
 * invoices now, against a running worker, and wait for the result.
 */
const program = withRunOptions(
  newCommand('batch', "Fetch and distribute every active client's available invoices now (a running worker does the work), and wait for the result.")
    .option('--force', 'run even on a weekend or Norwegian public holiday'),
).action(async (options: { force?: boolean; json?: boolean; progressEvery: number }) => {
  refuseOnNonWorkingDay('batch', options.force);
  await runToCompletion(
    {
      what: 'batch',
      start: (client, taskQueue) => startManualBatch(client, taskQueue, options.force ? { force: true } : {}),
      progress: batchProgressQuery,
      progressLine: (p) => {
        const t = totals(p);
        return `${t.started} invoice(s) started, ${t.alreadyStarted} already started, ${p.assessed} assessed, ${t.rejected} rejected, ${t.failed} failed, across ${Object.keys(p.clients).length} client(s)`;
      },
      progressDetails: perClientProgress,
      summary: batchSummary,
    },
    options,
  );
});

/** Clients listed under the progress line; a batch of hundreds of clients shows the busiest. */
const PROGRESS_CLIENTS = 20;
const SENT_STATES = "('Delivered', 'Waiting', 'Opened', 'LetterSent')";

/**
 * Per client: fetched (new and already started), started, assessed (channel chosen, rejected or
 * failed: the invoices' reports to the batch), and sent, which the batch is never told: counted in
 * visibility among the invoices this batch started (ParentWorkflowId).
 */
async function perClientProgress(p: BatchProgress, client: Client, workflowId: string): Promise<string[]> {
  const clients = Object.entries(p.clients)
    .map(([clientId, c]) => ({ clientId, c, assessed: Object.values(c.byChannel).reduce((n, k) => n + k, 0) + c.rejected + (c.failed ?? 0) }))
    .sort((a, b) => b.c.started + b.c.alreadyStarted - (a.c.started + a.c.alreadyStarted) || a.clientId.localeCompare(b.clientId));
  const shown = clients.slice(0, PROGRESS_CLIENTS);
  const sent = await Promise.all(
    shown.map(async ({ clientId, c }) =>
      c.started === 0 ? 0 : (await client.workflow.count(`ParentWorkflowId = '${workflowId}' AND ClientId = '${clientId}' AND DistributionState IN ${SENT_STATES}`)).count,
    ),
  );
  const rows = shown.map(({ clientId, c, assessed }, i) => [
    clientId,
    formatCount(c.started + c.alreadyStarted + (c.unreadable ?? 0)),
    formatCount(c.started),
    formatCount(assessed),
    formatCount(sent[i]!),
    formatCount(c.rejected),
    formatCount(c.failed ?? 0),
    formatCount(c.unreadable ?? 0),
  ]);
  const right = (title: string) => ({ title, align: 'right' as const });
  const lines = table([{ title: 'client' }, right('fetched'), right('started'), right('assessed'), right('sent'), right('rejected'), right('failed'), right('unreadable')], rows);
  if (clients.length > shown.length) lines.push(`  … and ${formatCount(clients.length - shown.length)} more clients`);
  return shown.length === 0 ? [] : lines;
}

function totals(p: BatchProgress): { started: number; alreadyStarted: number; rejected: number; failed: number } {
  const all = Object.values(p.clients);
  const sum = (pick: (c: ClientBatchCounts) => number) => all.reduce((n, c) => n + pick(c), 0);
  return { started: sum((c) => c.started), alreadyStarted: sum((c) => c.alreadyStarted), rejected: sum((c) => c.rejected), failed: sum((c) => c.failed ?? 0) };
}

const right = (title: string) => ({ title, align: 'right' as const });

function batchSummary(p: BatchProgress, workflowId: string): string[] {
  const t = totals(p);
  const clients = Object.entries(p.clients);
  const lines = [
    `Batch ${workflowId} finished: ${formatCount(t.started)} invoice(s) started, ${formatCount(t.alreadyStarted)} already started earlier, ${formatCount(t.rejected)} rejected, ${formatCount(t.failed)} failed, across ${formatCount(clients.length)} client(s).`,
  ];
  if (clients.length === 0) lines.push('No active client had invoices available.');
  else {
    lines.push(
      ...table(
        [{ title: 'client' }, right('started'), right('invoices'), right('credit notes'), right('already started'), right('assessed again'), ...CHANNEL_COLUMNS.map((c) => right(c.title)), right('rejected'), right('failed'), right('unreadable')],
        clients.map(([clientId, c]) => [
          clientId,
          formatCount(c.started),
          formatCount(c.byDocumentType.Invoice),
          formatCount(c.byDocumentType.CreditNote),
          formatCount(c.alreadyStarted),
          formatCount(c.reassessed ?? 0),
          ...CHANNEL_COLUMNS.map((column) => formatCount(c.byChannel[column.channel] ?? 0)),
          formatCount(c.rejected),
          formatCount(c.failed ?? 0),
          formatCount(c.unreadable ?? 0),
        ]),
      ),
    );
  }
  if (p.rejected.length > 0) {
    lines.push('Not distributed (npm run -s report -- --client-id ID lists every one, to send on to the client):');
    lines.push(...table([{ title: 'client' }, right('invoice'), { title: 'why' }], p.rejected.map((r) => [r.clientId, String(r.invoiceNo), r.reasons.join('; ')]), { maxWidth: 200 }));
  }
  if (p.failed && p.failed.length > 0) {
    lines.push('Failed (a technical failure; the next batch tries them again, npm run -s report lists them):');
    lines.push(...table([{ title: 'client' }, right('invoice'), { title: 'why' }], p.failed.map((f) => [f.clientId, String(f.invoiceNo), f.reason]), { maxWidth: 200 }));
  }
  if (p.unreadable && p.unreadable.length > 0) {
    lines.push('Could not be read from PowerOffice GO (no workflow; the client corrects the invoice, the next batch takes it):');
    lines.push(...table([{ title: 'client' }, right('invoice'), { title: 'why' }], p.unreadable.map((u) => [u.clientId, u.invoiceNo !== undefined ? String(u.invoiceNo) : '(none)', u.reason]), { maxWidth: 200 }));
  }
  for (const skipped of p.skippedClients ?? []) lines.push(`Client ${skipped.clientId} was skipped: ${skipped.reason}`);
  if (p.unassessed) lines.push(`${formatCount(p.unassessed)} invoice(s) had not been assessed when the batch stopped waiting; they carry on by themselves.`);
  return lines;
}

void runCommand(program);
