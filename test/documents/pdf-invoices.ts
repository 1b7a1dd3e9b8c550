import { DEMO_KID_SCHEME, DEMO_SETTINGS } from '../../documents/demo-settings';
import { payeeDetails } from '../../documents/settings';
import type { BillingDocument } from '../../domain/ehf/model';
import { prepareOutgoingDocument } from '../../domain/ehf/outgoing-document';
import { fixture } from './fixtures';

/**
 * Invoices whose PDFs exercise every part of the font handling: the plain faces only, many pages
 * (the same glyphs again and again), a credit note, the fallback faces (mathematical letters only
 * DejaVu Serif Bold and Math TeX Gyre have, in regular and bold text) next to Sámi letters DejaVu
 * Sans has, and an emoji no face has (the replacement character). Shared by the byte-identity
 * test and the rendering bench in this folder.
 */
export const PDF_INVOICES: readonly { name: string; clientXml: () => string }[] = [
  { name: 'plain invoice', clientXml: () => fixture('poweroffice/invoice-several-vat-rates.xml') },
  { name: 'credit note', clientXml: () => fixture('poweroffice/credit-note.xml') },
  { name: 'invoice of 64 lines over several pages', clientXml: () => manyLines() },
  { name: 'names and items needing fallback faces', clientXml: () => fallbackFaces() },
  { name: 'an emoji no face has', clientXml: () => fixture('poweroffice/invoice-special-characters.xml') },
];

/** The outgoing document (the EHF read back) the PDF is drawn from. */
export function outgoingBillingDocument(clientXml: string): BillingDocument {
  const outgoing = prepareOutgoingDocument({ clientXml, payee: payeeDetails(DEMO_SETTINGS), kidScheme: DEMO_KID_SCHEME });
  if (!outgoing.ready || !outgoing.document) throw new Error(`the test invoice does not pass the rules: ${JSON.stringify(outgoing.failures)}`);
  return outgoing.document;
}

/** invoice-several-vat-rates with 60 more copies of its line 4 and every total adjusted to them. */
export function manyLines(): string {
  const plain = fixture('poweroffice/invoice-several-vat-rates.xml');
  const line = /<cac:InvoiceLine>\s*<cbc:ID>4<\/cbc:ID>[\s\S]*?<\/cac:InvoiceLine>/.exec(plain)?.[0];
  if (!line) throw new Error('invoice-several-vat-rates.xml has no line 4');
  const extra = Array.from({ length: 60 }, (_, i) => line.replace('<cbc:ID>4</cbc:ID>', `<cbc:ID>${100 + i}</cbc:ID>`)).join('\n');
  return plain
    .replace('</Invoice>', `${extra}\n</Invoice>`)
    .replace('<cbc:LineExtensionAmount currencyID="NOK">10903.51', '<cbc:LineExtensionAmount currencyID="NOK">17173.51')
    .replace('<cbc:TaxableAmount currencyID="NOK">104.50', '<cbc:TaxableAmount currencyID="NOK">6374.50')
    .replace('<cbc:TaxAmount currencyID="NOK">12.54', '<cbc:TaxAmount currencyID="NOK">764.94')
    .replace('<cbc:TaxAmount currencyID="NOK">2536.30', '<cbc:TaxAmount currencyID="NOK">3288.70')
    .replace('<cbc:TaxExclusiveAmount currencyID="NOK">10938.51', '<cbc:TaxExclusiveAmount currencyID="NOK">17208.51')
    .replace('<cbc:TaxInclusiveAmount currencyID="NOK">13474.81', '<cbc:TaxInclusiveAmount currencyID="NOK">20497.21')
    .replace('<cbc:PayableRoundingAmount currencyID="NOK">0.19', '<cbc:PayableRoundingAmount currencyID="NOK">-0.21')
    .replace('<cbc:PayableAmount currencyID="NOK">13475.00', '<cbc:PayableAmount currencyID="NOK">20497.00');
}

/**
 * The seller's name (bold in the header: 𝐀 falls back to DejaVu Serif Bold, 𝒜 to Math TeX Gyre),
 * an item name (regular: 𝐕𝐈𝐏 and ℂ𝔸𝔽𝔼 in Math TeX Gyre, long enough to wrap) and the buyer's
 * name in Northern and Skolt Sámi letters (DejaVu Sans itself).
 */
function fallbackFaces(): string {
  return fixture('poweroffice/invoice-several-vat-rates.xml')
    .replace('<cbc:Name>Kinobillett</cbc:Name>', '<cbc:Name>Kinobillett 𝐕𝐈𝐏 for ℂ𝔸𝔽𝔼-gjester, med en tekst lang nok til å brytes over flere linjer</cbc:Name>')
    .replace('<cbc:RegistrationName>Blåbær &amp; Søn AS</cbc:RegistrationName>', '<cbc:RegistrationName>𝐀𝒜 Blåbær &amp; Søn AS</cbc:RegistrationName>')
    .replace('<cbc:RegistrationName>Čáhppes Ørn &amp; Łódź «Nord» AS</cbc:RegistrationName>', '<cbc:RegistrationName>Čáhppes Ŋuorra Ŧeahkki ǮǯǤǥǨǩ Đuoddar AS</cbc:RegistrationName>');
}
