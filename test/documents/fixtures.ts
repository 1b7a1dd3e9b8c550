import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, extname, join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import type { Element } from '@xmldom/xmldom';
import type { BillingDocument, DocumentKind } from '../../domain/ehf/model';
import { prepareOutgoingDocument } from '../../domain/ehf/outgoing-document';
import { parseBillingDocument } from '../../domain/ehf/parse-ubl';
import { UBL_NS } from '../../domain/ehf/ubl';
import { parseXml } from '../../domain/ehf/xml-reader';
import { generateKid, type KidScheme } from '../../domain/kid';
import { DEMO_KID_SCHEME, DEMO_SETTINGS } from '../../documents/demo-settings';
import { payeeDetails } from '../../documents/settings';
import { validateWithPeppolArtifacts, type PeppolValidationReport } from '../../scripts/peppol-validation/peppol-validation';

/** Shared by the specifications in test/documents: the fixtures, the preview, the official validation, a PDF-to-text reader. */
export const ROOT = join(__dirname, '..', '..');
export const FIXTURE_DIR = join(__dirname, '..', 'fixtures', 'ehf');

export function fixture(relativePath: string): string {
  return readFileSync(join(FIXTURE_DIR, relativePath), 'utf8');
}

/**
 * Factoring Finans' clients' own documents, written for these tests (test/fixtures/ehf/README.md
 * describes each), with numeric IDs as PowerOffice has. Every test that runs "all documents"
 * (the preview, the official validation, the outgoing EHF) runs these.
 */
export const CLIENT_DOCUMENTS: readonly { file: string; kind: DocumentKind }[] = [
  { file: 'poweroffice/invoice-several-vat-rates.xml', kind: 'Invoice' },
  { file: 'poweroffice/credit-note.xml', kind: 'CreditNote' },
  { file: 'poweroffice/invoice-standard-rates-allowance-charge.xml', kind: 'Invoice' },
  { file: 'poweroffice/invoice-exempt-and-zero-rated.xml', kind: 'Invoice' },
  { file: 'poweroffice/invoice-not-subject-to-vat.xml', kind: 'Invoice' },
  { file: 'poweroffice/invoice-correction-negative-lines.xml', kind: 'Invoice' },
  { file: 'poweroffice/invoice-prepaid-and-rounding.xml', kind: 'Invoice' },
  { file: 'poweroffice/credit-note-several-rates.xml', kind: 'CreditNote' },
  { file: 'poweroffice/invoice-special-characters.xml', kind: 'Invoice' },
];

/**
 * OpenPEPPOL's published examples are not part of this repository (test/fixtures/ehf/README.md).
 * The checks on them read every .xml file in this directory: PEPPOL_EXAMPLES_DIR, by default
 * ../shared/peppol-examples next to the project, where the project owner may place them.
 */
export const PEPPOL_EXAMPLES_DIR = resolve(process.env.PEPPOL_EXAMPLES_DIR || join(ROOT, '..', 'shared', 'peppol-examples'));

/**
 * The examples published with PEPPOL BIS Billing 3.0 that these tests know by name. Their IDs are
 * not numbers ("Snippet1", "TOSL108"), so each gets the invoice number PowerOffice would give it.
 */
const KNOWN_OFFICIAL_EXAMPLES: Readonly<Record<string, { invoiceNumber: number; kind: DocumentKind }>> = {
  'base-example.xml': { invoiceNumber: 1, kind: 'Invoice' },
  'base-creditnote-correction.xml': { invoiceNumber: 2, kind: 'CreditNote' },
  'base-negative-inv-correction.xml': { invoiceNumber: 3, kind: 'Invoice' },
  'Vat-category-S.xml': { invoiceNumber: 4, kind: 'Invoice' },
  'vat-category-E.xml': { invoiceNumber: 5, kind: 'Invoice' },
  'vat-category-Z.xml': { invoiceNumber: 6, kind: 'Invoice' },
  'vat-category-O.xml': { invoiceNumber: 7, kind: 'Invoice' },
  'Allowance-example.xml': { invoiceNumber: 8, kind: 'Invoice' },
  'sales-order-example.xml': { invoiceNumber: 9, kind: 'Invoice' },
  'Norwegian-example-1.xml': { invoiceNumber: 108, kind: 'Invoice' },
};
/** Other examples whose ID is no usable invoice number get 1001, 1002, … in file-name order. */
const FIRST_RUNNING_NUMBER = 1001;

export interface OfficialExample {
  name: string;
  path: string;
  /** What the preview is given as PowerOffice's invoice number (--invoice-no). */
  invoiceNumber: number;
  kind: DocumentKind;
}

/**
 * Every .xml file in `dir`, by name, with the invoice number to preview it with: from the table
 * above for the known examples, else the document's own ID when it is a number the demo KID has
 * room for, else a running number. Undefined when `dir` is not an existing directory.
 */
export function officialExamples(dir: string = PEPPOL_EXAMPLES_DIR): OfficialExample[] | undefined {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return undefined;
  let running = FIRST_RUNNING_NUMBER;
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && extname(entry.name).toLowerCase() === '.xml')
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const path = join(dir, name);
      const known = KNOWN_OFFICIAL_EXAMPLES[name];
      if (known) return { name, path, ...known };
      const { kind, id } = kindAndId(readFileSync(path, 'utf8'));
      const invoiceNumber = id !== undefined && /^\d+$/.test(id) && fitsDemoKid(Number(id)) ? Number(id) : running++;
      return { name, path, invoiceNumber, kind };
    });
}

/** The root element and the cbc:ID under it; a file that is not XML counts as an invoice without ID (its checks then fail). */
function kindAndId(xml: string): { kind: DocumentKind; id?: string } {
  let root: Element | null;
  try {
    root = parseXml(xml).documentElement;
  } catch {
    return { kind: 'Invoice' };
  }
  const kind: DocumentKind = root?.localName === 'CreditNote' && root.namespaceURI === UBL_NS.CreditNote ? 'CreditNote' : 'Invoice';
  for (let node = root?.firstChild ?? null; node; node = node.nextSibling) {
    if (node.nodeType === node.ELEMENT_NODE && node.namespaceURI === UBL_NS.cbc && (node as Element).localName === 'ID') return { kind, id: node.textContent?.trim() };
  }
  return { kind };
}

function fitsDemoKid(invoiceNumber: number): boolean {
  try {
    generateKid(DEMO_KID_SCHEME, invoiceNumber);
    return true;
  } catch {
    return false;
  }
}

const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');

export interface PreviewRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The preview command as operators run it, through tsx. */
export function runPreview(args: string[]): PreviewRun {
  const run = spawnSync(process.execPath, [TSX, 'scripts/preview.ts', ...args], { cwd: ROOT, encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

export function kidIn(stdout: string): string {
  return /^KID: (\S+)/m.exec(stdout)?.[1] ?? '';
}

/** What the preview wrote for `input` into `out`: the EHF read back, and whether a PDF is there. */
export function previewOutput(input: string, out: string): { ehf: BillingDocument; pdfWritten: boolean } {
  const name = basename(input, extname(input));
  return { ehf: parseBillingDocument(readFileSync(join(out, `${name}.ehf.xml`), 'utf8')), pdfWritten: existsSync(join(out, `${name}.pdf`)) };
}

export interface OutgoingCase {
  /** The file name the outgoing EHF is validated under; unique, ending in .xml. */
  name: string;
  clientXml: string;
  kidScheme: KidScheme;
  invoiceNumber?: number;
}

/**
 * The outgoing EHF of every case, with the demo's Factoring Finans settings, validated with the
 * official artifacts in one Java run (the XSLTs are compiled once), plus `extra` documents as they
 * are. Reports by name; a case that gets no outgoing document reports its rule failures instead.
 */
export function validateOutgoingDocuments(cases: readonly OutgoingCase[], extra: readonly { name: string; xml: string }[] = []): Map<string, PeppolValidationReport> {
  const reports = new Map<string, PeppolValidationReport>();
  const documents = [...extra];
  for (const c of cases) {
    const result = prepareOutgoingDocument({ clientXml: c.clientXml, payee: payeeDetails(DEMO_SETTINGS), kidScheme: c.kidScheme, invoiceNumber: c.invoiceNumber });
    if (result.xml !== undefined) documents.push({ name: c.name, xml: result.xml });
    else reports.set(c.name, { file: c.name, failures: result.failures.map((f) => ({ id: f.ruleId, flag: 'no outgoing document', location: f.location ?? '', text: f.message })) });
  }
  const dir = mkdtempSync(join(tmpdir(), 'peppol-validation-'));
  try {
    for (const d of documents) writeFileSync(join(dir, d.name), d.xml);
    for (const report of validateWithPeppolArtifacts(documents.map((d) => join(dir, d.name)))) reports.set(basename(report.file), report);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return reports;
}

/**
 * Extracts the text a reader would select and copy from a PDF (pdf-parse, i.e. Mozilla's pdf.js),
 * with runs of white space made one space. It runs in a separate Node process: pdf.js loads its
 * worker with a dynamic ESM import, which Jest's CommonJS module sandbox cannot perform.
 */
export function pdfText(pdf: Buffer): Promise<string> {
  const run = spawnSync(process.execPath, ['-e', PDF_TO_TEXT], { input: pdf, cwd: ROOT, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (run.status !== 0) return Promise.reject(new Error(`pdf-parse failed: ${run.stderr}`));
  return Promise.resolve(run.stdout.replace(/\s+/g, ' '));
}

const PDF_TO_TEXT = `
const { PDFParse } = require('pdf-parse');
const chunks = [];
process.stdin.on('data', (chunk) => chunks.push(chunk));
process.stdin.on('end', async () => {
  const parser = new PDFParse({ data: new Uint8Array(Buffer.concat(chunks)) });
  const result = await parser.getText();
  await parser.destroy();
  process.stdout.write(result.text);
});
`;

/**
 * invoice-not-subject-to-vat.xml (category O, seller outside the VAT register) with the changes
 * that break, or keep, the category O rules, built here rather than committed: VAT identifiers for
 * the seller, its tax representative or the buyer; a document allowance or charge of 100.00 in
 * category O (optionally with a rate, which O must not have); a second line in category S 25 %.
 * The totals are kept consistent, so only the rule under test breaks.
 */
export interface NotSubjectToVatChanges {
  sellerVatId?: string;
  buyerVatId?: string;
  taxRepresentativeVatId?: string;
  documentAllowanceCharge?: { charge: boolean; percent?: string };
  secondLineStandardRated?: boolean;
}

export function notSubjectToVatVariant(changes: NotSubjectToVatChanges): string {
  let xml = fixture('poweroffice/invoice-not-subject-to-vat.xml');
  const vatScheme = (id: string): string => `<cac:PartyTaxScheme><cbc:CompanyID>${id}</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>`;
  const replaceOnce = (pattern: RegExp, replacement: string): void => {
    if (!pattern.test(xml)) throw new Error(`notSubjectToVatVariant: ${String(pattern)} not found`);
    xml = xml.replace(pattern, replacement);
  };
  if (changes.sellerVatId) replaceOnce(/<cac:PartyTaxScheme>\s*<cbc:CompanyID>Foretaksregisteret/, `${vatScheme(changes.sellerVatId)}$&`);
  if (changes.buyerVatId) replaceOnce(/<cac:PartyLegalEntity>\s*<cbc:RegistrationName>Kafé Kløverenga AS/, `${vatScheme(changes.buyerVatId)}$&`);
  if (changes.taxRepresentativeVatId) {
    replaceOnce(
      /<\/cac:AccountingCustomerParty>/,
      '$&<cac:TaxRepresentativeParty><cac:PartyName><cbc:Name>Skatterepresentant AS</cbc:Name></cac:PartyName>' +
        '<cac:PostalAddress><cbc:StreetName>Torget 1</cbc:StreetName><cbc:CityName>Røros</cbc:CityName><cbc:PostalZone>7374</cbc:PostalZone>' +
        `<cac:Country><cbc:IdentificationCode>NO</cbc:IdentificationCode></cac:Country></cac:PostalAddress>${vatScheme(changes.taxRepresentativeVatId)}</cac:TaxRepresentativeParty>`,
    );
  }
  let taxable = 363600;
  let vat = 0;
  if (changes.documentAllowanceCharge) {
    const { charge, percent } = changes.documentAllowanceCharge;
    replaceOnce(
      /<cac:TaxTotal>/,
      `<cac:AllowanceCharge><cbc:ChargeIndicator>${String(charge)}</cbc:ChargeIndicator>` +
        `<cbc:AllowanceChargeReason>${charge ? 'Emballasje' : 'Rabatt'}</cbc:AllowanceChargeReason><cbc:Amount currencyID="NOK">100.00</cbc:Amount>` +
        `<cac:TaxCategory><cbc:ID>O</cbc:ID>${percent === undefined ? '' : `<cbc:Percent>${percent}</cbc:Percent>`}<cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory>` +
        '</cac:AllowanceCharge>$&',
    );
    replaceOnce(/<cbc:PayableAmount/, `<cbc:${charge ? 'ChargeTotalAmount' : 'AllowanceTotalAmount'} currencyID="NOK">100.00</cbc:${charge ? 'ChargeTotalAmount' : 'AllowanceTotalAmount'}>$&`);
    taxable += charge ? 10000 : -10000;
  }
  let oTaxable = taxable;
  if (changes.secondLineStandardRated) {
    replaceOnce(
      /(<cbc:Name>Omvisning i bigården for kjøkkenpersonalet<\/cbc:Name>\s*<cac:ClassifiedTaxCategory>\s*)<cbc:ID>O<\/cbc:ID>/,
      '$1<cbc:ID>S</cbc:ID><cbc:Percent>25</cbc:Percent>',
    );
    replaceOnce(
      /<\/cac:TaxSubtotal>/,
      '$&<cac:TaxSubtotal><cbc:TaxableAmount currencyID="NOK">1500.00</cbc:TaxableAmount><cbc:TaxAmount currencyID="NOK">375.00</cbc:TaxAmount>' +
        '<cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>25</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory></cac:TaxSubtotal>',
    );
    oTaxable -= 150000;
    vat = 37500;
  }
  const amount = (ore: number): string => (ore / 100).toFixed(2);
  replaceOnce(/<cbc:TaxAmount currencyID="NOK">0.00<\/cbc:TaxAmount>\s*<cac:TaxSubtotal>/, `<cbc:TaxAmount currencyID="NOK">${amount(vat)}</cbc:TaxAmount><cac:TaxSubtotal>`);
  replaceOnce(/<cbc:TaxableAmount currencyID="NOK">3636.00/, `<cbc:TaxableAmount currencyID="NOK">${amount(oTaxable)}`);
  replaceOnce(/<cbc:TaxExclusiveAmount currencyID="NOK">3636.00/, `<cbc:TaxExclusiveAmount currencyID="NOK">${amount(taxable)}`);
  replaceOnce(/<cbc:TaxInclusiveAmount currencyID="NOK">3636.00/, `<cbc:TaxInclusiveAmount currencyID="NOK">${amount(taxable + vat)}`);
  replaceOnce(/<cbc:PayableAmount currencyID="NOK">3636.00/, `<cbc:PayableAmount currencyID="NOK">${amount(taxable + vat)}`);
  return xml;
}

/** The correcting invoice (invoice-correction-negative-lines.xml, type 380) with another type code, e.g. 384. */
export function correctionWithTypeCode(typeCode: string): string {
  return fixture('poweroffice/invoice-correction-negative-lines.xml').replace('<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>', `<cbc:InvoiceTypeCode>${typeCode}</cbc:InvoiceTypeCode>`);
}
