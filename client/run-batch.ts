import { newCommand, runCommand } from './command-line';
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
      summary: batchSummary,
    },
    options,
  );
});

function totals(p: BatchProgress): { started: number; alreadyStarted: number; rejected: number; failed: number } {
  const all = Object.values(p.clients);
  const sum = (pick: (c: ClientBatchCounts) => number) => all.reduce((n, c) => n + pick(c), 0);
  return { started: sum((c) => c.started), alreadyStarted: sum((c) => c.alreadyStarted), rejected: sum((c) => c.rejected), failed: sum((c) => c.failed ?? 0) };
}

const counted = (counts: Record<string, number>) =>
  Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([name, n]) => `${name} ${n}`)
    .join(', ') || 'none';

function batchSummary(p: BatchProgress, workflowId: string): string[] {
  const t = totals(p);
  const clients = Object.entries(p.clients);
  const lines = [`Batch ${workflowId} finished: ${t.started} invoice(s) started, ${t.alreadyStarted} already started earlier, ${t.rejected} rejected, ${t.failed} failed, across ${clients.length} client(s).`];
  if (clients.length === 0) lines.push('No active client had invoices available.');
  for (const [clientId, c] of clients) {
    lines.push(`  client ${clientId}: ${c.started} started (${counted(c.byDocumentType)}), ${c.alreadyStarted} already started${c.reassessed ? ` (${c.reassessed} of them rejected before and assessed again)` : ''}; channels: ${counted(c.byChannel)}; ${c.rejected} rejected; ${c.failed ?? 0} failed`);
  }
  if (p.rejected.length > 0) {
    lines.push('Not distributed (npm run -s report -- --client-id ID lists every one, to send on to the client):');
    for (const r of p.rejected) lines.push(`  client ${r.clientId} invoice ${r.invoiceNo}: ${r.reasons.join('; ')}`);
  }
  if (p.failed && p.failed.length > 0) {
    lines.push('Failed (a technical failure; the next batch tries them again, npm run -s report lists them):');
    for (const f of p.failed) lines.push(`  client ${f.clientId} invoice ${f.invoiceNo}: ${f.reason}`);
  }
  for (const skipped of p.skippedClients ?? []) lines.push(`Client ${skipped.clientId} was skipped: ${skipped.reason}`);
  if (p.unassessed) lines.push(`${p.unassessed} invoice(s) had not been assessed when the batch stopped waiting; they carry on by themselves.`);
  return lines;
}

void runCommand(program);
