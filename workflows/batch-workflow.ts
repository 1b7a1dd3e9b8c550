import {
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  ParentClosePolicy,
  patched,
  setCurrentDetails,
  setHandler,
  startChild,
  workflowInfo,
  WorkflowIdReusePolicy,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { FactoringDocument } from '../domain/invoice';
import { CLIENT_ID_RULE, guidInvoiceWorkflowId, invoiceWorkflowId, isClientId } from '../domain/workflow-ids';
import type { SealedCustomerCard } from '../activities/poweroffice-calls';
import type { UnreadableInvoice } from '../activities/fetch-available-invoices';
import { powerOfficeReads, powerOfficeV1BatchReads, powerOfficeV2BatchReads } from './activity-policies';
import { INVOICE_STEPS_REVISION, invoiceWorkflow, POWEROFFICE_TASK_QUEUES } from './invoice-workflow';
import { isPowerOfficeStepMoved } from './poweroffice-queues';
import {
  batchProgressQuery,
  invoiceAssessedSignal,
  MAX_REJECTIONS_LISTED,
  reassessSignal,
  type BatchProgress,
  type ClientBatchCounts,
  type InvoiceAssessed,
} from './messages';
import { ClientId, DistributionState, DocumentType, InvoiceId, InvoiceNo } from './search-attributes';
import { batchCurrentDetails, invoiceStaticDetails, invoiceStaticSummary } from './summaries';
import { refuseOnNonWorkingDay } from './working-day';

export interface BatchWorkflowInput {
  /** Run even on a weekend or public holiday (an operator's explicit decision). */
  force?: boolean;
  /** Invoices fetched per PowerOffice call and started together. */
  pageSize?: number;
  /**
   * Children started before this run continues as new. Abandoned children stay "pending" in the
   * parent until they close (temporal.md §2.5, limit 2,000), and each start adds history events.
   */
  maxStartsPerRun?: number;
  /** History bytes after which a run continues as new (MAX_HISTORY_BYTES_PER_RUN unless a test asks for less). */
  maxHistoryBytesPerRun?: number;
  /** History events after which a run continues as new (MAX_HISTORY_EVENTS_PER_RUN unless a test asks for less). */
  maxHistoryEventsPerRun?: number;
  /** Carried across continue-as-new: the client list of the first run and the counts so far. */
  clientIds?: string[];
  progress?: BatchProgress;
}

const DEFAULT_PAGE_SIZE = 100;
const DEFAULT_MAX_STARTS_PER_RUN = 1000;

/**
 * A run continues as new once its history passes this: one more page (its activity result and a
 * hundred child starts, about 250 KB) then still leaves it under 2 MB, and while the batch waits for
 * its invoices' reports, ten thousand of them never pile up in one run (issue 11: "a batch that
 * stays small"). Far below Temporal's own 50 MB limit, whose warnings start at 10 MB.
 */
const MAX_HISTORY_BYTES_PER_RUN = 1_500_000;

/**
 * A run continues as new once its history has this many events, because of what a continue-as-new
 * costs when an invoice's report arrives while it is being decided (it always may: the invoices
 * report by signal): the server refuses the task (UNHANDLED_COMMAND), the worker drops the batch
 * from its cache, and the next task replays the whole run. Replaying took 0.6-0.85 ms per event
 * (bench, 1,500 invoices: runs of 3,200 events 1.9-2.1 s, of 1,148 events 0.98 s): checked after
 * each page, a run stops at this plus at most one page (about 350 events: a start, its start and
 * its report per invoice), about 950 events, which replays well within issue 11's 1 s per task.
 */
const MAX_HISTORY_EVENTS_PER_RUN = 600;

/** Patch id: batches that were running before the event bound replay as they ran. */
const RUNS_BOUNDED_BY_EVENTS = 'batch-runs-bounded-by-events';
/**
 * Patch id: an invoice whose workflow already runs is asked to assess itself again (a Rejected
 * invoice of steps revision 6 waits for exactly that) and answers this batch, which counts it.
 */
const REJECTED_INVOICES_REASSESSED = 'rejected-invoices-reassessed';

/**
 * Patch id: invoices are started as `invoice-<clientId>-<invoiceNo>` (`credit-note-…` for credit
 * notes), their GUID in the search attribute InvoiceId, no longer as `invoice-<clientId>-<GUID>`.
 *
 * The workflow id is what makes a send happen once: the server refuses a second workflow under it.
 * An invoice started under its GUID id before the upgrade is still available in PowerOffice GO until
 * the 15:30 write-back, and one waiting for its opening runs for days; started again under its
 * number, it would be distributed twice. So for each page the batch first asks visibility which of
 * its invoices have a workflow under their GUID id (running or closed, invoicesUnderGuidIds), and
 * starts those under that id again, exactly as before the upgrade: the server still refuses a second
 * one while it runs or once it completed, and lets a Rejected or Failed one be tried again. Every
 * other invoice gets its number id. Visibility lags a second or so behind a start, which cannot
 * matter here: no invoice gets a GUID id for the first time after the upgrade, so every one was
 * started (and is visible) before the page asks. Batches recorded before replay as they ran.
 */
export const INVOICE_IDS_BY_NUMBER = 'invoice-ids-by-number';

function historyFull(maxBytes: number, maxEvents: number): boolean {
  const info = workflowInfo();
  return info.historySize > maxBytes || info.historyLength > maxEvents || info.continueAsNewSuggested;
}

/**
 * How long the batch waits at the end for its invoices to report how they were assessed. Every end
 * of an invoice reports (assessed, rejected, failed), so only an invoice still being tried (an
 * outside system down) keeps the batch waiting this long.
 */
const ASSESSMENT_WAIT_MS = 60 * 60_000;

function emptyCounts(): ClientBatchCounts {
  return { started: 0, alreadyStarted: 0, byDocumentType: { Invoice: 0, CreditNote: 0 }, byChannel: {}, rejected: 0, failed: 0 };
}

/** Invoices PowerOffice GO listed that could not be read: they have no workflow, so the batch is where an operator sees them. */
function recordUnreadable(progress: BatchProgress, counts: ClientBatchCounts, clientId: string, unreadable: UnreadableInvoice[]): void {
  if (unreadable.length === 0) return;
  counts.unreadable = (counts.unreadable ?? 0) + unreadable.length;
  const listed = (progress.unreadable ??= []);
  for (const invoice of unreadable) if (listed.length < MAX_REJECTIONS_LISTED) listed.push({ clientId, ...invoice });
}

/** An invoice's report: its assessment (channel or rejection), or that it failed, before or after that. */
function recordAssessment(progress: BatchProgress, report: InvoiceAssessed): void {
  const counts = (progress.clients[report.clientId] ??= emptyCounts());
  if (report.reassessed) {
    // The answer to this batch's reassess request: not one of the invoices it started.
    progress.reassessAnswered = (progress.reassessAnswered ?? 0) + 1;
    if (report.notRejected) return;
    counts.reassessed = (counts.reassessed ?? 0) + 1;
  } else if (!report.followUp) {
    // A follow-up (failed after it was assessed) is the same invoice again: it ended, it was counted.
    progress.assessed += 1;
  }
  if (report.failedReason !== undefined) {
    counts.failed = (counts.failed ?? 0) + 1;
    const failed = (progress.failed ??= []);
    if (failed.length < MAX_REJECTIONS_LISTED) failed.push({ clientId: report.clientId, invoiceNo: report.invoiceNo, reason: report.failedReason });
  } else if (report.rejectedReasons) {
    counts.rejected += 1;
    if (progress.rejected.length < MAX_REJECTIONS_LISTED) progress.rejected.push({ clientId: report.clientId, invoiceNo: report.invoiceNo, reasons: report.rejectedReasons });
  } else if (report.channel) {
    counts.byChannel[report.channel] = (counts.byChannel[report.channel] ?? 0) + 1;
  }
}

function totalStarted(progress: BatchProgress): number {
  return Object.values(progress.clients).reduce((sum, c) => sum + c.started, 0);
}

/**
 * Starts the invoice's own workflow under `workflowId`; false when one with that id already exists.
 * `byNumber`: started since INVOICE_IDS_BY_NUMBER, so it carries its GUID as a search attribute.
 */
async function startInvoiceWorkflow(document: FactoringDocument, customerCard: SealedCustomerCard | undefined, workflowId: string, byNumber: boolean): Promise<boolean> {
  try {
    await startChild(invoiceWorkflow, {
      workflowId,
      args: [{ document, stepsRevision: INVOICE_STEPS_REVISION, ...(customerCard ? { customerCard } : {}) }],
      // The invoice outlives the batch: it may wait days for "opened".
      parentClosePolicy: ParentClosePolicy.ABANDON,
      // A failed invoice may be picked up again by the next batch; a finished one never.
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
      // User metadata, not compared on replay: batches recorded with the older summary replay as well.
      staticSummary: invoiceStaticSummary(document),
      staticDetails: invoiceStaticDetails(document, `batch ${workflowInfo().workflowId}`),
      typedSearchAttributes: [
        { key: ClientId, value: document.clientId },
        { key: InvoiceNo, value: document.invoiceNo },
        ...(byNumber ? [{ key: InvoiceId, value: document.invoiceId }] : []),
        { key: DocumentType, value: document.documentType },
        { key: DistributionState, value: 'Fetched' },
      ],
    });
    return true;
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return false;
    throw err;
  }
}

/** Asks a running invoice to assess itself again; false when its workflow has closed (nothing will answer). */
async function askToReassess(workflowId: string): Promise<boolean> {
  try {
    await getExternalWorkflowHandle(workflowId).signal(reassessSignal, { requestedBy: workflowInfo().workflowId });
    return true;
  } catch {
    return false;
  }
}

/** Each invoice's workflow id: its number, unless it already runs (or ran) under its GUID (INVOICE_IDS_BY_NUMBER). */
async function workflowIdsOf(clientId: string, documents: FactoringDocument[], byNumber: boolean): Promise<(document: FactoringDocument) => string> {
  if (!byNumber) return (document) => guidInvoiceWorkflowId(document.clientId, document.invoiceId);
  const underGuid = new Set(documents.length > 0 ? await powerOfficeReads.invoicesUnderGuidIds({ clientId, invoiceIds: documents.map((d) => d.invoiceId) }) : []);
  return (document) => (underGuid.has(document.invoiceId) ? guidInvoiceWorkflowId(document.clientId, document.invoiceId) : invoiceWorkflowId(document));
}

/**
 * The customer cards of a page's invoices, in one v2 request for the page (v2 allows 10 requests a
 * second for all clients together: one per invoice would bound a batch at 10 invoices a second).
 * Each invoice gets its own card in its input, sealed; an invoice without a customer number gets
 * "no card", as the invoice itself would have found.
 */
async function customerCardsOf(clientId: string, documents: FactoringDocument[]): Promise<(document: FactoringDocument) => SealedCustomerCard> {
  const customerNos = [...new Set(documents.flatMap((d) => (d.customerCode !== undefined ? [d.customerCode] : [])))];
  const { cards } = customerNos.length > 0 ? await powerOfficeV2BatchReads().readCustomerCards({ clientId, customerNos }) : { cards: [] };
  const byNumber = new Map(cards.map((c) => [c.customerNo, c.card]));
  return (document) => ({ card: document.customerCode !== undefined ? (byNumber.get(document.customerCode) ?? null) : null });
}

/** A manual trigger on 17 May must not send invoices by mistake; the schedules skip those days. */
/**
 * Fetches every active client's available invoices page by page and starts one workflow per
 * invoice. Continues as new with a cursor so 10,000+ invoices never hit Temporal's limits.
 */
export async function batchWorkflow(input: BatchWorkflowInput = {}): Promise<BatchProgress> {
  if (!input.force && !input.progress) refuseOnNonWorkingDay('no invoices were fetched', 'batch');
  const pageSize = input.pageSize ?? DEFAULT_PAGE_SIZE;
  const maxStartsPerRun = input.maxStartsPerRun ?? DEFAULT_MAX_STARTS_PER_RUN;
  const maxHistoryBytesPerRun = input.maxHistoryBytesPerRun ?? MAX_HISTORY_BYTES_PER_RUN;
  const maxHistoryEventsPerRun = patched(RUNS_BOUNDED_BY_EVENTS) ? (input.maxHistoryEventsPerRun ?? MAX_HISTORY_EVENTS_PER_RUN) : Infinity;
  const full = () => historyFull(maxHistoryBytesPerRun, maxHistoryEventsPerRun);
  const clientIds = input.clientIds ?? (await powerOfficeReads.listActiveClients());
  const progress: BatchProgress = input.progress
    ? { ...input.progress, runsSoFar: input.progress.runsSoFar + 1 }
    : { clients: {}, rejected: [], failed: [], assessed: 0, cursor: { clientIndex: 0 }, runsSoFar: 1, done: false };
  // What a continued run needs; the default history bound is not carried, so a new release's applies.
  const continued = (): BatchWorkflowInput => ({
    pageSize,
    maxStartsPerRun,
    ...(input.maxHistoryBytesPerRun !== undefined ? { maxHistoryBytesPerRun } : {}),
    ...(input.maxHistoryEventsPerRun !== undefined ? { maxHistoryEventsPerRun: input.maxHistoryEventsPerRun } : {}),
    clientIds,
    progress,
  });
  setHandler(batchProgressQuery, () => progress);
  // Current details need no command: what the Web UI shows moves with the counts, replay is unchanged.
  const showProgress = () => setCurrentDetails(batchCurrentDetails(progress, clientIds.length));
  setHandler(invoiceAssessedSignal, (report) => {
    recordAssessment(progress, report);
    showProgress();
  });
  showProgress();

  let startsThisRun = 0;
  while (progress.cursor.clientIndex < clientIds.length) {
    const clientId = clientIds[progress.cursor.clientIndex]!;
    if (!isClientId(clientId)) {
      (progress.skippedClients ??= []).push({ clientId, reason: `client id "${clientId}" is not valid (${CLIENT_ID_RULE}), so no invoices were fetched; onboard the client under a valid id` });
      progress.cursor = { clientIndex: progress.cursor.clientIndex + 1 };
      continue;
    }
    const counts = (progress.clients[clientId] ??= emptyCounts());
    const pageInput = {
      clientId,
      pageSize,
      ...(progress.cursor.afterInvoiceNo !== undefined ? { afterInvoiceNo: progress.cursor.afterInvoiceNo } : {}),
    };
    // Batches recorded before the PowerOffice task queues replay as they ran (patched: false only then).
    const onPowerOfficeQueues = patched(POWEROFFICE_TASK_QUEUES);
    const page = onPowerOfficeQueues
      ? await powerOfficeV1BatchReads().fetchAvailableInvoicePage(pageInput)
      : await powerOfficeReads.fetchAvailableInvoicePage(pageInput).catch((err: unknown) => {
          // Scheduled on the main queue before the upgrade, which no longer calls PowerOffice: fetched on the v1 queue.
          if (isPowerOfficeStepMoved(err)) return powerOfficeV1BatchReads().fetchAvailableInvoicePage(pageInput);
          throw err;
        });
    recordUnreadable(progress, counts, clientId, page.unreadable ?? []);
    const cards = onPowerOfficeQueues ? await customerCardsOf(clientId, page.documents) : undefined;
    const byNumber = patched(INVOICE_IDS_BY_NUMBER);
    const idOf = await workflowIdsOf(clientId, page.documents, byNumber);
    const started = await Promise.all(page.documents.map((document) => startInvoiceWorkflow(document, cards?.(document), idOf(document), byNumber)));
    // The invoices already running: a Rejected one (still available, so maybe fixed) is assessed
    // again now and answers with its outcome; any other answers that it was not waiting.
    if (patched(REJECTED_INVOICES_REASSESSED)) {
      const running = page.documents.filter((_, i) => !started[i]);
      const asked = await Promise.all(running.map((document) => askToReassess(idOf(document))));
      progress.reassessAsked = (progress.reassessAsked ?? 0) + asked.filter(Boolean).length;
    }
    page.documents.forEach((document, i) => {
      if (started[i]) {
        counts.started += 1;
        counts.byDocumentType[document.documentType] += 1;
      } else {
        counts.alreadyStarted += 1;
      }
    });
    startsThisRun += page.documents.length;
    progress.cursor =
      page.nextAfterInvoiceNo !== undefined
        ? { clientIndex: progress.cursor.clientIndex, afterInvoiceNo: page.nextAfterInvoiceNo }
        : { clientIndex: progress.cursor.clientIndex + 1 };
    showProgress();

    const more = progress.cursor.clientIndex < clientIds.length;
    if (more && (startsThisRun + pageSize > maxStartsPerRun || full())) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof batchWorkflow>(continued());
    }
  }
  await waitForReports();
  if (progress.assessed < totalStarted(progress)) progress.unassessed = totalStarted(progress) - progress.assessed;
  progress.done = true;
  showProgress();
  return progress;

  /**
   * Every started invoice reports once, by signal; ten thousand reports would be the batch's
   * history, so a run that fills up continues as new and the next one goes on waiting (the wait's
   * start travels along, so continuing never extends the hour).
   */
  async function waitForReports(): Promise<void> {
    const waitingSince = (progress.waitingSince ??= new Date().toISOString());
    const left = Date.parse(waitingSince) + ASSESSMENT_WAIT_MS - Date.now();
    if (left <= 0) return;
    const allReported = () => progress.assessed >= totalStarted(progress) && (progress.reassessAnswered ?? 0) >= (progress.reassessAsked ?? 0);
    // Called even when all have reported: the same commands as runs recorded before this wait.
    await condition(() => allReported() || full(), left);
    if (allReported() || !full()) return;
    await condition(allHandlersFinished);
    await continueAsNew<typeof batchWorkflow>(continued());
  }
}
