import { fixture } from './fixtures';

/**
 * Client documents built from the fixture invoice for the tests of what we accept and what we
 * send: many lines, a text put into a given place, a document nested deep.
 */
export const BASE_INVOICE = fixture('poweroffice/invoice-several-vat-rates.xml');

/** XML-escapes a text for the client's document, the way a client's system writes it. */
export function xmlText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The fixture invoice with `lines` lines of 1 × 100.00 NOK at 25 % VAT, with totals that add up:
 * a big client's monthly invoice, as large as we like.
 */
export function invoiceWithLines(lines: number): string {
  const head = BASE_INVOICE.slice(0, Math.min(BASE_INVOICE.indexOf('<cac:AllowanceCharge>'), BASE_INVOICE.indexOf('<cac:TaxTotal>')));
  const net = (lines * 100).toFixed(2);
  const vat = (lines * 25).toFixed(2);
  const gross = (lines * 125).toFixed(2);
  const line = (id: number): string => `  <cac:InvoiceLine>
    <cbc:ID>${id}</cbc:ID>
    <cbc:InvoicedQuantity unitCode="C62">1</cbc:InvoicedQuantity>
    <cbc:LineExtensionAmount currencyID="NOK">100.00</cbc:LineExtensionAmount>
    <cac:Item>
      <cbc:Name>Strøm, målepunkt ${id}</cbc:Name>
      <cac:ClassifiedTaxCategory>
        <cbc:ID>S</cbc:ID>
        <cbc:Percent>25</cbc:Percent>
        <cac:TaxScheme>
          <cbc:ID>VAT</cbc:ID>
        </cac:TaxScheme>
      </cac:ClassifiedTaxCategory>
    </cac:Item>
    <cac:Price>
      <cbc:PriceAmount currencyID="NOK">100.00</cbc:PriceAmount>
    </cac:Price>
  </cac:InvoiceLine>
`;
  const body: string[] = [];
  for (let id = 1; id <= lines; id += 1) body.push(line(id));
  return `${head}<cac:TaxTotal>
    <cbc:TaxAmount currencyID="NOK">${vat}</cbc:TaxAmount>
    <cac:TaxSubtotal>
      <cbc:TaxableAmount currencyID="NOK">${net}</cbc:TaxableAmount>
      <cbc:TaxAmount currencyID="NOK">${vat}</cbc:TaxAmount>
      <cac:TaxCategory>
        <cbc:ID>S</cbc:ID>
        <cbc:Percent>25</cbc:Percent>
        <cac:TaxScheme>
          <cbc:ID>VAT</cbc:ID>
        </cac:TaxScheme>
      </cac:TaxCategory>
    </cac:TaxSubtotal>
  </cac:TaxTotal>
  <cac:LegalMonetaryTotal>
    <cbc:LineExtensionAmount currencyID="NOK">${net}</cbc:LineExtensionAmount>
    <cbc:TaxExclusiveAmount currencyID="NOK">${net}</cbc:TaxExclusiveAmount>
    <cbc:TaxInclusiveAmount currencyID="NOK">${gross}</cbc:TaxInclusiveAmount>
    <cbc:PayableAmount currencyID="NOK">${gross}</cbc:PayableAmount>
  </cac:LegalMonetaryTotal>
${body.join('')}</Invoice>
`;
}

/** The fixture invoice with `inside` put at the start of its cbc:Note (line 15 of the file). */
export function withNote(inside: string): string {
  return BASE_INVOICE.replace(/<cbc:Note>[^<]*<\/cbc:Note>/, `<cbc:Note>${inside}</cbc:Note>`);
}

/** The buyer's registration name (line 76) replaced by `inside`, as it stands in the XML. */
export function withBuyerName(inside: string): string {
  return BASE_INVOICE.replace('<cbc:RegistrationName>Čáhppes Ørn &amp; Łódź «Nord» AS</cbc:RegistrationName>', `<cbc:RegistrationName>${inside}</cbc:RegistrationName>`);
}

/** The seller's trading name (line 29). */
export function withSellerName(inside: string): string {
  return BASE_INVOICE.replace('<cbc:Name>Blåbær &amp; Søn</cbc:Name>', `<cbc:Name>${inside}</cbc:Name>`);
}

/** The first line's item name (line 179). */
export function withItemName(inside: string): string {
  return BASE_INVOICE.replace('<cbc:Name>Konsulenttimer</cbc:Name>', `<cbc:Name>${inside}</cbc:Name>`);
}

/** The invoice number (cbc:ID, line 11). */
export function withInvoiceId(id: string): string {
  return BASE_INVOICE.replace('<cbc:ID>10023</cbc:ID>', `<cbc:ID>${id}</cbc:ID>`);
}

/** `depth` elements nested inside the note. */
export function nestedInNote(depth: number): string {
  return withNote(`${'<x>'.repeat(depth)}${'</x>'.repeat(depth)}`);
}
