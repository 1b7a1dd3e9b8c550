import type { Address, BillingDocument, Party } from '../../domain/ehf/model';
import { formatOrganisationNumber } from '../../domain/organisation-number';
import { formatDate } from '../format';
import { billedInvoices, billingReferenceLabel, settlement, titles } from './labels';
import { CONTENT_WIDTH, GREY, PAGE, type PdfWriter } from './layout';

/** Where the recipient's address sits: in the window of a C5/E65 window envelope. */
const WINDOW = { x: 57, y: 140, width: 240 };
const INFO = { x: 330, labelWidth: 95, valueWidth: 120 };

/** Seller, title, recipient and the invoice facts; leaves the cursor below them. */
export function writeHeader(w: PdfWriter, doc: BillingDocument): void {
  const title = titles(doc.kind);
  w.text(title.title, PAGE.left, PAGE.top, CONTENT_WIDTH, { size: 20, bold: true, align: 'right' });
  const sellerBottom = writeSeller(w, doc.seller);
  // The window position, unless a long seller block reaches into it.
  const top = Math.max(WINDOW.y, sellerBottom + 10);
  const recipientBottom = writeLines(w, WINDOW.x, top, WINDOW.width, recipientLines(doc.buyer), 10);
  const infoBottom = writeFacts(w, doc, title, top);
  w.y = Math.max(sellerBottom, recipientBottom, infoBottom) + 18;
}

/** A line of the header and the document field it shows (named when the PDF cannot print a character of it). */
type FieldLine = [text: string | undefined, field: string | undefined];

const SELLER = 'AccountingSupplierParty';
const BUYER = 'AccountingCustomerParty';

function writeSeller(w: PdfWriter, seller: Party): number {
  let y = PAGE.top;
  y += w.text(legalName(seller), PAGE.left, y, 260, { size: 12, bold: true, field: `${SELLER} RegistrationName` });
  const lines: FieldLine[] = [
    ...addressLines(seller.postalAddress).map((line): FieldLine => [line, `${SELLER} PostalAddress`]),
    [organisationLine(seller), `${SELLER} CompanyID`],
    [seller.taxSchemes.some((s) => s.taxSchemeId === 'TAX') ? 'Foretaksregisteret' : undefined, undefined],
    [seller.contact?.email, `${SELLER} Contact/ElectronicMail`],
    [seller.contact?.telephone ? `Tlf. ${seller.contact.telephone}` : undefined, `${SELLER} Contact/Telephone`],
  ];
  return writeLines(w, PAGE.left, y + 2, 260, lines, 8.5, GREY);
}

/** "Org.nr. 123 456 785 MVA" for a VAT-registered Norwegian seller, the plain number otherwise. */
function organisationLine(seller: Party): string | undefined {
  const id = seller.legalEntity?.companyId;
  const vatId = seller.taxSchemes.find((s) => s.taxSchemeId === 'VAT')?.companyId;
  if (id?.schemeId === '0192') return `Org.nr. ${formatOrganisationNumber(id.value)}${vatId?.startsWith('NO') ? ' MVA' : ''}`;
  if (vatId) return `MVA-nr. ${vatId}`;
  return id ? `Org.nr. ${id.value}` : undefined;
}

function recipientLines(buyer: Party): FieldLine[] {
  return [[legalName(buyer), `${BUYER} RegistrationName`], ...addressLines(buyer.postalAddress).map((line): FieldLine => [line, `${BUYER} PostalAddress`])];
}

function legalName(party: Party): string {
  return party.legalEntity?.registrationName ?? party.name ?? '';
}

export function addressLines(address: Address | undefined): (string | undefined)[] {
  if (!address) return [];
  const place = [address.postalZone, address.cityName].filter(Boolean).join(' ');
  return [address.streetName, address.additionalStreetName, address.addressLine, place || undefined, address.countryCode === 'NO' ? undefined : address.countryCode];
}

function writeFacts(w: PdfWriter, doc: BillingDocument, title: { number: string; date: string }, top: number): number {
  // A credit has no due date for the customer to keep, whatever the client's system wrote.
  const dueDate = settlement(doc).kind === 'credit' ? undefined : doc.dueDate;
  const facts: [label: string, value: string | undefined, field: string][] = [
    [title.number, doc.id, 'ID'],
    [title.date, formatDate(doc.issueDate), 'IssueDate'],
    ['Forfallsdato', dueDate && formatDate(dueDate), 'DueDate'],
    [billingReferenceLabel(doc.kind), billedInvoices(doc), 'BillingReference'],
    ['Deres ref.', doc.buyerReference, 'BuyerReference'],
    ['Bestillingsnr.', doc.orderReference?.id, 'OrderReference'],
    ['Kontrakt', doc.contractDocumentId, 'ContractDocumentReference'],
    ['Leveringsdato', doc.delivery?.actualDate && formatDate(doc.delivery.actualDate), 'Delivery/ActualDeliveryDate'],
    ['Periode', doc.invoicePeriod && [doc.invoicePeriod.startDate, doc.invoicePeriod.endDate].map(formatDate).join(' – '), 'InvoicePeriod'],
  ];
  let y = top;
  for (const [label, value, field] of facts) {
    if (!value) continue;
    w.text(label, INFO.x, y, INFO.labelWidth, { size: 9, color: GREY });
    y += w.text(value, INFO.x + INFO.labelWidth, y, INFO.valueWidth, { size: 9, align: 'right', field }) + 2;
  }
  return y;
}

function writeLines(w: PdfWriter, x: number, top: number, width: number, lines: FieldLine[], size: number, color?: string): number {
  let y = top;
  for (const [line, field] of lines) if (line) y += w.text(line, x, y, width, { size, color, field });
  return y;
}
