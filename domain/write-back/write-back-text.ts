import type { DocumentType } from '../invoice';
import { osloNorwegianDate } from '../oslo-time';

/** One hand-over to the end customer, as the invoice workflow recorded it. */
export interface SentCopy {
  channel: string;
  /** ISO 8601 instant the partner accepted it. */
  sentAt: string;
}

/** How the client's accountant reads each channel in PowerOffice GO (Norwegian, like the rest of GO). */
const CHANNEL_TEXT: Record<string, string> = {
  ehf: 'EHF',
  'email-link': 'e-post med lenke og kode',
  'email-pdf': 'e-post med PDF',
  letter: 'brev',
};

function osloDay(instant: string): string {
  return osloNorwegianDate(new Date(instant));
}

function sendText(send: SentCopy, index: number, sends: readonly SentCopy[]): string {
  const channel = CHANNEL_TEXT[send.channel] ?? send.channel;
  // A letter after an e-mail with link and code means the e-mail was not opened within 4 days.
  const why = send.channel === 'letter' && index > 0 && sends[index - 1]?.channel === 'email-link' ? ' (e-posten ble ikke åpnet innen 4 dager)' : '';
  return `${channel} ${osloDay(send.sentAt)}${why}`;
}

/**
 * The texts of the 15:30 write-back: the comment on GO's voucher history entry that carries the
 * PDF (once, with the first send), and the factoring status description (every send so far, so a
 * letter sent after the 4-day wait shows up at the next write-back). Identifiers only: no
 * customer name, address or e-mail.
 */
export function writeBackTexts(invoice: { documentType: DocumentType; invoiceNo: number; kid: string }, sends: readonly SentCopy[]): { comment: string; statusDescription: string } {
  if (sends.length === 0) throw new Error(`Invoice ${invoice.invoiceNo} has not been sent; there is nothing to write back`);
  const what = invoice.documentType === 'CreditNote' ? 'Kreditnota' : 'Faktura';
  const first = sends[0]!;
  return {
    comment: `${what} ${invoice.invoiceNo} sendt av Factoring Finans AS ${osloDay(first.sentAt)} som ${CHANNEL_TEXT[first.channel] ?? first.channel}. KID ${invoice.kid}.`,
    statusDescription: `Sendt av Factoring Finans: ${sends.map((send, i) => sendText(send, i, sends)).join('; ')}`,
  };
}
