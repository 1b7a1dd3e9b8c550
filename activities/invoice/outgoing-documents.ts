import { ApplicationFailure } from '@temporalio/activity';
import { prepareOutgoingEhf } from '../../documents/invoice-documents';
import { renderInvoicePdfWithWarnings } from '../../documents/pdf/invoice-pdf';
import { readOutgoingDocument, type OutgoingDocument } from '../../domain/ehf/outgoing-document';
import type { FactoringDocument } from '../../domain/invoice';
import { classifiedFailure, documentRefusal } from '../failures';
import { customerCard, loadInvoiceContext, type HandedPowerOfficeData, type InvoiceContext, type InvoiceSources } from './invoice-context';

export interface PdfAttachment {
  fileName: string;
  base64: string;
}

/** What an EHF send carries: the outgoing EHF for the PEPPOL network. No PDF is drawn for it. */
export interface OutgoingEhf {
  context: InvoiceContext;
  ehfXml: string;
}

/** What an e-mail, a letter and the write-back to PowerOffice GO carry: the PDF of the outgoing EHF. */
export interface OutgoingPdf {
  context: InvoiceContext;
  pdf: PdfAttachment;
}

export function refuseInvoice(document: FactoringDocument, doing: string, why: string): never {
  throw ApplicationFailure.nonRetryable(`Invoice ${document.invoiceNo} of client ${document.clientId} cannot be ${doing}: ${why}`, 'InvoiceNotSendable');
}

/*
 * The documents are rebuilt where they are sent, not stored. Deterministic: the same invoice,
 * settings and customer card give the same bytes, so the send and the 15:30 write-back share one
 * document. Both builders check the outgoing EHF by the same rules, and the KID against the one the
 * assessment issued, before anything goes out; only outgoingPdf draws a PDF (drawing PDFs took
 * about half of a worker's CPU, and an EHF send never used its PDF). `doing` names the step in a
 * refusal ("sent", "written back").
 *
 * `expected` is what the assessment decided: the KID, and the fingerprint of the EHF it checked.
 * A rebuilt EHF with that fingerprint is the very document that passed the rules, so they are not
 * run again (they were half of building and checking it); when the settings, the customer card
 * or the client's XML changed since, the bytes differ and the document is checked in full, with
 * the same refusals. Without a fingerprint (assessed before it was recorded) it is checked in full.
 */
export interface AssessedDocument {
  kid: string;
  ehfFingerprint?: string;
  /** The client's EHF and the customer card as the workflow read them (else read from PowerOffice here). */
  handed?: HandedPowerOfficeData;
}

/** The outgoing EHF, checked, for an EHF send. */
export async function outgoingEhf(sources: InvoiceSources, document: FactoringDocument, expected: AssessedDocument, doing: string): Promise<OutgoingEhf> {
  const { context, ehfXml } = await checkedOutgoingEhf(sources, document, expected, doing);
  return { context, ehfXml };
}

/** The PDF of the checked outgoing EHF, for an e-mail, a letter or the write-back. */
export async function outgoingPdf(sources: InvoiceSources, document: FactoringDocument, expected: AssessedDocument, doing: string): Promise<OutgoingPdf> {
  const { context, outgoing, ehfXml } = await checkedOutgoingEhf(sources, document, expected, doing);
  const billingDocument = outgoing.document ?? (await built(document, doing, async () => readOutgoingDocument(ehfXml)));
  const rendered = await built(document, doing, () => renderInvoicePdfWithWarnings(billingDocument, sources.factoringFinans));
  return { context, pdf: { fileName: `${document.invoiceNo}.pdf`, base64: rendered.pdf.toString('base64') } };
}

interface CheckedOutgoingEhf {
  context: InvoiceContext;
  ehfXml: string;
  /** Its `document` (the EHF read back, what the PDF shows) is absent when the check was skipped. */
  outgoing: OutgoingDocument;
}

async function checkedOutgoingEhf(sources: InvoiceSources, document: FactoringDocument, expected: AssessedDocument, doing: string): Promise<CheckedOutgoingEhf> {
  const context = await loadInvoiceContext(sources, document, expected.handed);
  const outgoing = await built(document, doing, async () =>
    prepareOutgoingEhf({
      clientXml: context.clientXml,
      settings: sources.factoringFinans,
      kidScheme: context.kidScheme,
      invoiceNumber: document.invoiceNo,
      customer: customerCard(context.customer),
      ...(expected.ehfFingerprint !== undefined ? { checkedFingerprint: expected.ehfFingerprint } : {}),
    }),
  );
  if (!outgoing.ready || !outgoing.xml || (!outgoing.checkedBefore && !outgoing.document)) {
    refuseInvoice(document, doing, `its documents no longer pass the rules (${outgoing.failures.map((f) => f.ruleId).join(', ')})`);
  }
  if (outgoing.kid !== expected.kid) refuseInvoice(document, doing, 'the KID changed since the invoice was assessed (KID settings changed?)');
  return { context, ehfXml: outgoing.xml, outgoing };
}

/** Building is deterministic: an error here would come back on every retry, so it ends the attempt at once. */
async function built<T>(document: FactoringDocument, doing: string, build: () => Promise<T>): Promise<T> {
  try {
    return await build();
  } catch (err) {
    const refusal = documentRefusal(err);
    if (refusal !== undefined) refuseInvoice(document, doing, `the client's EHF was refused: ${refusal}`);
    throw classifiedFailure(err, `Building the documents of invoice ${document.invoiceNo} of client ${document.clientId}`);
  }
}
