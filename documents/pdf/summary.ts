import type { BillingDocument } from '../../domain/ehf/model';
import type { Ore } from '../../domain/money';
import { formatAmount } from '../format';
import { settlement, vatCategoryLabel } from './labels';
import { GREY, PAGE, type PdfWriter } from './layout';

const VAT_TABLE = { label: { x: PAGE.left, width: 110 }, taxable: { x: 160, width: 75 }, tax: { x: 235, width: 65 } };
const TOTALS = { label: { x: 330, width: 125 }, value: { x: 455, width: PAGE.right - 455 } };

/** The VAT summary (left) and the totals down to the amount due (right), kept together on one page. */
export function writeSummary(w: PdfWriter, doc: BillingDocument): void {
  const totals = totalRows(doc);
  w.ensureSpace(Math.max(doc.taxTotal.subtotals.length + 2, totals.length) * 13 + 10);
  const top = w.y;
  const vatBottom = writeVatTable(w, doc, top);
  let y = top;
  for (const [label, amount, strong] of totals) {
    if (strong) w.rule(y - 2, TOTALS.label.x);
    w.text(label, TOTALS.label.x, y, TOTALS.label.width, { size: strong ? 10 : 9, bold: strong });
    y += w.text(formatAmount(amount), TOTALS.value.x, y, TOTALS.value.width, { size: strong ? 10 : 9, bold: strong, align: 'right' }) + 3;
  }
  w.y = Math.max(vatBottom, y) + 15;
}

function writeVatTable(w: PdfWriter, doc: BillingDocument, top: number): number {
  const head = { size: 8, bold: true, color: GREY } as const;
  w.text('MVA-grunnlag', VAT_TABLE.label.x, top, VAT_TABLE.label.width, head);
  w.text('Grunnlag', VAT_TABLE.taxable.x, top, VAT_TABLE.taxable.width, { ...head, align: 'right' });
  w.text('MVA', VAT_TABLE.tax.x, top, VAT_TABLE.tax.width, { ...head, align: 'right' });
  let y = top + 13;
  for (const subtotal of doc.taxTotal.subtotals) {
    w.text(vatCategoryLabel(subtotal.category), VAT_TABLE.label.x, y, VAT_TABLE.label.width);
    w.text(formatAmount(subtotal.taxableAmount), VAT_TABLE.taxable.x, y, VAT_TABLE.taxable.width, { align: 'right' });
    y += w.text(formatAmount(subtotal.taxAmount), VAT_TABLE.tax.x, y, VAT_TABLE.tax.width, { align: 'right' }) + 2;
  }
  return y;
}

/** [label, amount, emphasised]: optional rows only when the document has them. */
function totalRows(doc: BillingDocument): [string, Ore, boolean][] {
  const t = doc.totals;
  const currency = doc.currency === 'NOK' ? '' : ` ${doc.currency}`;
  const due = settlement(doc);
  const rows: [string, Ore | undefined, boolean][] = [
    ['Sum linjer', t.lineExtension, false],
    ['Rabatter', t.allowanceTotal === undefined ? undefined : ((0 - t.allowanceTotal) as Ore), false],
    ['Tillegg', t.chargeTotal, false],
    ['Sum eks. mva.', t.taxExclusive, false],
    ['Merverdiavgift', doc.taxTotal.taxAmount, false],
    ['Sum inkl. mva.', t.taxInclusive, false],
    ['Forskuddsbetalt', t.prepaid === undefined ? undefined : ((0 - t.prepaid) as Ore), false],
    ['Øreavrunding', t.payableRounding, false],
    [`${due.label}${currency}`, due.amount, true],
  ];
  return rows.filter((row): row is [string, Ore, boolean] => row[1] !== undefined);
}
