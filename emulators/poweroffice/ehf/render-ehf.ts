/**
 * Renders a small PEPPOL BIS Billing 3.0 (EHF 3) Invoice or CreditNote, element order as in the
 * UBL 2.1 XSD (../shared/reference/ehf-kid.md): standard-rated lines only, one VAT breakdown,
 * amounts in øre so no float rounding creeps in. Good enough for what PowerOffice's
 * `GET /Factoring/InvoiceEhf/{id}/` hands a factoring company: parties, lines, totals.
 */
export interface EhfParty {
  name: string;
  /** 9-digit Norwegian organisation number (EndpointID and legal CompanyID, scheme 0192). */
  organizationNumber: string;
  street?: string | null;
  zipCode?: string | null;
  city?: string | null;
  countryCode?: string | null;
  contactName?: string | null;
  phone?: string | null;
  email?: string | null;
}

export interface EhfLine {
  name: string;
  quantity: number;
  /** UN/ECE Rec 20 unit: EA (each), HUR (hour). */
  unitCode: string;
  /** Net unit price in øre. */
  unitPriceOre: number;
}

export interface EhfDocument {
  kind: 'Invoice' | 'CreditNote';
  number: number;
  issueDate: string;
  dueDate?: string | undefined;
  deliveryDate?: string | undefined;
  buyerReference: string;
  /** Credit notes: the credited invoice's number. */
  creditedInvoiceNo?: number | undefined;
  projectCode?: string | undefined;
  /** The seller is VAT registered (NO…MVA) and an AS (Foretaksregisteret). */
  seller: EhfParty & { bankAccount: string };
  buyer: EhfParty;
  lines: EhfLine[];
  /** Standard VAT rate in percent (25, 15 or 12). */
  vatPercent: number;
  /**
   * The VAT amount when it must make a given gross exact (net + VAT = the invoice total); BR-CO-17
   * allows it to differ from net × rate by up to 1.00. Default: net × rate, rounded half up.
   */
  vatOre?: number | undefined;
}

const NS = {
  Invoice: 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2',
  CreditNote: 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2',
  cac: 'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2',
  cbc: 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2',
};

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** 123456 øre → "1234.56", from the integer, never through a float. */
export function kroner(ore: number): string {
  const sign = ore < 0 ? '-' : '';
  const abs = Math.abs(ore);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** An element only when the value is there: BIS forbids empty elements (PEPPOL-EN16931-R008). */
function optional(tag: string, value: string | null | undefined, indent: string): string {
  return value ? `${indent}<${tag}>${escapeXml(value)}</${tag}>\n` : '';
}

function address(party: EhfParty, indent: string): string {
  return (
    `${indent}<cac:PostalAddress>\n` +
    optional('cbc:StreetName', party.street, `${indent}  `) +
    optional('cbc:CityName', party.city, `${indent}  `) +
    optional('cbc:PostalZone', party.zipCode, `${indent}  `) +
    `${indent}  <cac:Country>\n${indent}    <cbc:IdentificationCode>${escapeXml(party.countryCode ?? 'NO')}</cbc:IdentificationCode>\n${indent}  </cac:Country>\n` +
    `${indent}</cac:PostalAddress>\n`
  );
}

function contact(party: EhfParty, indent: string): string {
  const body = optional('cbc:Name', party.contactName, `${indent}  `) + optional('cbc:Telephone', party.phone, `${indent}  `) + optional('cbc:ElectronicMail', party.email, `${indent}  `);
  return body ? `${indent}<cac:Contact>\n${body}${indent}</cac:Contact>\n` : '';
}

function party(role: 'AccountingSupplierParty' | 'AccountingCustomerParty', p: EhfParty, isSeller: boolean): string {
  const taxSchemes = isSeller
    ? `      <cac:PartyTaxScheme>\n        <cbc:CompanyID>NO${p.organizationNumber}MVA</cbc:CompanyID>\n        <cac:TaxScheme>\n          <cbc:ID>VAT</cbc:ID>\n        </cac:TaxScheme>\n      </cac:PartyTaxScheme>\n` +
      `      <cac:PartyTaxScheme>\n        <cbc:CompanyID>Foretaksregisteret</cbc:CompanyID>\n        <cac:TaxScheme>\n          <cbc:ID>TAX</cbc:ID>\n        </cac:TaxScheme>\n      </cac:PartyTaxScheme>\n`
    : '';
  return (
    `  <cac:${role}>\n    <cac:Party>\n` +
    `      <cbc:EndpointID schemeID="0192">${p.organizationNumber}</cbc:EndpointID>\n` +
    `      <cac:PartyName>\n        <cbc:Name>${escapeXml(p.name)}</cbc:Name>\n      </cac:PartyName>\n` +
    address(p, '      ') +
    taxSchemes +
    `      <cac:PartyLegalEntity>\n        <cbc:RegistrationName>${escapeXml(p.name)}</cbc:RegistrationName>\n        <cbc:CompanyID schemeID="0192">${p.organizationNumber}</cbc:CompanyID>\n      </cac:PartyLegalEntity>\n` +
    contact(p, '      ') +
    `    </cac:Party>\n  </cac:${role}>\n`
  );
}

function taxCategory(tag: string, percent: number, indent: string): string {
  return `${indent}<cac:${tag}>\n${indent}  <cbc:ID>S</cbc:ID>\n${indent}  <cbc:Percent>${percent}</cbc:Percent>\n${indent}  <cac:TaxScheme>\n${indent}    <cbc:ID>VAT</cbc:ID>\n${indent}  </cac:TaxScheme>\n${indent}</cac:${tag}>\n`;
}

function line(doc: EhfDocument, item: EhfLine, index: number): string {
  const tag = doc.kind === 'Invoice' ? 'InvoiceLine' : 'CreditNoteLine';
  const quantityTag = doc.kind === 'Invoice' ? 'InvoicedQuantity' : 'CreditedQuantity';
  return (
    `  <cac:${tag}>\n    <cbc:ID>${index + 1}</cbc:ID>\n` +
    `    <cbc:${quantityTag} unitCode="${item.unitCode}">${item.quantity}</cbc:${quantityTag}>\n` +
    `    <cbc:LineExtensionAmount currencyID="NOK">${kroner(lineNetOre(item))}</cbc:LineExtensionAmount>\n` +
    `    <cac:Item>\n      <cbc:Name>${escapeXml(item.name)}</cbc:Name>\n` +
    taxCategory('ClassifiedTaxCategory', doc.vatPercent, '      ') +
    `    </cac:Item>\n    <cac:Price>\n      <cbc:PriceAmount currencyID="NOK">${kroner(item.unitPriceOre)}</cbc:PriceAmount>\n    </cac:Price>\n  </cac:${tag}>\n`
  );
}

export function lineNetOre(item: EhfLine): number {
  return Math.round(item.quantity * item.unitPriceOre);
}

/** Net, VAT and gross in øre; VAT per breakdown, rounded half up (BR-CO-17). */
export function ehfTotals(doc: EhfDocument): { netOre: number; vatOre: number; grossOre: number } {
  const netOre = doc.lines.reduce((sum, item) => sum + lineNetOre(item), 0);
  const vatOre = doc.vatOre ?? Math.round((netOre * doc.vatPercent) / 100);
  return { netOre, vatOre, grossOre: netOre + vatOre };
}

function header(doc: EhfDocument): string {
  const typeCode = doc.kind === 'Invoice' ? `  <cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>\n` : `  <cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>\n`;
  const dueDate = doc.kind === 'Invoice' && doc.dueDate ? `  <cbc:DueDate>${doc.dueDate}</cbc:DueDate>\n` : '';
  const billing = doc.creditedInvoiceNo
    ? `  <cac:BillingReference>\n    <cac:InvoiceDocumentReference>\n      <cbc:ID>${doc.creditedInvoiceNo}</cbc:ID>\n    </cac:InvoiceDocumentReference>\n  </cac:BillingReference>\n`
    : '';
  const project = doc.kind === 'Invoice' && doc.projectCode ? `  <cac:ProjectReference>\n    <cbc:ID>${escapeXml(doc.projectCode)}</cbc:ID>\n  </cac:ProjectReference>\n` : '';
  return (
    `  <cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0</cbc:CustomizationID>\n` +
    `  <cbc:ProfileID>urn:fdc:peppol.eu:2017:poacc:billing:01:1.0</cbc:ProfileID>\n` +
    `  <cbc:ID>${doc.number}</cbc:ID>\n  <cbc:IssueDate>${doc.issueDate}</cbc:IssueDate>\n` +
    dueDate +
    typeCode +
    `  <cbc:DocumentCurrencyCode>NOK</cbc:DocumentCurrencyCode>\n` +
    `  <cbc:BuyerReference>${escapeXml(doc.buyerReference)}</cbc:BuyerReference>\n` +
    billing +
    project
  );
}

function payment(doc: EhfDocument): string {
  const delivery = doc.deliveryDate ? `  <cac:Delivery>\n    <cbc:ActualDeliveryDate>${doc.deliveryDate}</cbc:ActualDeliveryDate>\n  </cac:Delivery>\n` : '';
  const terms = doc.kind === 'Invoice' && doc.dueDate ? `  <cac:PaymentTerms>\n    <cbc:Note>Betales innen ${doc.dueDate}</cbc:Note>\n  </cac:PaymentTerms>\n` : '';
  return (
    delivery +
    `  <cac:PaymentMeans>\n    <cbc:PaymentMeansCode>30</cbc:PaymentMeansCode>\n` +
    `    <cac:PayeeFinancialAccount>\n      <cbc:ID>${doc.seller.bankAccount}</cbc:ID>\n    </cac:PayeeFinancialAccount>\n  </cac:PaymentMeans>\n` +
    terms
  );
}

function totals(doc: EhfDocument): string {
  const { netOre, vatOre, grossOre } = ehfTotals(doc);
  return (
    `  <cac:TaxTotal>\n    <cbc:TaxAmount currencyID="NOK">${kroner(vatOre)}</cbc:TaxAmount>\n    <cac:TaxSubtotal>\n` +
    `      <cbc:TaxableAmount currencyID="NOK">${kroner(netOre)}</cbc:TaxableAmount>\n      <cbc:TaxAmount currencyID="NOK">${kroner(vatOre)}</cbc:TaxAmount>\n` +
    taxCategory('TaxCategory', doc.vatPercent, '      ') +
    `    </cac:TaxSubtotal>\n  </cac:TaxTotal>\n` +
    `  <cac:LegalMonetaryTotal>\n` +
    `    <cbc:LineExtensionAmount currencyID="NOK">${kroner(netOre)}</cbc:LineExtensionAmount>\n` +
    `    <cbc:TaxExclusiveAmount currencyID="NOK">${kroner(netOre)}</cbc:TaxExclusiveAmount>\n` +
    `    <cbc:TaxInclusiveAmount currencyID="NOK">${kroner(grossOre)}</cbc:TaxInclusiveAmount>\n` +
    `    <cbc:PayableAmount currencyID="NOK">${kroner(grossOre)}</cbc:PayableAmount>\n  </cac:LegalMonetaryTotal>\n`
  );
}

export function renderEhf(doc: EhfDocument): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<${doc.kind} xmlns="${NS[doc.kind]}" xmlns:cac="${NS.cac}" xmlns:cbc="${NS.cbc}">\n` +
    header(doc) +
    party('AccountingSupplierParty', doc.seller, true) +
    party('AccountingCustomerParty', doc.buyer, false) +
    payment(doc) +
    totals(doc) +
    doc.lines.map((item, i) => line(doc, item, i)).join('') +
    `</${doc.kind}>\n`
  );
}
