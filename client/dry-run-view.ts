import type { Channel } from '../domain/channel';
import { formatKroner } from '../domain/money';
import { osloNorwegianDateTime } from '../domain/oslo-time';
import type { DryRunInvoice, DryRunReport } from './dry-run-check';
import { PROBLEM_LABELS } from './dry-run-findings';

const CHANNEL_NAMES: Record<Channel, string> = {
  ehf: 'EHF e-invoice',
  'email-link': 'e-mail with link and code',
  'email-pdf': 'e-mail with PDF',
  letter: 'letter',
};

const OUTCOME_NAMES: Record<DryRunInvoice['outcome'], string> = { 'would-send': '', 'would-reject': 'rejected', 'would-fail': 'would fail' };

/** 2026-12-11 → 11.12.2026: a due date is a calendar date already, no time zone to convert. */
function norwegianDate(isoDate: string | undefined): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate ?? '');
  return match ? `${match[3]}.${match[2]}.${match[1]}` : '';
}

/** Columns padded to their widest cell; `right` holds the columns aligned right (amounts, counts). A last column aligned left is not padded. */
export function alignedTable(header: string[], rows: string[][], right: ReadonlySet<number> = new Set()): string[] {
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) =>
    `  ${cells
      .map((cell, i) => (right.has(i) ? cell.padStart(widths[i]!) : i === cells.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd()}`;
  return [line(header), ...rows.map(line)];
}

function wouldGoAs(invoice: DryRunInvoice): string {
  return invoice.channel ? CHANNEL_NAMES[invoice.channel] : OUTCOME_NAMES[invoice.outcome];
}

/** For an operator: every invoice and how it would go, every problem, the counts. */
export function dryRunText(report: DryRunReport): string {
  const read = osloNorwegianDateTime(new Date(report.checkedAt));
  const status = report.clientStatus === 'Active' ? 'active' : 'not active yet (disabled)';
  const lines = [
    `Dry run for client ${report.clientId} (${status}), PowerOffice GO read ${read}: ${report.invoices.length} invoice(s) available for factoring. Nothing was booked, sent or written.`,
  ];
  if (report.invoices.length === 0) return [...lines, 'There is nothing to check.'].join('\n');
  lines.push(
    '',
    ...alignedTable(
      ['Invoice', 'Customer', 'Amount (NOK)', 'Due', 'Would go as', 'Why'],
      report.invoices.map((invoice) => [
        String(invoice.invoiceNo),
        invoice.customerNo !== undefined ? String(invoice.customerNo) : '',
        formatKroner(invoice.amountOre),
        norwegianDate(invoice.dueDate),
        wouldGoAs(invoice),
        invoice.why,
      ]),
      new Set([2]),
    ),
    '',
  );
  if (report.problems.length === 0) {
    lines.push('No problems found.');
  } else {
    lines.push(
      `Problems (${report.problems.length}); npm run -s dry-run -- --client-id ${report.clientId} --csv gives them for the client:`,
      ...alignedTable(
        ['Invoice', 'Customer', 'Problem'],
        report.problems.map((p) => [p.invoiceNo !== undefined ? String(p.invoiceNo) : '', p.customerNo !== undefined ? String(p.customerNo) : '', p.problem]),
      ),
      '',
      'Summary:',
      ...alignedTable(
        ['Problem', 'Count'],
        report.summary.map((line) => [PROBLEM_LABELS[line.kind], String(line.count)]),
        new Set([1]),
      ).slice(1),
    );
  }
  const outcomes = Object.entries(report.outcomes).map(([key, count]) => `${key in CHANNEL_NAMES ? CHANNEL_NAMES[key as Channel] : key === 'rejected' ? 'rejected' : key === 'unreadable' ? 'could not be read' : 'would fail'} ${count}`);
  lines.push('', `Would go as: ${outcomes.join(', ')}.`);
  return lines.join('\n');
}

function csvCell(value: string | number | undefined): string {
  return `"${String(value ?? '').replace(/"/g, '""')}"`;
}

/** For the client: one row per problem, semicolon-separated for Excel in Norway (as `npm run report -- --csv`). */
export function dryRunCsv(report: DryRunReport): string {
  const rows = report.problems.map((p) => [p.invoiceNo, p.customerNo, PROBLEM_LABELS[p.kind], p.field, p.problem].map(csvCell).join(';'));
  return ['Fakturanr;Kundenr;Problem;Felt;Beskrivelse', ...rows].join('\n');
}
