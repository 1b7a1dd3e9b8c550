import { ClientDocumentRefused, OUTGOING_EHF, type XmlReading } from '../client-document';
import type { BillingDocument } from '../model';
import { readBillingDocument } from '../parse-ubl';
import { parseXml, UblParseError } from '../xml-reader';
import { documentRules } from './document-rules';
import { factoringRules, type FactoringExpectations } from './factoring-rules';
import { lineRules } from './line-rules';
import { partyRules } from './party-rules';
import { paymentRules } from './payment-rules';
import { fatal, type RuleFailure } from './rule';
import { totalRules } from './total-rules';
import { vatRules } from './vat-rules';
import { xmlRules } from './xml-rules';

export type { FactoringExpectations } from './factoring-rules';
export { describeFailure, isFatal, type RuleFailure } from './rule';

export interface DocumentCheck {
  /** The document as read back from the XML; absent when it could not be read at all. */
  document?: BillingDocument;
  failures: RuleFailure[];
}

/**
 * Checks a UBL document as it will be sent: the XML text itself, read back through the parser,
 * against the official rules implemented here and, for outgoing documents, Factoring Finans' own.
 */
export function checkBillingDocumentXml(xml: string, expectations?: FactoringExpectations, reading: XmlReading = OUTGOING_EHF): DocumentCheck {
  let parsed: ReturnType<typeof parseXml>;
  let document: BillingDocument;
  try {
    parsed = parseXml(xml, reading);
    document = readBillingDocument(parsed);
  } catch (error) {
    if (error instanceof UblParseError || error instanceof ClientDocumentRefused) return { failures: [fatal(error.ruleId, error.message)] };
    throw error;
  }
  return { document, failures: [...xmlRules(parsed, document.currency), ...checkBillingDocument(document, expectations)] };
}

/** The rules on the typed model: identity, parties, payment, lines, VAT and totals. */
export function checkBillingDocument(document: BillingDocument, expectations?: FactoringExpectations): RuleFailure[] {
  return [
    ...documentRules(document),
    ...partyRules(document),
    ...paymentRules(document),
    ...lineRules(document),
    ...vatRules(document),
    ...totalRules(document),
    ...(expectations ? factoringRules(document, expectations) : []),
  ];
}
