import { prepareOutgoingEhf } from '../../documents/invoice-documents';
import { chooseChannel, type Channel } from '../../domain/channel';
import { isFatal, type RuleFailure } from '../../domain/ehf/rules';
import type { PeppolDirectory } from '../../adapters/peppol-directory/directory-client';
import type { OpeningWaitConfig } from '../../config/config';
import type { FactoringDocument } from '../../domain/invoice';
import { callOutside, classifiedFailure, documentRefusal } from '../failures';
import type { EncryptedSecret } from '../../domain/client-settings';
import type { SealedCustomerCard } from '../poweroffice-calls';
import type { FactoringFinansSettings } from '../../documents/settings';
import { customerCard, invoiceEmail, loadInvoiceContext, postalAddressOf, type HandedPowerOfficeData, type InvoiceContext, type InvoiceSources } from './invoice-context';

export interface AssessInvoiceInput {
  document: FactoringDocument;
  /** Read by the workflow on the PowerOffice task queues; absent in older histories (then read here). */
  handed?: HandedPowerOfficeData;
}

export type Assessment =
  | { outcome: 'rejected'; reasons: string[] }
  | {
      outcome: 'ready';
      kid: string;
      channel: Channel;
      channelReason: string;
      warnings: string[];
      issueDate: string;
      dueDate: string;
      /**
       * SHA-256 (hex) of the exact bytes of the outgoing EHF this assessment checked (ehfFingerprint,
       * documents/invoice-documents.ts): the send rebuilds the EHF, which stays out of history, and skips the rules
       * when it gets the same bytes. Absent in histories recorded before it was: the send checks in full.
       */
      ehfFingerprint?: string;
      /**
       * The deployment's wait for an e-mail with link to be opened, and for a late opening after the
       * letter (OPENING_WAIT_SECONDS, LATE_OPENING_WINDOW_SECONDS). Read here, so the workflow gets
       * them from its history, never from the worker's environment on replay. Absent in histories
       * recorded before they were settings: the workflow then keeps its 4 and 14 days.
       */
      openingWaitSeconds?: number;
      lateOpeningWindowSeconds?: number;
    };

type AssessmentSources = InvoiceSources & { peppol: PeppolDirectory; openingWait: OpeningWaitConfig };

/** An assessment made on the v1 queue: when ready, the EHF it read, sealed, for the steps after it. */
export type AssessmentWithEhf = Exclude<Assessment, { outcome: 'ready' }> | (Extract<Assessment, { outcome: 'ready' }> & { ehf: EncryptedSecret });

/**
 * The assessment as an activity of the PowerOffice v1 queue (steps revision 4): it reads the
 * client's EHF itself, its one PowerOffice request, so the invoice needs no activity of its own
 * for that read, and the EHF goes into history once, in this result, instead of in a read's result
 * and again in the assessment's input. A failed read fails the attempt as the read would have;
 * the queue's rate limit dispatches the retry.
 */
export function assessInvoiceReadingEhf(sources: AssessmentSources, /** The v1 queue's readInvoiceEhf: one request, sealed. */ readInvoiceEhf: (input: { clientId: string; invoiceId: string }) => Promise<EncryptedSecret>) {
  const assessHanded = assessInvoice(sources);
  return async function assessInvoiceReadingEhf({ document, customer }: { document: FactoringDocument; customer: SealedCustomerCard }): Promise<AssessmentWithEhf> {
    const ehf = await readInvoiceEhf({ clientId: document.clientId, invoiceId: document.invoiceId });
    const assessment = await assessHanded({ document, handed: { ehf, customer } });
    return assessment.outcome === 'ready' ? { ...assessment, ehf } : assessment;
  };
}

/**
 * Decides whether and how an invoice can go out, before anything is booked or sent: the data
 * quality (a postal address, MISSION.md §4), the outgoing EHF against the rules, the KID, and the
 * channel. What it returns goes into workflow history, so it carries no personal data: reasons
 * name customer numbers and rule ids, never names or addresses.
 */
export function assessInvoice(sources: AssessmentSources) {
  return async function assessInvoice({ document, handed }: AssessInvoiceInput): Promise<Assessment> {
    try {
      return await assess(sources, document, handed);
    } catch (err) {
      // One bad document must not be retried for a day while its batch waits: a refusal of the
      // client's document rejects the invoice with the reason; any other non-transient error
      // (a bug, a RangeError) fails it at once (classifiedFailure).
      const refusal = documentRefusal(err);
      if (refusal !== undefined) return { outcome: 'rejected', reasons: [`the client's EHF was refused: ${refusal}`] };
      throw classifiedFailure(err, `Assessing invoice ${document.invoiceNo} of client ${document.clientId}`);
    }
  };
}

async function assess(sources: AssessmentSources, document: FactoringDocument, handed: HandedPowerOfficeData | undefined): Promise<Assessment> {
  const context = await loadInvoiceContext(sources, document, handed);
  return decideAssessment({
    document,
    context,
    factoringFinans: sources.factoringFinans,
    openingWait: sources.openingWait,
    canReceiveEhf: (organisationNumber, documentType) => callOutside(() => sources.peppol.canReceive(organisationNumber, documentType)),
  });
}

/** A fatal EHF rule as a rejection reason; EHF_RULE_REASON reads the rule id back (the dry run counts them per rule). */
function ehfRuleReason(failure: RuleFailure): string {
  return `EHF rule ${failure.ruleId} failed: ${failure.message}`;
}
export const EHF_RULE_REASON = /^EHF rule (\S+) failed: /;

/** Everything an assessment decides from: the invoice, what PowerOffice GO holds of it, and the PEPPOL lookup. */
export interface AssessmentFacts {
  document: FactoringDocument;
  context: InvoiceContext;
  factoringFinans: FactoringFinansSettings;
  openingWait: OpeningWaitConfig;
  /** Asked only for an invoice that can go out and whose customer has an organisation number. */
  canReceiveEhf: PeppolDirectory['canReceive'];
}

/**
 * What would happen to the invoice, decided from facts already read: no booking, no send, no
 * write. The assessment activity and the dry run before go-live (client/dry-run.ts) both decide
 * here, so the dry run tells the client what the service would do, not an imitation of it.
 */
export async function decideAssessment({ document, context, factoringFinans, openingWait, canReceiveEhf }: AssessmentFacts): Promise<Assessment> {
  const reasons: string[] = [];
  if (!context.customer) reasons.push(`customer ${document.customerCode ?? '(none)'} was not found in PowerOffice GO`);
  else if (!postalAddressOf(context.customer)) reasons.push(`customer ${document.customerCode} has no complete postal address (street, postal code and city) in PowerOffice GO`);

  const outgoing = prepareOutgoingEhf({
    clientXml: context.clientXml,
    settings: factoringFinans,
    kidScheme: context.kidScheme,
    invoiceNumber: document.invoiceNo,
    customer: customerCard(context.customer),
  });
  const fatal = outgoing.failures.filter(isFatal);
  reasons.push(...fatal.map(ehfRuleReason));
  if (reasons.length > 0 || !outgoing.kid || !outgoing.document) return { outcome: 'rejected', reasons };

  const organisationNumber = context.customer?.organizationNumber?.replace(/\s/g, '');
  const receivesEhf = organisationNumber ? await canReceiveEhf(organisationNumber, document.documentType) : false;
  const override = document.customerCode !== undefined ? context.settings.channelOverrides[String(document.customerCode)] : undefined;
  const email = invoiceEmail(context.customer);
  const decision = chooseChannel({ receivesEhf, emailAlternative: context.settings.emailAlternative, ...(override ? { override } : {}), ...(email ? { email } : {}) });
  return {
    outcome: 'ready',
    kid: outgoing.kid,
    channel: decision.channel,
    channelReason: decision.reason,
    warnings: outgoing.failures.filter((f) => !isFatal(f)).map((f) => `${f.ruleId}: ${f.message}`),
    issueDate: outgoing.document.issueDate,
    // A credit note has no due date; the ledger books it on its issue date.
    dueDate: outgoing.document.dueDate ?? document.dueDate ?? outgoing.document.issueDate,
    ...(outgoing.fingerprint !== undefined ? { ehfFingerprint: outgoing.fingerprint } : {}),
    openingWaitSeconds: openingWait.openingWaitSeconds,
    lateOpeningWindowSeconds: openingWait.lateOpeningWindowSeconds,
  };
}
