import { ApplicationFailure } from '@temporalio/activity';
import { prepareInvoiceDocuments } from '../../documents/invoice-documents';
import type { FactoringDocument } from '../../domain/invoice';
import { classifiedFailure, documentRefusal } from '../failures';
import { customerCard, loadInvoiceContext, type InvoiceContext, type InvoiceSources } from './invoice-context';

export interface OutgoingDocuments {
  context: InvoiceContext;
  ehfXml: string;
  pdf: { fileName: string; base64: string };
}

export function refuseInvoice(document: FactoringDocument, doing: string, why: string): never {
  throw ApplicationFailure.nonRetryable(`Invoice ${document.invoiceNo} of client ${document.clientId} cannot be ${doing}: ${why}`, 'InvoiceNotSendable');
}

/**
 * Rebuilds the outgoing EHF and PDF. Deterministic: the same invoice, settings and customer card
 * give the same bytes, so the send and the 15:30 write-back share one document without storing it.
 * `doing` names the step in a refusal ("sent", "written back").
 */
export async function outgoingDocuments(sources: InvoiceSources, document: FactoringDocument, kid: string, doing: string): Promise<OutgoingDocuments> {
  const context = await loadInvoiceContext(sources, document);
  const documents = await buildDocuments(sources, document, context, doing);
  if (!documents.ready || !documents.pdf || !documents.ehfXml) {
    refuseInvoice(document, doing, `its documents no longer pass the rules (${documents.failures.map((f) => f.ruleId).join(', ')})`);
  }
  if (documents.kid !== kid) refuseInvoice(document, doing, 'the KID changed since the invoice was assessed (KID settings changed?)');
  return { context, ehfXml: documents.ehfXml, pdf: { fileName: `${document.invoiceNo}.pdf`, base64: documents.pdf.toString('base64') } };
}

/** Building is deterministic: an error here would come back on every retry, so it ends the attempt at once. */
async function buildDocuments(sources: InvoiceSources, document: FactoringDocument, context: InvoiceContext, doing: string) {
  try {
    return await prepareInvoiceDocuments({
      clientXml: context.clientXml,
      settings: sources.factoringFinans,
      kidScheme: context.kidScheme,
      invoiceNumber: document.invoiceNo,
      customer: customerCard(context.customer),
    });
  } catch (err) {
    const refusal = documentRefusal(err);
    if (refusal !== undefined) refuseInvoice(document, doing, `the client's EHF was refused: ${refusal}`);
    throw classifiedFailure(err, `Building the documents of invoice ${document.invoiceNo} of client ${document.clientId}`);
  }
}
