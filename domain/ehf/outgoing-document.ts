import { generateKid, invoiceNumberForKid, KidError, type KidScheme } from '../kid';
import { buildBillingDocumentXml } from './build-ubl';
import { ClientDocumentRefused, OUTGOING_EHF } from './client-document';
import { assignmentNotice, toFactoredDocument, type CustomerCard, type PayeeDetails } from './factoring';
import type { BillingDocument } from './model';
import { readBillingDocument } from './parse-ubl';
import { checkBillingDocumentXml, isFatal, type RuleFailure } from './rules';
import { fatal, warning } from './rules/rule';
import { currencyRules } from './rules/xml-rules';
import { parseXml, UblParseError } from './xml-reader';

export interface OutgoingDocumentRequest {
  /** The client's invoice or credit note as EHF XML (PowerOffice `Factoring/InvoiceEhf/{id}`). */
  clientXml: string;
  payee: PayeeDetails;
  kidScheme: KidScheme;
  /** PowerOffice's InvoiceNo; when absent, the document's cbc:ID if it is all digits (domain/kid.ts). */
  invoiceNumber?: number;
  /**
   * `preview` only: without a number, a cbc:ID like "2026-0417" gives its digits, with a warning
   * (FF-KID-04); the service always passes PowerOffice GO's InvoiceNo instead.
   */
  previewKid?: boolean;
  customer?: CustomerCard;
  /**
   * True for the outgoing EHF's exact bytes when they already passed the rules (the assessment
   * checked them: documents/invoice-documents.ts compares their fingerprint). Those bytes are not
   * checked again (the rules would find what they found then); any others are checked in full.
   */
  passedBefore?: (xml: string) => boolean;
}

export interface OutgoingDocument {
  /** True when no fatal rule failed: the document may be distributed. */
  ready: boolean;
  kid?: string;
  /** The outgoing EHF, exactly as it is to be sent. */
  xml?: string;
  /**
   * The outgoing EHF read back; what the PDF shows. Absent when checkedBefore: reading it back is
   * most of a check's cost, and an EHF send has no use for it (readOutgoingDocument, for a PDF).
   */
  document?: BillingDocument;
  /** True when the rules were not run again: these exact bytes passed them (passedBefore). */
  checkedBefore?: boolean;
  /** Every rule that failed, fatal and warnings, with its official id (not the warnings of a check skipped). */
  failures: RuleFailure[];
}

/**
 * The outgoing EHF for one client invoice, checked before anything is sent. Problems come back as
 * rule failures, never as exceptions, so the invoice can be held back with the reason visible: a
 * client document over the limits (client-document.ts, FF-DOC-*) or unreadable (XML, UBL-XSD,
 * BR-*) gives one fatal failure with its sentence. Anything else thrown is a bug.
 */
export function prepareOutgoingDocument(request: OutgoingDocumentRequest): OutgoingDocument {
  try {
    return prepare(request);
  } catch (error) {
    if (error instanceof ClientDocumentRefused) return { ready: false, failures: [fatal(error.ruleId, error.message)] };
    if (error instanceof UblParseError) return { ready: false, failures: [fatal(error.ruleId, unreadable(error))] };
    throw error;
  }
}

/** One sentence: the XML errors already say what they are about, the UBL ones get the path. */
function unreadable(error: UblParseError): string {
  if (error.ruleId === 'XML') return `${error.detail}.`;
  return `The client's EHF cannot be read: ${error.detail} (${error.path}).`;
}

function prepare(request: OutgoingDocumentRequest): OutgoingDocument {
  const clientXml = parseXml(request.clientXml);
  const input = readBillingDocument(clientXml);
  const currencyFailures = currencyRules(clientXml, input.currency);
  if (currencyFailures.length > 0) return { ready: false, failures: currencyFailures };
  const issued = issueKid(request, input);
  if ('ruleId' in issued) return { ready: false, failures: [issued] };
  const { kid, notices } = issued;

  const xml = buildBillingDocumentXml(toFactoredDocument(input, { payee: request.payee, kid, customer: request.customer }));
  if (request.passedBefore?.(xml) === true) return { ready: true, kid, xml, checkedBefore: true, failures: notices };
  const check = checkBillingDocumentXml(xml, {
    payeeName: request.payee.name,
    payeeOrganisationNumber: request.payee.organisationNumber,
    payeeAccount: request.payee.bankAccount,
    kid,
    kidMethod: request.kidScheme.method,
    assignmentNotice: assignmentNotice(request.payee),
  });
  return { ready: !check.failures.some(isFatal), kid, xml, document: check.document, failures: [...notices, ...check.failures] };
}

/** An outgoing EHF read back, as a check reads it, for the PDF of a document whose check was skipped. */
export function readOutgoingDocument(xml: string): BillingDocument {
  return readBillingDocument(parseXml(xml, OUTGOING_EHF));
}

function issueKid(request: OutgoingDocumentRequest, input: BillingDocument): { kid: string; notices: RuleFailure[] } | RuleFailure {
  const number = invoiceNumberForKid(input.id, request.invoiceNumber, { preview: request.previewKid === true });
  if (!number.valid) return fatal('FF-KID-03', number.reason);
  const notices = number.derivedForPreview
    ? [
        warning(
          'FF-KID-04',
          `The invoice number "${input.id}" (cbc:ID) is not all digits; this preview built the KID from its digits, ${number.invoiceNumber}. ` +
            "The service builds it from PowerOffice GO's InvoiceNo, a number unique per client; give that number with --invoice-no N to see the real KID.",
        ),
      ]
    : [];
  try {
    return { kid: generateKid(request.kidScheme, number.invoiceNumber), notices };
  } catch (error) {
    if (error instanceof KidError) return fatal('FF-KID-03', `No KID can be built: ${error.message}.`);
    throw error;
  }
}
