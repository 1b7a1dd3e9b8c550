import PDFDocument from 'pdfkit';
import { assignmentNotice } from '../../domain/ehf/factoring';
import type { BillingDocument } from '../../domain/ehf/model';
import { warning, type RuleFailure } from '../../domain/ehf/rules/rule';
import { formatOrganisationNumber } from '../../domain/organisation-number';
import { payeeDetails, type FactoringFinansSettings } from '../settings';
import { writeHeader } from './header';
import { titles } from './labels';
import { describeCharacter, REPLACEMENT_CHARACTER } from './glyphs';
import { CONTENT_WIDTH, GREY, PAGE, PdfWriter, type Pdf, type Substitution } from './layout';
import { writeLinesTable } from './lines-table';
import { writePaymentAndNotice } from './payment';
import { FONTS_PARSED_ONCE, type PdfFontSources } from './pdf-fonts';
import { writeSummary } from './summary';

/**
 * The invoice or credit note as the end customer sees it: A4, selectable text in an embedded
 * Unicode font, Norwegian number and date forms. It is drawn from the outgoing EHF as read back,
 * so the PDF and the EHF cannot disagree. One PDF serves the letter, the e-mail attachment and the
 * copy written back to PowerOffice GO.
 */
export async function renderInvoicePdf(doc: BillingDocument, settings: FactoringFinansSettings): Promise<Buffer> {
  return (await renderInvoicePdfWithWarnings(doc, settings)).pdf;
}

export interface RenderedInvoicePdf {
  pdf: Buffer;
  /** FF-PDF-01 warnings: fields the PDF shows with a replacement character (the EHF keeps them whole). */
  warnings: RuleFailure[];
}

/**
 * renderInvoicePdf, and what the PDF could not show, as warnings naming the field. `fonts`: the
 * faces parsed once per process; FONT_FILES_READ_PER_DOCUMENT only to compare with how PDFs were
 * rendered before (the same bytes).
 */
export async function renderInvoicePdfWithWarnings(doc: BillingDocument, settings: FactoringFinansSettings, fonts: PdfFontSources = FONTS_PARSED_ONCE): Promise<RenderedInvoicePdf> {
  const pdf = new PDFDocument({
    size: 'A4',
    margins: { top: PAGE.top, bottom: 20, left: PAGE.left, right: PAGE.width - PAGE.right },
    bufferPages: true,
    info: documentInfo(doc, settings),
  });
  const done = collect(pdf);

  const w = new PdfWriter(pdf, fonts);
  writeHeader(w, doc);
  writeLinesTable(w, doc);
  writeSummary(w, doc);
  writePaymentAndNotice(w, doc, assignmentNotice(payeeDetails(settings)));
  writeFooters(w, settings);
  pdf.end();
  return { pdf: await done, warnings: substitutionWarnings(w.substitutions) };
}

/**
 * One warning per field (and set of characters) the PDF could not print in full. The message names
 * the characters, never the field's text: warnings end up in logs and workflow history, and the
 * text may be a name or an address.
 */
function substitutionWarnings(substitutions: readonly Substitution[]): RuleFailure[] {
  const byField = new Map<string, Set<string>>();
  for (const { field, characters } of substitutions) {
    const set = byField.get(field) ?? new Set<string>();
    for (const c of characters) set.add(c);
    byField.set(field, set);
  }
  return [...byField].map(([field, characters]) =>
    warning(
      'FF-PDF-01',
      `no font of the PDF can show ${[...characters].map(describeCharacter).join(', ')}: the PDF prints ${REPLACEMENT_CHARACTER} in its place; the EHF carries the text unchanged`,
      field,
    ),
  );
}

function documentInfo(doc: BillingDocument, settings: FactoringFinansSettings): PDFKit.DocumentInfo {
  const issued = /^\d{4}-\d{2}-\d{2}$/.test(doc.issueDate) ? new Date(`${doc.issueDate}T00:00:00Z`) : undefined;
  return {
    Title: `${titles(doc.kind).title === 'FAKTURA' ? 'Faktura' : 'Kreditnota'} ${doc.id}`,
    Author: doc.seller.legalEntity?.registrationName ?? doc.seller.name ?? '',
    Creator: settings.name,
    // A fixed date keeps the PDF the same every time it is rendered from the same EHF.
    ...(issued ? { CreationDate: issued, ModDate: issued } : {}),
  };
}

function writeFooters(w: PdfWriter, settings: FactoringFinansSettings): void {
  const { start, count } = w.pdf.bufferedPageRange();
  const a = settings.address;
  const line = `${settings.name} · ${a.streetName}, ${a.postalZone} ${a.cityName} · org.nr. ${formatOrganisationNumber(settings.organisationNumber)} · ${settings.email}`;
  for (let i = start; i < start + count; i++) {
    w.pdf.switchToPage(i);
    w.rule(PAGE.footerTop - 4);
    w.text(line, PAGE.left, PAGE.footerTop, CONTENT_WIDTH - 70, { size: 7.5, color: GREY });
    w.text(`Side ${i - start + 1} av ${count}`, PAGE.right - 70, PAGE.footerTop, 70, { size: 7.5, color: GREY, align: 'right' });
  }
}

function collect(pdf: Pdf): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
}
