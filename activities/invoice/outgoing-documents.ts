import { ApplicationFailure } from '@temporalio/activity';
import { prepareInvoiceDocuments } from '../../documents/invoice-documents';
import type { FactoringDocument } from '../../domain/invoice';
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
  const documents = await prepareInvoiceDocuments({
    clientXml: context.clientXml,
    settings: sources.factoringFinans,
    kidScheme: context.kidScheme,
    invoiceNumber: document.invoiceNo,
    customer: customerCard(context.customer),
  });
  if (!documents.ready || !documents.pdf || !documents.ehfXml) {
    refuseInvoice(document, doing, `its documents no longer pass the rules (${documents.failures.map((f) => f.ruleId).join(', ')})`);
  }
  if (documents.kid !== kid) refuseInvoice(document, doing, 'the KID changed since the invoice was assessed (KID settings changed?)');
  return { context, ehfXml: documents.ehfXml, pdf: { fileName: `${document.invoiceNo}.pdf`, base64: documents.pdf.toString('base64') } };
}
