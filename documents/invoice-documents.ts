import type { CustomerCard } from '../domain/ehf/factoring';
import { prepareOutgoingDocument, type OutgoingDocument } from '../domain/ehf/outgoing-document';
import type { RuleFailure } from '../domain/ehf/rules';
import type { KidScheme } from '../domain/kid';
import { renderInvoicePdfWithWarnings } from './pdf/invoice-pdf';
import { payeeDetails, type FactoringFinansSettings } from './settings';

export interface InvoiceDocumentsRequest {
  /** The client's invoice or credit note as EHF XML. */
  clientXml: string;
  settings: FactoringFinansSettings;
  kidScheme: KidScheme;
  /** PowerOffice's InvoiceNo; defaults to the document's cbc:ID when that is a number. */
  invoiceNumber?: number;
  /** `preview` only: see OutgoingDocumentRequest.previewKid. */
  previewKid?: boolean;
  customer?: CustomerCard;
}

export interface InvoiceDocuments {
  /** False when a fatal rule failed: the invoice must stay out of distribution (see failures). */
  ready: boolean;
  kid?: string;
  ehfXml?: string;
  pdf?: Buffer;
  /** The outgoing EHF's rule failures, then the PDF's warnings (FF-PDF-01: a character it cannot show). */
  failures: RuleFailure[];
}

/**
 * The outgoing EHF with Factoring Finans as payee and its KID, checked by every rule that decides
 * whether the invoice may go out; no PDF (an EHF send carries none; outgoing.document is what a
 * PDF is drawn from, renderInvoicePdfWithWarnings).
 */
export function prepareOutgoingEhf(request: InvoiceDocumentsRequest): OutgoingDocument {
  return prepareOutgoingDocument({
    clientXml: request.clientXml,
    payee: payeeDetails(request.settings),
    kidScheme: request.kidScheme,
    invoiceNumber: request.invoiceNumber,
    previewKid: request.previewKid,
    customer: request.customer,
  });
}

/** What the end customer receives for one client invoice: the outgoing EHF, the PDF, the KID. */
export async function prepareInvoiceDocuments(request: InvoiceDocumentsRequest): Promise<InvoiceDocuments> {
  const outgoing = prepareOutgoingEhf(request);
  // A rejected document still gets its PDF when it could be built, so an operator can see why.
  const rendered = outgoing.document ? await renderInvoicePdfWithWarnings(outgoing.document, request.settings) : undefined;
  return { ready: outgoing.ready, kid: outgoing.kid, ehfXml: outgoing.xml, pdf: rendered?.pdf, failures: [...outgoing.failures, ...(rendered?.warnings ?? [])] };
}
