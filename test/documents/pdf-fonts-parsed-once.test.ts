import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { DEMO_SETTINGS } from '../../documents/demo-settings';
import { renderInvoicePdfWithWarnings } from '../../documents/pdf/invoice-pdf';
import { FONT_FILES_READ_PER_DOCUMENT, FONTS_PARSED_ONCE, type PdfFontSources } from '../../documents/pdf/pdf-fonts';
import type { BillingDocument } from '../../domain/ehf/model';
import { fixture } from './fixtures';
import { outgoingBillingDocument, PDF_INVOICES } from './pdf-invoices';

const sha256 = (pdf: Buffer): string => createHash('sha256').update(pdf).digest('hex');

async function pdfHash(doc: BillingDocument, fonts: PdfFontSources): Promise<string> {
  return sha256((await renderInvoicePdfWithWarnings(doc, DEMO_SETTINGS, fonts)).pdf);
}

const invoices = PDF_INVOICES.map(({ name, clientXml }) => ({ name, doc: outgoingBillingDocument(clientXml()) }));

/** Each invoice's PDF as pdfkit made it when it read and parsed the font files for every document. */
const readPerDocument = new Map<string, string>();
beforeAll(async () => {
  for (const { name, doc } of invoices) readPerDocument.set(name, await pdfHash(doc, FONT_FILES_READ_PER_DOCUMENT));
});

describe('PDFs drawn with the fonts parsed once per process', () => {
  test.each(PDF_INVOICES.map(({ name }) => name))('%s: the same bytes as with the font files read for the document', async (name) => {
    const invoice = invoices.find((i) => i.name === name);
    if (!invoice) throw new Error(`no invoice ${name}`);
    expect(await pdfHash(invoice.doc, FONTS_PARSED_ONCE)).toBe(readPerDocument.get(name));
  });

  test('the same bytes whatever the process drew before: every invoice again, in reverse order', async () => {
    const hashes: [string, string | undefined][] = [];
    for (const { name, doc } of [...invoices].reverse()) hashes.push([name, await pdfHash(doc, FONTS_PARSED_ONCE)]);
    expect(hashes).toEqual([...invoices].reverse().map(({ name }) => [name, readPerDocument.get(name)]));
  });

  test('the same bytes when several are drawn at once, as concurrent activities do', async () => {
    const hashes = await Promise.all(invoices.map(async ({ name, doc }) => [name, await pdfHash(doc, FONTS_PARSED_ONCE)]));
    expect(hashes).toEqual(invoices.map(({ name }) => [name, readPerDocument.get(name)]));
  });

  test('one invoice\'s text does not change another\'s PDF: "ﬁ" (U+FB01) and "fi" each come out as they did, in either order', async () => {
    // The character "ﬁ" and the ligature of "f" and "i" are one glyph of DejaVu Sans. A glyph keeps
    // the characters it was first drawn for, and the PDF maps it back to them when a reader copies
    // the text: shared by the process, whichever invoice came first would decide it for the other.
    const plain = fixture('poweroffice/invoice-several-vat-rates.xml');
    const ligatureCharacter = outgoingBillingDocument(plain.replace('<cbc:Name>Kinobillett</cbc:Name>', '<cbc:Name>\ufb01lmvisning</cbc:Name>'));
    const lettersFI = outgoingBillingDocument(plain.replace('<cbc:Name>Kinobillett</cbc:Name>', '<cbc:Name>Kaffi og film</cbc:Name>'));
    const expected = [await pdfHash(ligatureCharacter, FONT_FILES_READ_PER_DOCUMENT), await pdfHash(lettersFI, FONT_FILES_READ_PER_DOCUMENT)];

    const drawn = [];
    for (const doc of [ligatureCharacter, lettersFI, ligatureCharacter]) drawn.push(await pdfHash(doc, FONTS_PARSED_ONCE));
    expect(drawn).toEqual([...expected, expected[0]]);
  });
});

describe('font files', () => {
  /** The .ttf files read while one PDF of every invoice is drawn. */
  async function fontFilesRead(fonts: PdfFontSources): Promise<string[]> {
    const readFileSync = jest.spyOn(fs, 'readFileSync');
    try {
      for (const { doc } of invoices) await pdfHash(doc, fonts);
      return readFileSync.mock.calls.map(([file]) => String(file)).filter((file) => file.endsWith('.ttf'));
    } finally {
      readFileSync.mockRestore();
    }
  }

  test('are read once per process: drawing every invoice again reads none', async () => {
    await fontFilesRead(FONTS_PARSED_ONCE);
    expect(await fontFilesRead(FONTS_PARSED_ONCE)).toEqual([]);
  });

  test('were read again for every PDF before (what the bench compares with)', async () => {
    const files = await fontFilesRead(FONT_FILES_READ_PER_DOCUMENT);
    expect(files.filter((file) => file.endsWith('/DejaVuSans.ttf'))).toHaveLength(invoices.length);
  });
});
