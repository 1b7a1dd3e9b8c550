import { ApplicationFailure } from '@temporalio/activity';
import { prepareOutgoingEhf } from '../../documents/invoice-documents';
import { renderInvoicePdfWithWarnings } from '../../documents/pdf/invoice-pdf';
import type { BillingDocument } from '../../domain/ehf/model';
import type { FactoringDocument } from '../../domain/invoice';
import { classifiedFailure, documentRefusal } from '../failures';
import { customerCard, loadInvoiceContext, type InvoiceContext, type InvoiceSources } from './invoice-context';

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
 */

/** The outgoing EHF, checked, for an EHF send. */
export async function outgoingEhf(sources: InvoiceSources, document: FactoringDocument, kid: string, doing: string): Promise<OutgoingEhf> {
  const { context, ehfXml } = await checkedOutgoingEhf(sources, document, kid, doing);
  return { context, ehfXml };
}

/** The PDF of the checked outgoing EHF, for an e-mail, a letter or the write-back. */
export async function outgoingPdf(sources: InvoiceSources, document: FactoringDocument, kid: string, doing: string): Promise<OutgoingPdf> {
  const { context, billingDocument } = await checkedOutgoingEhf(sources, document, kid, doing);
  const rendered = await built(document, doing, () => renderInvoicePdfWithWarnings(billingDocument, sources.factoringFinans));
  return { context, pdf: { fileName: `${document.invoiceNo}.pdf`, base64: rendered.pdf.toString('base64') } };
}

interface CheckedOutgoingEhf {
  context: InvoiceContext;
  ehfXml: string;
  /** The outgoing EHF read back: what the PDF shows. */
  billingDocument: BillingDocument;
}

async function checkedOutgoingEhf(sources: InvoiceSources, document: FactoringDocument, kid: string, doing: string): Promise<CheckedOutgoingEhf> {
  const context = await loadInvoiceContext(sources, document);
  const outgoing = await built(document, doing, async () =>
    prepareOutgoingEhf({
      clientXml: context.clientXml,
      settings: sources.factoringFinans,
      kidScheme: context.kidScheme,
      invoiceNumber: document.invoiceNo,
      customer: customerCard(context.customer),
    }),
  );
  if (!outgoing.ready || !outgoing.xml || !outgoing.document) {
    refuseInvoice(document, doing, `its documents no longer pass the rules (${outgoing.failures.map((f) => f.ruleId).join(', ')})`);
  }
  if (outgoing.kid !== kid) refuseInvoice(document, doing, 'the KID changed since the invoice was assessed (KID settings changed?)');
  return { context, ehfXml: outgoing.xml, billingDocument: outgoing.document };
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
