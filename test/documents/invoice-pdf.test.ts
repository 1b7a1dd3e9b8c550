import { prepareInvoiceDocuments, type InvoiceDocuments } from '../../documents/invoice-documents';
import { DEMO_KID_SCHEME, DEMO_SETTINGS } from '../../documents/demo-settings';
import { formatAmount, formatDate, formatDecimalText } from '../../documents/format';
import { fontRuns } from '../../documents/pdf/glyphs';
import { renderInvoicePdf } from '../../documents/pdf/invoice-pdf';
import type { BillingDocument } from '../../domain/ehf/model';
import { prepareOutgoingDocument } from '../../domain/ehf/outgoing-document';
import type { Ore } from '../../domain/money';
import { payeeDetails } from '../../documents/settings';
import { fixture, pdfText } from './fixtures';
import { manyLines } from './pdf-invoices';

async function documentsFor(file: string): Promise<InvoiceDocuments & { pdf: Buffer; text: string }> {
  return documentsForXml(fixture(file));
}

async function documentsForXml(clientXml: string): Promise<InvoiceDocuments & { pdf: Buffer; text: string }> {
  const result = await prepareInvoiceDocuments({ clientXml, settings: DEMO_SETTINGS, kidScheme: DEMO_KID_SCHEME });
  if (!result.pdf) throw new Error(`no PDF: ${JSON.stringify(result.failures)}`);
  return { ...result, pdf: result.pdf, text: await pdfText(result.pdf) };
}

/** The outgoing document of a fixture, changed in memory, as the PDF would show it. */
async function pdfTextOf(file: string, change: (doc: BillingDocument) => BillingDocument): Promise<string> {
  const doc = prepareOutgoingDocument({ clientXml: fixture(file), payee: payeeDetails(DEMO_SETTINGS), kidScheme: DEMO_KID_SCHEME }).document;
  if (!doc) throw new Error(`no document for ${file}`);
  return pdfText(await renderInvoicePdf(change(doc), DEMO_SETTINGS));
}

describe('the invoice PDF the end customer receives', () => {
  let invoice: Awaited<ReturnType<typeof documentsFor>>;
  beforeAll(async () => {
    invoice = await documentsFor('poweroffice/invoice-several-vat-rates.xml');
  });

  test('is an A4 PDF with its fonts embedded', () => {
    const raw = invoice.pdf.toString('latin1');
    expect(raw.startsWith('%PDF-')).toBe(true);
    expect(raw).toMatch(/\/MediaBox \[0 0 595\.28 841\.89\]/);
    expect(raw).toMatch(/\/FontFile2/);
  });

  test('says FAKTURA and shows the KID, the account number and the amount due in the payment information', () => {
    expect(invoice.text).toContain('FAKTURA');
    expect(invoice.text).toContain('Betalingsinformasjon');
    expect(invoice.text).toContain(`KID ${invoice.kid ?? 'no KID'}`);
    expect(invoice.text).toContain('1503 12 34562');
    expect(invoice.text).toContain('13 475,00 NOK');
    expect(invoice.text).toContain('Forfallsdato 28.11.2026');
  });

  test('shows the totals and the VAT summary per rate, in Norwegian number format', () => {
    for (const expected of ['Sum linjer 10 903,51', 'Tillegg 35,00', 'Sum eks. mva. 10 938,51', 'Merverdiavgift 2 536,30', 'Sum inkl. mva. 13 474,81', 'Øreavrunding 0,19', 'Å betale 13 475,00']) {
      expect(invoice.text).toContain(expected);
    }
    for (const expected of ['25 % 10 035,02 2 508,76', '15 % 99,99 15,00', '12 % 104,50 12,54', 'Nullsats 0 % 199,00 0,00', 'Fritatt 0 % 500,00 0,00']) {
      expect(invoice.text).toContain(expected);
    }
  });

  test('shows the lines with quantity, unit, price, VAT rate and amount', () => {
    expect(invoice.text).toContain('Konsulenttimer Rådgivning «Blåbær & Søn» <fase 2> 7,5 timer 1 332,00 25 % 9 990,00');
    expect(invoice.text).toContain('Kinobillett 2 stk 52,25 12 % 104,50');
  });

  test('names the seller, the buyer and the invoice facts, with letters beyond ASCII intact', () => {
    expect(invoice.text).toContain('Blåbær & Søn AS');
    expect(invoice.text).toContain('Org.nr. 312 345 676 MVA');
    expect(invoice.text).toContain('Foretaksregisteret');
    expect(invoice.text).toContain('Čáhppes Ørn & Łódź «Nord» AS');
    expect(invoice.text).toContain('Máttaráhku geaidnu 7 <bakgården>');
    expect(invoice.text).toContain('9730 Kárášjohka');
    expect(invoice.text).toContain('Fakturanr. 10023');
    expect(invoice.text).toContain('Fakturadato 14.11.2026');
    expect(invoice.text).toContain('Deres ref. Ørjan Ødegård & Co');
  });

  test('carries the notice that the claim has been assigned to Factoring Finans', () => {
    expect(invoice.text).toContain('Melding om overdragelse av fordring');
    expect(invoice.text).toContain(
      'Fordringen er overdratt til Factoring Finans AS (org.nr. 315 123 453). Betaling med frigjørende virkning kan kun skje til Factoring Finans AS, kontonummer 1503 12 34562.',
    );
  });

  test('is rendered the same every time from the same invoice', async () => {
    const again = await documentsFor('poweroffice/invoice-several-vat-rates.xml');
    expect(again.text).toBe(invoice.text);
  });
});

describe('the credit note PDF', () => {
  test('says KREDITNOTA, names the credited invoice and the credited amount, and carries KID and notice', async () => {
    const creditNote = await documentsFor('poweroffice/credit-note.xml');
    expect(creditNote.text).toContain('KREDITNOTA');
    expect(creditNote.text).toContain('Krediterer faktura 10023');
    expect(creditNote.text).toContain('Kreditert beløp 3 330,00');
    expect(creditNote.text).toContain('Kreditnotaen avregnes mot faktura 10023');
    expect(creditNote.text).toContain(`KID ${creditNote.kid ?? 'no KID'}`);
    expect(creditNote.text).toContain('Fordringen er overdratt til Factoring Finans AS');
    expect(creditNote.text).not.toContain('FAKTURA ');
  });

  test('asks for no payment: no account to pay to, no "Oppgi KID ved betaling"', async () => {
    const creditNote = await documentsFor('poweroffice/credit-note.xml');
    expect(creditNote.text).toContain('Beløpet godskrives og skal ikke betales.');
    expect(creditNote.text).not.toContain('Oppgi KID ved betaling');
    expect(creditNote.text).not.toContain('Til kontonummer');
  });

  test('with a negative amount (a generator\'s sign mistake) is still a credit of that amount, not a payment request', async () => {
    const text = await pdfTextOf('poweroffice/credit-note.xml', (doc) => ({ ...doc, totals: { ...doc.totals, payable: (0 - doc.totals.payable) as Ore } }));
    expect(text).toContain('Kreditert beløp 3 330,00 NOK');
    expect(text).not.toContain('-3 330,00');
    expect(text).not.toContain('Oppgi KID ved betaling');
  });
});

describe('the PDF of an invoice with a negative total (a correcting invoice, 380, that credits more than it adds)', () => {
  let correction: Awaited<ReturnType<typeof documentsFor>>;
  beforeAll(async () => {
    correction = await documentsFor('poweroffice/invoice-correction-negative-lines.xml');
  });

  test('shows the amount in the customer\'s favour as "Til gode", without a minus sign', () => {
    expect(correction.text).toContain('Sum inkl. mva. -2 569,13 Til gode 2 569,13');
    expect(correction.text).toContain('Til gode 2 569,13 NOK');
    expect(correction.text).toContain('Beløpet godskrives og skal ikke betales.');
  });

  test('asks for no payment: no amount to pay, no account, no due date, no "Oppgi KID ved betaling"', () => {
    for (const unexpected of ['Å betale', 'Beløp å betale', 'Til kontonummer', 'Forfallsdato', 'Oppgi KID ved betaling']) expect(correction.text).not.toContain(unexpected);
  });

  test('keeps the KID, as the reference of the credit', () => {
    expect(correction.text).toContain(`KID ${correction.kid ?? 'no KID'}`);
  });

  test('says "Korrigerer faktura 10051": it is an invoice, not a credit note', () => {
    expect(correction.text).toContain('Korrigerer faktura 10051');
    expect(correction.text).not.toContain('Krediterer');
  });
});

describe('the PDF of an ordinary invoice that references an earlier invoice', () => {
  test('says "Korrigerer faktura" and asks for payment as usual', async () => {
    const clientXml = fixture('poweroffice/invoice-several-vat-rates.xml').replace(
      '<cac:AdditionalDocumentReference>',
      '<cac:BillingReference><cac:InvoiceDocumentReference><cbc:ID>10001</cbc:ID></cac:InvoiceDocumentReference></cac:BillingReference>$&',
    );
    const invoice = await documentsForXml(clientXml);
    expect(invoice.failures).toEqual([]);
    expect(invoice.text).toContain('Korrigerer faktura 10001');
    expect(invoice.text).not.toContain('Krediterer');
    expect(invoice.text).toContain('Beløp å betale 13 475,00 NOK');
    expect(invoice.text).toContain('Oppgi KID ved betaling.');
  });
});

describe('the PDF of an invoice with nothing left to pay', () => {
  test('shows 0,00 to pay and says there is nothing to pay, without a payment instruction', async () => {
    const text = await pdfTextOf('poweroffice/invoice-several-vat-rates.xml', (doc) => ({
      ...doc,
      totals: { ...doc.totals, prepaid: doc.totals.taxInclusive, payableRounding: undefined, payable: 0 as Ore },
    }));
    expect(text).toContain('Å betale 0,00');
    expect(text).toContain('Ingenting å betale.');
    expect(text).not.toContain('Oppgi KID ved betaling');
  });
});

describe('characters the PDF font has no glyph for', () => {
  test('an emoji in an item name prints as a visible replacement character, and the documents carry a warning naming the field', async () => {
    const invoice = await documentsFor('poweroffice/invoice-special-characters.xml');
    expect(invoice.text).toContain('Kake \ufffd og kaffe 1 stk');
    expect(invoice.ready).toBe(true);
    expect(invoice.failures).toEqual([
      { ruleId: 'FF-PDF-01', severity: 'warning', location: 'InvoiceLine 4 Item/Name', message: expect.stringContaining('🎂 (U+1F382)') },
    ]);
  });

  test('the warning names the character, not the text around it (names and addresses stay out of logs)', async () => {
    const invoice = await documentsFor('poweroffice/invoice-special-characters.xml');
    expect(invoice.failures[0]?.message).not.toContain('Kake');
    expect(invoice.failures[0]?.message).toContain('the EHF carries the text unchanged');
  });

  test('letters only another installed DejaVu font has print in that font, in place, with no warning', async () => {
    const clientXml = fixture('poweroffice/invoice-several-vat-rates.xml')
      .replace('<cbc:Name>Kinobillett</cbc:Name>', '<cbc:Name>Kinobillett 𝐕𝐈𝐏 for ℂ𝔸𝔽𝔼-gjester, med en tekst lang nok til å brytes over flere linjer</cbc:Name>')
      .replace('<cbc:RegistrationName>Blåbær &amp; Søn AS</cbc:RegistrationName>', '<cbc:RegistrationName>𝖡𝗅å𝖻æ𝗋 &amp; Søn AS</cbc:RegistrationName>');
    const invoice = await documentsForXml(clientXml);
    expect(invoice.failures).toEqual([]);
    expect(invoice.text).toContain('Kinobillett 𝐕𝐈𝐏 for ℂ𝔸𝔽𝔼-gjester, med en tekst lang nok til å brytes over flere linjer 2 stk 52,25 12 % 104,50');
    expect(invoice.text).toContain('𝖡𝗅å𝖻æ𝗋 & Søn AS');
    expect(invoice.pdf.toString('latin1')).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuMathTeXGyre/);
  });

  test.each([
    ['an emoji with a skin tone', 'Takk 👍🏽', 'Takk \ufffd', ['👍🏽']],
    ['a heart with the emoji variation selector (DejaVu has both)', 'Med ❤️ fra oss', 'Med ❤️ fra oss', []],
    ['a zero-width joiner sequence no font has', 'Team 👩‍💻', 'Team \ufffd', ['👩‍💻']],
    ['an e with a combining acute accent', 'Cafe\u0301', 'Cafe\u0301', []],
  ])('%s: "%s" prints as "%s"', (_, text, printed, missing) => {
    const runs = fontRuns(text, 'regular');
    expect(runs.runs.map((r) => r.text).join('')).toBe(printed);
    expect(runs.missing).toEqual(missing);
  });
});

describe('the PDF of an invoice with a prepaid amount and rounding', () => {
  test('shows the total, the prepaid amount and the rounding, and asks for the rest', async () => {
    const invoice = await documentsFor('poweroffice/invoice-prepaid-and-rounding.xml');
    for (const expected of ['Sum inkl. mva. 79 556,23', 'Forskuddsbetalt -20 000,00', 'Øreavrunding -0,23', 'Å betale 59 556,00', 'Beløp å betale 59 556,00 NOK']) {
      expect(invoice.text).toContain(expected);
    }
    expect(invoice.text).toContain('Benkeplate heltre eik, løpemeter 2,35 m 1 899,99 25 % 4 464,98');
  });
});

describe('a long invoice', () => {
  test('continues on further pages with the table header repeated, every page numbered, payment information and notice together at the end', async () => {
    const long = manyLines();
    const result = await prepareInvoiceDocuments({ clientXml: long, settings: DEMO_SETTINGS, kidScheme: DEMO_KID_SCHEME });
    expect(result.failures).toEqual([]);
    const text = await pdfText(result.pdf ?? Buffer.alloc(0));
    const pages = Number(/Side 1 av (\d+)/.exec(text)?.[1]);
    expect(pages).toBeGreaterThan(1);
    for (let page = 1; page <= pages; page++) expect(text).toContain(`Side ${page} av ${pages}`);
    const lastPage = text.slice(text.indexOf(`Side ${pages - 1} av ${pages}`));
    expect(text.split('Beskrivelse Antall Enhet Pris MVA Beløp').length - 1).toBeGreaterThan(1);
    expect(text).toContain('Å betale 20 497,00');
    expect(lastPage).toContain('Betalingsinformasjon');
    expect(lastPage).toContain('Melding om overdragelse av fordring');
  });
});

describe('Norwegian number and date forms', () => {
  test.each([
    [123450, '1\u00a0234,50'],
    [-396, '-3,96'],
    [100000000, '1\u00a0000\u00a0000,00'],
  ])('%p øre prints as "%s"', (ore, text) => {
    expect(formatAmount(ore as Ore)).toBe(text);
  });

  test('dates print as day.month.year', () => {
    expect(formatDate('2026-11-28')).toBe('28.11.2026');
  });

  test('quantities and prices keep their decimals, with a comma', () => {
    expect(formatDecimalText('7.5')).toBe('7,5');
    expect(formatDecimalText('1273', 2)).toBe('1\u00a0273,00');
    expect(formatDecimalText('0.7500', 2)).toBe('0,75');
    expect(formatDecimalText('2.4833', 2)).toBe('2,4833');
  });
});
