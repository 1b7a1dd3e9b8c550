import { formatKroner, type Ore } from '../domain/money';
import { osloNorwegianDate, osloNorwegianDateTime } from '../domain/oslo-time';
import { boundedTable, CHANNEL_COLUMNS, formatCount, plural, table, type Column } from './human-output';
import type { TodayReport } from './today-report';

const when = (iso: string | undefined) => (iso ? osloNorwegianDateTime(new Date(iso)) : '–');
const day = (date: string) => osloNorwegianDate(new Date(`${date}T12:00:00Z`));
const right = (title: string): Column => ({ title, align: 'right' });
const left = (title: string): Column => ({ title });

/** "4-day", "2-hour", "90-second": the opening wait as configured. */
export function waitText(seconds: number): string {
  if (seconds % 86_400 === 0) return `${seconds / 86_400}-day`;
  if (seconds % 3_600 === 0) return `${seconds / 3_600}-hour`;
  return `${formatCount(seconds)}-second`;
}

/** The page `npm run -s today` prints: one headline per section, then its table (bounded). */
export function todayText(report: TodayReport): string {
  const lines = [`Today ${when(report.generatedAt)} (Oslo time)${report.clientId ? `, client ${report.clientId}` : ''}`];
  const section = (headline: string, body: string[]) => lines.push('', headline, ...body);

  const { runs } = report.batches;
  section(
    `Batches since ${day(report.batches.since)} (the last working day): ${runs.total === 0 ? 'none' : formatCount(runs.total)}`,
    boundedTable(
      [left('started'), left('batch'), left('status'), right('fetched'), right('new'), ...CHANNEL_COLUMNS.map((c) => right(c.title)), right('rejected'), right('failed'), right('unreadable')],
      runs,
      (b) => [
        when(b.startedAt),
        b.workflowId,
        b.reason ? `${b.status}: ${b.reason}` : b.status,
        formatCount(b.fetched),
        formatCount(b.started),
        ...CHANNEL_COLUMNS.map((c) => formatCount(b.byChannel[c.channel] ?? 0)),
        formatCount(b.rejected),
        formatCount(b.failed),
        formatCount(b.unreadable),
      ],
      'batches',
    ),
  );

  const nd = report.notDistributed;
  section(
    nd.invoices.total === 0
      ? 'Not distributed: none'
      : `Not distributed: ${formatCount(nd.rejected)} rejected (the client's data must change: npm run -s report -- --client-id ID --csv to send on), ${formatCount(nd.failed)} failed (technical, for Factoring Finans)`,
    boundedTable([left('client'), right('invoice'), left('state'), left('since'), left('reason')], nd.invoices, (i) => [i.clientId, String(i.invoiceNo), i.state, when(i.since), i.reasons.join('; ')], 'invoices'),
  );

  // Only the batch knows these (no workflow was started), and every batch lists them again until fixed: the newest one's are current.
  const newest = runs.rows[0];
  if (newest && newest.unreadable > 0) {
    section(
      `Could not be read from PowerOffice GO (batch ${newest.workflowId}): ${formatCount(newest.unreadable)} (the client corrects them in PowerOffice GO; the next batch takes them)`,
      table(
        [left('client'), right('invoice'), left('why')],
        newest.unreadableInvoices.map((u) => [u.clientId, u.invoiceNo !== undefined ? String(u.invoiceNo) : '(none)', u.reason]),
        { maxWidth: 160 },
      ),
    );
  }

  const letters = report.letters.sentToday;
  section(
    `Letters sent today after the ${waitText(report.letters.openingWaitSeconds)} wait (the e-mail with link was not opened): ${letters.total === 0 ? 'none' : formatCount(letters.total)}`,
    boundedTable([left('client'), right('invoice'), left('e-mail sent'), left('letter sent')], letters, (l) => [l.clientId, String(l.invoiceNo), when(l.emailSentAt), when(l.letterSentAt)], 'letters'),
  );

  section(
    'Openings of e-mails with link and code, by the day they went out',
    report.openings.every((d) => d.sent === 0)
      ? ['  none sent in the last days']
      : table(
          [left('day'), right('sent'), right('opened'), right('waiting'), right('letter sent')],
          report.openings.map((d) => [day(d.date), formatCount(d.sent), formatCount(d.opened), formatCount(d.waiting), formatCount(d.letterSent)]),
        ),
  );

  const wb = report.writeBack;
  const last = wb.lastRun;
  section(`Write-back to PowerOffice GO: ${plural(wb.pending, 'invoice')} pending, ${formatCount(wb.failed)} failed`, [
    last
      ? `  last run ${last.workflowId}, started ${when(last.startedAt)}, ${last.status}${last.reason ? `: ${last.reason}` : ''}: ${formatCount(last.writtenBack)} written back, ${formatCount(last.upToDate)} up to date, ${formatCount(last.failed)} failed${last.unanswered ? `, ${formatCount(last.unanswered)} did not answer` : ''}`
      : '  no write-back run in the last two weeks',
    ...boundedTable([left('client'), right('invoice'), left('why PowerOffice GO refused')], wb.failures, (f) => [f.clientId, String(f.invoiceNo), f.reason], 'failures'),
  ]);

  const um = report.unmatchedPayments;
  section(
    um.payments.total === 0 ? 'Unmatched payments (OCR giro): none' : `Unmatched payments (OCR giro): ${plural(um.payments.total, 'payment')} kept aside, in ${plural(um.imports, 'import')} (npm run -s unmatched-payments lists them all)`,
    boundedTable(
      [left('imported'), left('transmission'), right('line'), right('NOK'), left('status'), left('why')],
      um.payments,
      (p) => [when(p.importedAt), p.transmissionNumber, String(p.line), formatKroner(p.amountOre as Ore), p.status, p.explanation],
      'payments',
    ),
  );

  const blocked = report.returnDataBlocked;
  section(
    blocked.total === 0 ? 'Return data: no client blocked' : `Return data: ${plural(blocked.total, 'client')} blocked (nothing of the page posted until fixed)`,
    boundedTable([left('client'), left('what is missing')], blocked, (b) => [b.clientId, b.problems.join('; ')], 'clients'),
  );
  return lines.join('\n');
}
