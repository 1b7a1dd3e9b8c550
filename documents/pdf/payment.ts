import { formatNorwegianAccountNumber } from '../../domain/ehf/bank-account';
import type { BillingDocument } from '../../domain/ehf/model';
import { formatAmount, formatDate } from '../format';
import { billedInvoices, billingReferenceLabel, settlement, titles } from './labels';
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
  const due = settlement(doc);
  const amount = `${formatAmount(due.amount)} ${doc.currency}`;
  const kid: [string, string, string] = ['KID', means?.paymentId ?? '', 'PaymentMeans/PaymentID'];
  // A credit asks for no payment: no account to pay to and no due date; the KID stays, as the
  // reference the credit is booked under at Factoring Finans. The KID column is the widest: a
  // 25-digit KID must stay on one line.
  const [fields, shares]: [[label: string, value: string, field?: string][], number[]] =
    due.kind === 'credit'
      ? [[[due.label, amount], kid, [titles(doc.kind).date, formatDate(doc.issueDate)]], [0.3, 0.45, 0.25]]
      : [
          [[`Beløp ${due.label.toLowerCase()}`, amount], ['Til kontonummer', account ? formatNorwegianAccountNumber(account) : ''], kid, ['Forfallsdato', formatDate(doc.dueDate)]],
          [0.25, 0.22, 0.33, 0.2],
        ];
  const height = PAYMENT_BOX_HEIGHT;
  w.ensureSpace(height + 10);
  const top = w.y;
  w.pdf.rect(PAGE.left, top, CONTENT_WIDTH, height).fillColor('#f0f0f0').fill();
  w.text('Betalingsinformasjon', PAGE.left + 10, top + 8, 200, { size: 10, bold: true });
  let x = PAGE.left + 10;
  fields.forEach(([label, value, field], i) => {
    const columnWidth = (CONTENT_WIDTH - 20) * (shares[i] ?? 0.25);
    if (value) w.text(label, x, top + 25, columnWidth - 6, { size: 8, color: GREY });
    w.text(value, x, top + 36, columnWidth - 6, { size: 11, bold: true, field });
    x += columnWidth;
  });
  w.text(paymentExplanation(doc), PAGE.left + 10, top + 54, CONTENT_WIDTH - 20, { size: 8, field: 'BillingReference' });
  w.y = top + height + 10;
}

const PAYMENT_BOX_HEIGHT = 66;

/** The sentence under the payment information: how to pay, or that nothing is to be paid. */
function paymentExplanation(doc: BillingDocument): string {
  const invoices = billedInvoices(doc);
  switch (settlement(doc).kind) {
    case 'pay':
      return 'Oppgi KID ved betaling.';
    case 'nothing':
      return 'Ingenting å betale.';
    case 'credit':
      if (!invoices) return 'Beløpet godskrives og skal ikke betales.';
      return doc.kind === 'CreditNote'
        ? `Kreditnotaen avregnes mot faktura ${invoices}. Beløpet godskrives og skal ikke betales.`
        : `${billingReferenceLabel(doc.kind)} ${invoices}. Beløpet godskrives og skal ikke betales.`;
  }
}

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
  const texts: [text: string | undefined, field: string][] = [
    [clientNote && `Merknad: ${clientNote}`, 'Note'],
    [doc.paymentTermsNote && `Betalingsbetingelser: ${doc.paymentTermsNote}`, 'PaymentTerms/Note'],
  ];
  for (const [text, field] of texts) {
    if (!text) continue;
    const height = w.heightOf(text, CONTENT_WIDTH, { size: 8.5 });
    w.ensureSpace(height + 4);
    w.y += w.text(text, PAGE.left, w.y, CONTENT_WIDTH, { size: 8.5, color: GREY, field }) + 4;
  }
}
