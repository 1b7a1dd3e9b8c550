import { formatNorwegianAccountNumber } from '../../domain/ehf/bank-account';
import type { BillingDocument } from '../../domain/ehf/model';
import { formatAmount, formatDate } from '../format';
import { CONTENT_WIDTH, GREY, PAGE, type PdfWriter } from './layout';

/**
 * The payment information (amount, Factoring Finans' account, KID, due date) and, below it, the
 * notice of assignment, framed so that nobody pays the client by mistake.
 */
export function writePaymentAndNotice(w: PdfWriter, doc: BillingDocument, notice: string): void {
  // Never split the two: the account to pay and the notice that only that account discharges the debt.
  w.ensureSpace(PAYMENT_BOX_HEIGHT + 10 + noticeHeight(w, notice) + 10);
  writePaymentBox(w, doc);
  writeNotice(w, notice);
  writeOtherNotes(w, doc, notice);
}

function writePaymentBox(w: PdfWriter, doc: BillingDocument): void {
  const means = doc.paymentMeans[0];
  const account = means?.payeeAccount?.id;
  const isCredit = doc.kind === 'CreditNote';
  const fields: [string, string][] = [
    [isCredit ? 'Kreditert beløp' : 'Beløp å betale', `${formatAmount(doc.totals.payable)} ${doc.currency}`],
    ['Til kontonummer', account ? formatNorwegianAccountNumber(account) : ''],
    ['KID', means?.paymentId ?? ''],
    [isCredit ? 'Kreditnotadato' : 'Forfallsdato', formatDate(isCredit ? doc.issueDate : doc.dueDate)],
  ];
  const explanation = isCredit
    ? `Kreditnotaen avregnes mot faktura ${doc.billingReferences.map((r) => r.id).join(', ')}. Beløpet skal ikke betales.`
    : 'Oppgi KID ved betaling.';
  const height = PAYMENT_BOX_HEIGHT;
  w.ensureSpace(height + 10);
  const top = w.y;
  w.pdf.rect(PAGE.left, top, CONTENT_WIDTH, height).fillColor('#f0f0f0').fill();
  w.text('Betalingsinformasjon', PAGE.left + 10, top + 8, 200, { size: 10, bold: true });
  // The KID column is the widest: a 25-digit KID must stay on one line.
  const shares = [0.25, 0.22, 0.33, 0.2];
  let x = PAGE.left + 10;
  fields.forEach(([label, value], i) => {
    const columnWidth = (CONTENT_WIDTH - 20) * (shares[i] ?? 0.25);
    w.text(label, x, top + 25, columnWidth - 6, { size: 8, color: GREY });
    w.text(value, x, top + 36, columnWidth - 6, { size: 11, bold: true });
    x += columnWidth;
  });
  w.text(explanation, PAGE.left + 10, top + 54, CONTENT_WIDTH - 20, { size: 8 });
  w.y = top + height + 10;
}

const PAYMENT_BOX_HEIGHT = 66;

function noticeHeight(w: PdfWriter, notice: string): number {
  return w.heightOf(notice, CONTENT_WIDTH - 20, { size: 9 }) + 28;
}

function writeNotice(w: PdfWriter, notice: string): void {
  const width = CONTENT_WIDTH - 20;
  const height = noticeHeight(w, notice);
  w.ensureSpace(height + 10);
  const top = w.y;
  w.pdf.rect(PAGE.left, top, CONTENT_WIDTH, height).lineWidth(1.2).strokeColor('black').stroke();
  w.text('Melding om overdragelse av fordring', PAGE.left + 10, top + 8, width, { size: 10, bold: true });
  w.text(notice, PAGE.left + 10, top + 22, width, { size: 9 });
  w.y = top + height + 10;
}

/** The client's own note and payment terms, as they were on the client's invoice. */
function writeOtherNotes(w: PdfWriter, doc: BillingDocument, notice: string): void {
  const clientNote = doc.notes
    .map((note) => note.replace(notice, '').trim())
    .filter(Boolean)
    .join('\n');
  const texts = [clientNote && `Merknad: ${clientNote}`, doc.paymentTermsNote && `Betalingsbetingelser: ${doc.paymentTermsNote}`].filter(
    (text): text is string => Boolean(text),
  );
  for (const text of texts) {
    const height = w.heightOf(text, CONTENT_WIDTH, { size: 8.5 });
    w.ensureSpace(height + 4);
    w.y += w.text(text, PAGE.left, w.y, CONTENT_WIDTH, { size: 8.5, color: GREY }) + 4;
  }
}
