import { createHash } from 'node:crypto';
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
  /**
   * The fingerprint (ehfFingerprint) of the outgoing EHF the assessment checked: a document built
   * now with the same bytes is not checked again; any other bytes are checked in full.
   */
  checkedFingerprint?: string;
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

/** The outgoing EHF, with its fingerprint whenever it could be built. */
export interface OutgoingEhfDocument extends OutgoingDocument {
  fingerprint?: string;
}

/**
 * The fingerprint of an outgoing EHF: SHA-256, in hex, of its exact bytes as sent (UTF-8). The
 * assessment records it for the EHF it checked, so the send, which must rebuild the document (the
 * XML is kept out of workflow history: its size, and customer data in clear), can tell that it
 * rebuilt the very bytes that already passed the rules. It reveals nothing of the invoice.
 */
export function ehfFingerprint(xml: string): string {
  return createHash('sha256').update(xml, 'utf8').digest('hex');
}

/**
 * The outgoing EHF with Factoring Finans as payee and its KID, checked by every rule that decides
 * whether the invoice may go out, unless these exact bytes passed them before (checkedFingerprint);
 * no PDF (an EHF send carries none; outgoing.document, or the XML read back when the check was
 * skipped, is what a PDF is drawn from, renderInvoicePdfWithWarnings).
 */
export function prepareOutgoingEhf(request: InvoiceDocumentsRequest): OutgoingEhfDocument {
  const checked = request.checkedFingerprint;
  const outgoing = prepareOutgoingDocument({
    clientXml: request.clientXml,
    payee: payeeDetails(request.settings),
    kidScheme: request.kidScheme,
    invoiceNumber: request.invoiceNumber,
    previewKid: request.previewKid,
    customer: request.customer,
    ...(checked !== undefined ? { passedBefore: (xml: string) => ehfFingerprint(xml) === checked } : {}),
  });
  // Hashed again when the check was skipped: a few hundredths of a millisecond, against a closure
  // that would smuggle the first hash out.
  return outgoing.xml !== undefined ? { ...outgoing, fingerprint: ehfFingerprint(outgoing.xml) } : outgoing;
}

/** What the end customer receives for one client invoice: the outgoing EHF, the PDF, the KID. */
export async function prepareInvoiceDocuments(request: InvoiceDocumentsRequest): Promise<InvoiceDocuments> {
  const outgoing = prepareOutgoingEhf(request);
  // A rejected document still gets its PDF when it could be built, so an operator can see why.
  const rendered = outgoing.document ? await renderInvoicePdfWithWarnings(outgoing.document, request.settings) : undefined;
  return { ready: outgoing.ready, kid: outgoing.kid, ehfXml: outgoing.xml, pdf: rendered?.pdf, failures: [...outgoing.failures, ...(rendered?.warnings ?? [])] };
}
