import { formatKroner } from '../domain/money';
import type { FactoringDocument } from '../domain/invoice';
import type { BatchProgress, InvoiceStatus, WriteBackProgress } from './messages';
import type { ReturnDataRunReport } from './return-data-messages';

/**
 * What the Web UI shows beside a workflow's id: its static summary and details (fixed at its start),
 * its current details (updated as it moves), and a summary of each activity it schedules.
 *
 * Identifiers, states, amounts and dates only, never a name, an address or an e-mail: static
 * summaries and details and activity summaries are stored in the workflow's history (user metadata
 * of its start and of each scheduled activity), readable by anyone who can open the namespace.
 * Invoice numbers, KIDs, amounts and organisation numbers are not personal data here: the invoice is
 * a client company's claim, and PowerOffice GO, the partner and the bank all see them. A customer's
 * number is left out all the same: for a private customer it points at one person. Current details
 * are not stored in history (the worker answers them from memory, as the invoiceStatus query), so
 * they may carry the reasons that query carries.
 */

const CHANNEL_WORDS: Record<string, string> = {
  ehf: 'EHF',
  'email-link': 'e-mail with link and code',
  'email-pdf': 'e-mail with the PDF',
  letter: 'letter',
};

function channelWords(channel: string): string {
  return CHANNEL_WORDS[channel] ?? channel;
}

/** 2026-11-30 → 30.11.2026; anything else as it is. */
function norwegianDate(isoDate: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDate);
  return match ? `${match[3]}.${match[2]}.${match[1]}` : isoDate;
}

function documentWord(document: Pick<FactoringDocument, 'documentType'>): string {
  return document.documentType === 'CreditNote' ? 'Credit note' : 'Invoice';
}

/** "Invoice 10023 · client 1001 · 1 234,50 kr": what an operator looks for in the list. */
export function invoiceStaticSummary(document: FactoringDocument): string {
  return `${documentWord(document)} ${document.invoiceNo} · client ${document.clientId} · ${formatKroner(document.totalAmountOre)} kr`;
}

/** The fixed facts of the invoice, one per line (Temporal markdown). */
export function invoiceStaticDetails(document: FactoringDocument, startedBy: string): string {
  return [
    `**${documentWord(document)} ${document.invoiceNo}** of client ${document.clientId}`,
    `Amount: ${formatKroner(document.totalAmountOre)} kr`,
    ...(document.invoiceDate ? [`Invoice date: ${norwegianDate(document.invoiceDate)}`] : []),
    ...(document.dueDate ? [`Due date: ${norwegianDate(document.dueDate)}`] : []),
    ...(document.originalInvoiceNo !== undefined ? [`Credits invoice ${document.originalInvoiceNo}`] : []),
    `PowerOffice GO id: ${document.invoiceId}`,
    `Started by: ${startedBy}`,
  ].join('\n');
}

/** Where the invoice is now: state, channel and why, KID, sends, openings, write-back, reasons. */
export function invoiceCurrentDetails(status: InvoiceStatus): string {
  const lines = [`**${status.state}**${status.channel ? ` · ${channelWords(status.channel)}` : ''}${status.kid ? ` · KID ${status.kid}` : ''}`];
  if (status.channelReason) lines.push(`Channel: ${status.channelReason}`);
  if (status.sends.length > 0) lines.push(`Sent: ${status.sends.map((send) => `${channelWords(send.channel)} ${send.sentAt}`).join('; ')}`);
  if (status.openedAt) lines.push(`Opened: ${status.openedAt}${status.openedAfterLetter ? ' (after the letter)' : ''}`);
  if (status.writeBack) lines.push(`Write-back: ${status.writeBack.state} (${status.writeBack.reportedSends} of ${status.sends.length} sends reported)${status.writeBack.reason ? `: ${status.writeBack.reason}` : ''}`);
  if (status.reasons && status.reasons.length > 0) lines.push(`Reason: ${status.reasons.join('; ')}`);
  return lines.join('\n');
}

/** The batch's counts so far, per client (the batchProgress query has them all). */
export function batchCurrentDetails(progress: BatchProgress, clientCount: number): string {
  const clients = Object.entries(progress.clients);
  const sum = (pick: (c: BatchProgress['clients'][string]) => number) => clients.reduce((total, [, c]) => total + pick(c), 0);
  const channels: Record<string, number> = {};
  for (const [, c] of clients) for (const [channel, n] of Object.entries(c.byChannel)) channels[channel] = (channels[channel] ?? 0) + n;
  const byChannel = Object.entries(channels).map(([channel, n]) => `${channelWords(channel)} ${n}`).join(', ');
  return [
    `**${progress.done ? 'Done' : progress.cursor.clientIndex < clientCount ? 'Fetching' : 'Waiting for reports'}** · client ${Math.min(progress.cursor.clientIndex + 1, clientCount)} of ${clientCount} · run ${progress.runsSoFar}`,
    `Started ${sum((c) => c.started)} · already started ${sum((c) => c.alreadyStarted)} · assessed ${progress.assessed} · rejected ${sum((c) => c.rejected)} · failed ${sum((c) => c.failed ?? 0)}`,
    ...(byChannel ? [`Channels: ${byChannel}`] : []),
    ...clients.map(([clientId, c]) => `Client ${clientId}: started ${c.started}, already ${c.alreadyStarted}, rejected ${c.rejected}, failed ${c.failed ?? 0}`),
  ].join('\n');
}

export function writeBackCurrentDetails(progress: WriteBackProgress, clientCount: number): string {
  const clients = Object.values(progress.clients);
  const sum = (pick: (c: (typeof clients)[number]) => number) => clients.reduce((total, c) => total + pick(c), 0);
  return [
    `**${progress.done ? 'Done' : 'Writing back'}** · client ${Math.min(progress.cursor.clientIndex + 1, clientCount)} of ${clientCount}`,
    `Written back ${sum((c) => c.writtenBack)} · up to date ${sum((c) => c.upToDate)} · failed ${sum((c) => c.failed)} · unanswered ${progress.unanswered}`,
  ].join('\n');
}

/** How many clients reported how, of those asked; the per-client report is in the returnDataRun query. */
export function returnDataCurrentDetails(report: ReturnDataRunReport, asked: number): string {
  const reports = Object.values(report.clients);
  const count = (status: string) => reports.filter((r) => r.status === status).length;
  return [
    `**${report.done ? 'Done' : 'Posting'}** · ${reports.length} of ${asked} client(s) reported · ${report.skipped.length} skipped (no account mapping)`,
    `Done ${count('done')} · blocked ${count('blocked')} · failed ${count('failed')} · not reported ${count('not-reported')} · vouchers posted ${reports.reduce((n, r) => n + r.posted, 0)}`,
  ].join('\n');
}

function field(args: unknown[], name: string): unknown {
  const input = args[0];
  return typeof input === 'object' && input !== null ? (input as Record<string, unknown>)[name] : undefined;
}

function documentOf(args: unknown[]): FactoringDocument | undefined {
  const document = field(args, 'document');
  return typeof document === 'object' && document !== null && 'invoiceNo' in document ? (document as FactoringDocument) : undefined;
}

function countOf(args: unknown[], name: string): number | undefined {
  const list = field(args, name);
  return Array.isArray(list) ? list.length : undefined;
}

/**
 * The summary the Web UI shows for one scheduled activity ("send: EHF", "book at ledger: …"), from
 * its name and input; undefined for activities that need none. Only the identifiers above: the
 * summary is stored in history with the ActivityTaskScheduled event.
 */
export function activitySummary(activityType: string, args: unknown[]): string | undefined {
  const document = documentOf(args);
  const no = document ? ` ${document.invoiceNo}` : '';
  switch (activityType) {
    case 'sendInvoice': {
      const channel = field(args, 'channel');
      return typeof channel === 'string' ? `send${no} as ${channelWords(channel)}` : undefined;
    }
    case 'bookInvoice':
      return document ? `book${no} at the ledger: ${formatKroner(document.totalAmountOre)} kr, KID ${String(field(args, 'kid'))}` : undefined;
    case 'assessInvoice':
    case 'assessInvoiceReadingEhf':
      return `assess${no}: postal address, EHF rules, KID, channel`;
    case 'readInvoiceEhf':
      return `read the EHF of${no || ' the invoice'} from PowerOffice GO`;
    case 'readCustomerCards':
      return `read ${countOf(args, 'customerNos') ?? 'the'} customer card(s) from PowerOffice GO`;
    case 'fetchAvailableInvoicePage': {
      const after = field(args, 'afterInvoiceNo');
      return `fetch available invoices of client ${String(field(args, 'clientId'))}${typeof after === 'number' ? ` after ${after}` : ''}`;
    }
    case 'invoicesUnderGuidIds':
      return `which of ${countOf(args, 'invoiceIds') ?? 'the'} invoices of client ${String(field(args, 'clientId'))} run under a GUID id`;
    case 'listActiveClients':
      return 'list the active clients';
    case 'listInvoicesAwaitingWriteBack':
      return `invoices of client ${String(field(args, 'clientId'))} awaiting write-back`;
    case 'checkWrittenBack':
      return `check the write-back of${no} in PowerOffice GO`;
    case 'deliverWriteBack':
      return `write back${no}: KID and PDF to PowerOffice GO`;
    case 'updateWriteBackStatus':
      return `factoring status of${no} in PowerOffice GO`;
    case 'writeBackInvoice':
      return `write back${no} to PowerOffice GO`;
    default:
      return undefined;
  }
}
