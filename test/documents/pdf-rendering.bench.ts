import { DEMO_KID_SCHEME, DEMO_SETTINGS } from '../../documents/demo-settings';
import { prepareOutgoingEhf } from '../../documents/invoice-documents';
import { renderInvoicePdfWithWarnings } from '../../documents/pdf/invoice-pdf';
import { FONT_FILES_READ_PER_DOCUMENT, FONTS_PARSED_ONCE, type PdfFontSources } from '../../documents/pdf/pdf-fonts';
import type { BillingDocument } from '../../domain/ehf/model';
import { outgoingBillingDocument, PDF_INVOICES } from './pdf-invoices';

/**
 * Milliseconds per invoice PDF, drawn as before (pdfkit reads and parses the font files for every
 * document) and as now (fonts parsed once per process), over N invoices taken in turn from
 * pdf-invoices.ts; then what an EHF send saves by drawing no PDF. Run:
 * `npx tsx test/documents/pdf-rendering.bench.ts [N]` (default 100). The two ways alternate over
 * three rounds after a warm-up, and the median round is the figure; they are printed, never
 * asserted (a loaded machine is slower).
 */
const count = Number(process.argv[2] ?? 100);
const ROUNDS = 3;

const invoices = PDF_INVOICES.map(({ clientXml }) => clientXml());
const documents = invoices.map(outgoingBillingDocument);
const nth = <T>(list: readonly T[], i: number): T => list[i % list.length] as T;

async function msPerPdf(fonts: PdfFontSources): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < count; i += 1) await renderInvoicePdfWithWarnings(nth<BillingDocument>(documents, i), DEMO_SETTINGS, fonts);
  return (performance.now() - started) / count;
}

function msPerEhf(): number {
  const started = performance.now();
  for (let i = 0; i < count; i += 1) prepareOutgoingEhf({ clientXml: nth(invoices, i), settings: DEMO_SETTINGS, kidScheme: DEMO_KID_SCHEME });
  return (performance.now() - started) / count;
}

const median = (figures: number[]): number => [...figures].sort((a, b) => a - b)[Math.floor(figures.length / 2)] ?? NaN;
const ms = (figure: number): string => `${figure.toFixed(1)} ms`;

async function main(): Promise<void> {
  if (!Number.isInteger(count) || count < 1) throw new Error(`N must be a whole number of invoices, at least 1 (got ${process.argv[2]})`);
  const coldStart = performance.now();
  await renderInvoicePdfWithWarnings(nth(documents, 0), DEMO_SETTINGS, FONTS_PARSED_ONCE);
  console.log(`first PDF of the process, parsing the fonts: ${ms(performance.now() - coldStart)}`);
  for (const document of documents) {
    const before = await renderInvoicePdfWithWarnings(document, DEMO_SETTINGS, FONT_FILES_READ_PER_DOCUMENT);
    const now = await renderInvoicePdfWithWarnings(document, DEMO_SETTINGS, FONTS_PARSED_ONCE);
    if (!before.pdf.equals(now.pdf)) throw new Error('the two ways drew different PDFs: the figures would compare different work');
  }

  const before: number[] = [];
  const now: number[] = [];
  const ehf: number[] = [];
  for (let round = 1; round <= ROUNDS; round += 1) {
    before.push(await msPerPdf(FONT_FILES_READ_PER_DOCUMENT));
    now.push(await msPerPdf(FONTS_PARSED_ONCE));
    ehf.push(msPerEhf());
    console.log(`round ${round}: before ${ms(before.at(-1) ?? NaN)}, now ${ms(now.at(-1) ?? NaN)} per PDF; outgoing EHF ${ms(ehf.at(-1) ?? NaN)} per invoice`);
  }
  const [pdfBefore, pdfNow, ehfOnly] = [median(before), median(now), median(ehf)];
  console.log(`\n${count} invoices (${PDF_INVOICES.length} kinds in turn), median of ${ROUNDS} rounds, the same bytes both ways:`);
  console.log(`  PDF, font files read and parsed for each document (before): ${ms(pdfBefore)} per PDF`);
  console.log(`  PDF, fonts parsed once per process (now):                    ${ms(pdfNow)} per PDF (${(pdfBefore / pdfNow).toFixed(1)}× faster)`);
  console.log(`  documents of an EHF send: ${ms(ehfOnly)} now (the outgoing EHF, built and checked, no PDF); ${ms(ehfOnly + pdfBefore)} before (the EHF and a PDF)`);
  console.log(`  documents of an e-mail or a letter: ${ms(ehfOnly + pdfNow)} now; ${ms(ehfOnly + pdfBefore)} before`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
