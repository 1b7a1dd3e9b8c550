import type { AllowanceCharge, BillingDocument, Line } from '../../domain/ehf/model';
import type { Ore } from '../../domain/money';
import { formatAmount, formatDate, formatDecimalText, formatPercent } from '../format';
import { unitName } from './labels';
import { GREY, PAGE, type PdfWriter } from './layout';

/** Column x positions and widths; numbers are right-aligned. */
const COLUMNS = {
  description: { x: PAGE.left, width: 200 },
  quantity: { x: 250, width: 55 },
  unit: { x: 309, width: 40 },
  price: { x: 349, width: 72 },
  vat: { x: 421, width: 42 },
  amount: { x: 463, width: PAGE.right - 463 },
} as const;

/** The invoice lines, their allowances and charges, and the document-level ones, over as many pages as needed. */
export function writeLinesTable(w: PdfWriter, doc: BillingDocument): void {
  const header = (): void => writeHeaderRow(w);
  w.ensureSpace(40);
  header();
  for (const line of doc.lines) writeLine(w, line, `${doc.kind}Line ${line.id}`, header);
  doc.allowanceCharges.forEach((ac, i) => {
    writeRow(w, header, {
      description: allowanceChargeText(ac),
      field: `AllowanceCharge ${i + 1} AllowanceChargeReason`,
      vat: formatPercent(ac.taxCategory?.percent),
      amount: formatAmount(signed(ac)),
    });
  });
  w.rule(w.y);
  w.y += 8;
}

function writeHeaderRow(w: PdfWriter): void {
  const style = { size: 8, bold: true, color: GREY } as const;
  w.text('Beskrivelse', COLUMNS.description.x, w.y, COLUMNS.description.width, style);
  w.text('Antall', COLUMNS.quantity.x, w.y, COLUMNS.quantity.width, { ...style, align: 'right' });
  w.text('Enhet', COLUMNS.unit.x + 6, w.y, COLUMNS.unit.width - 6, style);
  w.text('Pris', COLUMNS.price.x, w.y, COLUMNS.price.width, { ...style, align: 'right' });
  w.text('MVA', COLUMNS.vat.x, w.y, COLUMNS.vat.width, { ...style, align: 'right' });
  w.text('Beløp', COLUMNS.amount.x, w.y, COLUMNS.amount.width, { ...style, align: 'right' });
  w.y += 12;
  w.rule(w.y);
  w.y += 4;
}

function writeLine(w: PdfWriter, line: Line, at: string, header: () => void): void {
  const details = [line.item.description, line.note, line.period && `Periode ${formatDate(line.period.startDate)} – ${formatDate(line.period.endDate)}`].filter(Boolean).join('\n');
  writeRow(w, header, {
    description: line.item.name,
    field: `${at} Item/Name`,
    details,
    detailsField: `${at} Item/Description, Note`,
    quantity: line.quantity && formatDecimalText(line.quantity),
    unit: unitName(line.unitCode),
    unitField: `${at} unitCode`,
    price: line.price.amount && formatDecimalText(line.price.amount, 2),
    vat: formatPercent(line.item.taxCategory.percent),
    amount: formatAmount(line.lineExtensionAmount),
  });
  line.allowanceCharges.forEach((ac, i) =>
    writeRow(w, header, { description: allowanceChargeText(ac), field: `${at} AllowanceCharge ${i + 1} AllowanceChargeReason`, amount: formatAmount(signed(ac)), small: true }),
  );
}

interface Row {
  description: string;
  /** The document fields of description, details and unit, for FF-PDF-01. */
  field: string;
  details?: string;
  detailsField?: string;
  quantity?: string;
  unit?: string;
  unitField?: string;
  price?: string;
  vat?: string;
  amount?: string;
  small?: boolean;
}

function writeRow(w: PdfWriter, header: () => void, row: Row): void {
  const size = row.small ? 8 : 9;
  const detailStyle = { size: 7.5, color: GREY } as const;
  const height =
    w.heightOf(row.description, COLUMNS.description.width, { size }) + (row.details ? w.heightOf(row.details, COLUMNS.description.width, detailStyle) : 0);
  w.ensureSpace(height + 4, header);
  const y = w.y;
  const indent = row.small ? 10 : 0;
  const descriptionHeight = w.text(row.description, COLUMNS.description.x + indent, y, COLUMNS.description.width - indent, {
    size,
    color: row.small ? GREY : undefined,
    field: row.field,
  });
  if (row.details) w.text(row.details, COLUMNS.description.x, y + descriptionHeight, COLUMNS.description.width, { ...detailStyle, field: row.detailsField });
  // Left to right, so that text extraction and screen readers read the row in order.
  if (row.quantity) w.text(row.quantity, COLUMNS.quantity.x, y, COLUMNS.quantity.width, { size, align: 'right' });
  if (row.unit) w.text(row.unit, COLUMNS.unit.x + 6, y, COLUMNS.unit.width - 6, { size, field: row.unitField });
  const cells: [keyof typeof COLUMNS, string | undefined][] = [
    ['price', row.price],
    ['vat', row.vat],
    ['amount', row.amount],
  ];
  for (const [column, value] of cells) if (value) w.text(value, COLUMNS[column].x, y, COLUMNS[column].width, { size, align: 'right' });
  w.y = y + height + 4;
}

function allowanceChargeText(ac: AllowanceCharge): string {
  const kind = ac.chargeIndicator ? 'Tillegg' : 'Rabatt';
  const reason = ac.reason ?? ac.reasonCode ?? '';
  const percent = ac.multiplierFactor ? ` (${formatPercent(ac.multiplierFactor)})` : '';
  return `${kind}${reason ? `: ${reason}` : ''}${percent}`;
}

function signed(ac: AllowanceCharge): Ore {
  return (ac.chargeIndicator ? ac.amount : 0 - ac.amount) as Ore;
}
