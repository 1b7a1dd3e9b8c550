import { documentsOfPage, type UnreadableInvoice } from '../activities/fetch-available-invoices';
import { documentRefusal } from '../activities/failures';
import { decideAssessment, EHF_RULE_REASON } from '../activities/invoice/assess-invoice';
import { kidSchemeOf, type InvoiceContext } from '../activities/invoice/invoice-context';
import { ExternalServiceError } from '../adapters/external-service-error';
import type { PeppolDirectory } from '../adapters/peppol-directory/directory-client';
import type { PowerOfficeV1Port } from '../adapters/poweroffice/v1-client';
import type { PowerOfficeV2Port } from '../adapters/poweroffice/v2-client';
import type { Customer } from '../adapters/poweroffice/v2-schemas';
import type { OpeningWaitConfig } from '../config/config';
import type { FactoringFinansSettings } from '../documents/settings';
import type { Channel } from '../domain/channel';
import type { StoredClientSettings } from '../domain/client-settings';
import type { DocumentType, FactoringDocument } from '../domain/invoice';
import type { Ore } from '../domain/money';
import { isValidOrganisationNumber } from '../domain/organisation-number';
import { cardProblems, organisationNumberOf, PROBLEM_KINDS, type DryRunProblem, type ProblemKind } from './dry-run-findings';
import { Refusal } from './command-line';

/**
 * Only the reading calls of PowerOffice GO: the types leave the dry run no way to book, send or
 * write back (markDelivered, updateStatus and the vouchers are not in reach).
 */
export interface DryRunSources {
  v1: Pick<PowerOfficeV1Port, 'availableInvoices' | 'invoiceEhf'>;
  v2: Pick<PowerOfficeV2Port, 'customersByNumber'>;
  peppol: PeppolDirectory;
  factoringFinans: FactoringFinansSettings;
  openingWait: OpeningWaitConfig;
}

export type DryRunOutcome = 'would-send' | 'would-reject' | 'would-fail';

export interface DryRunInvoice {
  invoiceNo: number;
  customerNo?: number;
  documentType: DocumentType;
  amountOre: Ore;
  /** YYYY-MM-DD, as PowerOffice GO gives it. */
  dueDate?: string;
  outcome: DryRunOutcome;
  /** Set when it would be sent. */
  channel?: Channel;
  /** The assessment's own words: the channel's reason, or why it would not go out. */
  why: string;
  problems: DryRunProblem[];
  /** EHF rules that would only warn (the invoice still goes out). */
  warnings: string[];
}

export interface DryRunReport {
  clientId: string;
  clientStatus: StoredClientSettings['status'];
  /** ISO 8601: when PowerOffice GO was read. */
  checkedAt: string;
  invoices: DryRunInvoice[];
  /** Every problem of every invoice, in invoice order. */
  problems: DryRunProblem[];
  /** Problems per kind, kinds without any left out, in PROBLEM_KINDS order. */
  summary: { kind: ProblemKind; count: number }[];
  /** Invoices per channel they would get, and those that would be rejected or fail. */
  outcomes: Partial<Record<Channel | 'rejected' | 'failed' | 'unreadable', number>>;
}

/** As the batch pages (workflows/batch-workflow.ts DEFAULT_PAGE_SIZE): one customer-card request per page. */
export const DRY_RUN_PAGE_SIZE = 100;

export interface DryRunProgress {
  page(pageNo: number, fetched: number, soFar: number, total: number): void;
}

/**
 * Reads the client's available invoices page by page and its customer cards per page, the EHF of
 * each invoice, and decides each as the assessment would (decideAssessment), adding what the
 * assessment does not stop at: every card problem, not only the first reason, and customers with
 * an organisation number that PEPPOL does not know.
 */
export async function dryRun(sources: DryRunSources, clientId: string, settings: StoredClientSettings, progress: DryRunProgress, now = new Date()): Promise<DryRunReport> {
  const kidScheme = kidSchemeOrRefuse(clientId, settings);
  const invoices: DryRunInvoice[] = [];
  const unreadable: UnreadableInvoice[] = [];
  let afterInvoiceNo: number | undefined;
  for (let pageNo = 1; ; pageNo += 1) {
    const listed = await sources.v1.availableInvoices({ ...(afterInvoiceNo !== undefined ? { afterInvoiceNo } : {}), top: DRY_RUN_PAGE_SIZE });
    // As the batch reads a page (fetch-available-invoices.ts): the same records set apart, the same cursor.
    const page = documentsOfPage(clientId, listed);
    const cards = await customerCardsOf(sources, page.documents);
    for (const document of page.documents) {
      invoices.push(withoutRepeats(await checkInvoice(sources, document, { settings, kidScheme, customer: document.customerCode !== undefined ? cards.get(document.customerCode) : undefined })));
    }
    unreadable.push(...(page.unreadable ?? []));
    progress.page(pageNo, listed.records, invoices.length + unreadable.length, listed.total + invoices.length + unreadable.length - listed.records);
    if (page.nextAfterInvoiceNo === undefined) break;
    afterInvoiceNo = page.nextAfterInvoiceNo;
  }
  const problems = [
    ...invoices.flatMap((invoice) => invoice.problems),
    ...unreadable.map(({ invoiceNo, reason }): DryRunProblem => ({
      ...(invoiceNo !== undefined ? { invoiceNo } : {}),
      kind: 'invoice-unreadable',
      problem: `${invoiceNo !== undefined ? `invoice ${invoiceNo}` : 'an invoice without a number'}: ${reason}`,
    })),
  ];
  return {
    clientId,
    clientStatus: settings.status,
    checkedAt: now.toISOString(),
    invoices,
    problems,
    summary: PROBLEM_KINDS.map((kind) => ({ kind, count: problems.filter((p) => p.kind === kind).length })).filter((line) => line.count > 0),
    outcomes: { ...countOutcomes(invoices), ...(unreadable.length > 0 ? { unreadable: unreadable.length } : {}) },
  };
}

/** A rule that fails at two places of the EHF (the buyer's endpoint and its legal id) is one thing for the client to fix. */
function withoutRepeats(invoice: DryRunInvoice): DryRunInvoice {
  const seen = new Set<string>();
  const problems = invoice.problems.filter((p) => {
    const key = `${p.kind}\n${p.field ?? ''}\n${p.problem}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { ...invoice, problems };
}

function kidSchemeOrRefuse(clientId: string, settings: StoredClientSettings) {
  try {
    return kidSchemeOf(settings);
  } catch (err) {
    throw new Refusal(`Client ${clientId}'s KID settings are not usable (${err instanceof Error ? err.message : String(err)}); fix them with npm run -s onboard.`);
  }
}

async function customerCardsOf(sources: DryRunSources, documents: FactoringDocument[]): Promise<Map<number, Customer>> {
  const customerNos = [...new Set(documents.flatMap((d) => (d.customerCode !== undefined ? [d.customerCode] : [])))];
  const found = customerNos.length > 0 ? await readOrRefuse(() => sources.v2.customersByNumber(customerNos)) : [];
  return new Map(found.flatMap((customer) => (customer.number != null && customerNos.includes(customer.number) ? [[customer.number, customer] as const] : [])));
}

async function checkInvoice(
  sources: DryRunSources,
  document: FactoringDocument,
  known: { settings: StoredClientSettings; kidScheme: InvoiceContext['kidScheme']; customer: Customer | undefined },
): Promise<DryRunInvoice> {
  const { customer } = known;
  const at = { invoiceNo: document.invoiceNo, ...(document.customerCode !== undefined ? { customerNo: document.customerCode } : {}) };
  const line = {
    ...at,
    documentType: document.documentType,
    amountOre: document.totalAmountOre,
    ...(document.dueDate !== undefined ? { dueDate: document.dueDate } : {}),
  };
  const problems = [...cardProblems(document.invoiceNo, document.customerCode, customer), ...(await peppolProblems(sources, document, customer))];

  let clientXml: string;
  try {
    clientXml = await readOrRefuse(() => sources.v1.invoiceEhf(document.invoiceId));
  } catch (err) {
    if (!(err instanceof ExternalServiceError)) throw err;
    // PowerOffice GO refused this one invoice's EHF (not a passing fault): the invoice would fail the same way.
    const why = `its EHF could not be read from PowerOffice GO (${err.message})`;
    return { ...line, outcome: 'would-fail', why, problems: [...problems, { ...at, kind: 'ehf-unreadable', problem: `invoice ${document.invoiceNo}: ${why}` }], warnings: [] };
  }

  const context: InvoiceContext = { settings: known.settings, clientXml, kidScheme: known.kidScheme, ...(customer ? { customer } : {}) };
  try {
    const assessment = await decideAssessment({
      document,
      context,
      factoringFinans: sources.factoringFinans,
      openingWait: sources.openingWait,
      canReceiveEhf: (organisationNumber, documentType) => readOrRefuse(() => sources.peppol.canReceive(organisationNumber, documentType)),
    });
    if (assessment.outcome === 'ready') return { ...line, outcome: 'would-send', channel: assessment.channel, why: assessment.channelReason, problems, warnings: assessment.warnings };
    // The card's reasons are among the problems already, in more detail; the EHF's are added one per rule.
    const ruleProblems = assessment.reasons.flatMap((reason): DryRunProblem[] => {
      const rule = EHF_RULE_REASON.exec(reason);
      return rule ? [{ ...at, kind: 'ehf-rule', field: rule[1], problem: `invoice ${document.invoiceNo}: ${reason}` }] : [];
    });
    return { ...line, outcome: 'would-reject', why: [...new Set(assessment.reasons)].join('; '), problems: [...problems, ...ruleProblems], warnings: [] };
  } catch (err) {
    if (err instanceof Refusal) throw err;
    const refusal = documentRefusal(err);
    if (refusal !== undefined) {
      const why = `the client's EHF was refused: ${refusal}`;
      return { ...line, outcome: 'would-reject', why, problems: [...problems, { ...at, kind: 'ehf-refused', problem: `invoice ${document.invoiceNo}: ${why}` }], warnings: [] };
    }
    const why = `the service would fail on it: ${err instanceof Error ? err.message : String(err)}`;
    return { ...line, outcome: 'would-fail', why, problems: [...problems, { ...at, kind: 'technical', problem: `invoice ${document.invoiceNo}: ${why}` }], warnings: [] };
  }
}

/**
 * A customer with a valid organisation number that the PEPPOL Directory does not list for this
 * document type gets no EHF: often a registration the customer has not made, or made under
 * another number. Asked for every such invoice, not only those the assessment would send (the
 * Directory client caches, so one question per customer).
 */
async function peppolProblems(sources: DryRunSources, document: FactoringDocument, customer: Customer | undefined): Promise<DryRunProblem[]> {
  const organisationNumber = organisationNumberOf(customer);
  if (organisationNumber === undefined || !isValidOrganisationNumber(organisationNumber) || document.customerCode === undefined) return [];
  if (await readOrRefuse(() => sources.peppol.canReceive(organisationNumber, document.documentType))) return [];
  const what = document.documentType === 'CreditNote' ? 'credit notes' : 'invoices';
  return [
    {
      invoiceNo: document.invoiceNo,
      customerNo: document.customerCode,
      kind: 'not-in-peppol',
      field: 'OrganizationNumber',
      problem: `customer ${document.customerCode} has an organisation number but is not registered in PEPPOL for EHF ${what}`,
    },
  ];
}

/**
 * A read that could not be made (no answer, 429 or 5xx after the adapter's own tries) stops the
 * dry run with a refusal: a list with holes in it would be sent to the client as if complete.
 * A definite refusal of one request (a 4xx) is left to the caller.
 */
async function readOrRefuse<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof ExternalServiceError && err.retryable) throw new Refusal(`${err.message}. Nothing was booked, sent or written; run the dry run again later.`);
    throw err;
  }
}

function countOutcomes(invoices: DryRunInvoice[]): DryRunReport['outcomes'] {
  const outcomes: DryRunReport['outcomes'] = {};
  for (const invoice of invoices) {
    const key = invoice.outcome === 'would-send' ? invoice.channel! : invoice.outcome === 'would-reject' ? 'rejected' : 'failed';
    outcomes[key] = (outcomes[key] ?? 0) + 1;
  }
  return outcomes;
}
