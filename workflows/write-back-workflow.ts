import { allHandlersFinished, condition, continueAsNew, getExternalWorkflowHandle, setCurrentDetails, setHandler, workflowInfo } from '@temporalio/workflow';
import type { InvoiceAwaitingWriteBack } from '../client/invoice-registry';
import { powerOfficeReads } from './activity-policies';
import {
  invoiceWriteBackOutcomeSignal,
  writeBackProgressQuery,
  writeBackRequestedSignal,
  type ClientWriteBackCounts,
  type InvoiceWriteBackOutcome,
  type WriteBackProgress,
} from './messages';
import { writeBackCurrentDetails } from './summaries';
import { refuseOnNonWorkingDay } from './working-day';

export interface WriteBackWorkflowInput {
  /** Run even on a weekend or public holiday (an operator's explicit decision). */
  force?: boolean;
  /** Only these clients (an admin's rerun); otherwise every active client. */
  clientIds?: string[];
  /** Invoices asked together, then waited for. */
  chunkSize?: number;
  /** Invoices asked before this run continues as new (each costs three history events). */
  maxRequestsPerRun?: number;
  /** Carried across continue-as-new. */
  progress?: WriteBackProgress;
  after?: InvoiceAwaitingWriteBack;
}

const DEFAULT_CHUNK_SIZE = 200;
const DEFAULT_MAX_REQUESTS_PER_RUN = 1000;
/** As long as an invoice's own write-back may take (its activity's schedule-to-close time). */
const ANSWER_WAIT = '1 hour';
const MAX_FAILURES_LISTED = 200;

function countsOf(progress: WriteBackProgress, clientId: string): ClientWriteBackCounts {
  return (progress.clients[clientId] ??= { writtenBack: 0, upToDate: 0, failed: 0 });
}

function record(progress: WriteBackProgress, answer: InvoiceWriteBackOutcome): void {
  const counts = countsOf(progress, answer.clientId);
  if (answer.outcome === 'written-back') counts.writtenBack += 1;
  else if (answer.outcome === 'up-to-date') counts.upToDate += 1;
  else {
    counts.failed += 1;
    if (progress.failures.length < MAX_FAILURES_LISTED) progress.failures.push({ clientId: answer.clientId, invoiceNo: answer.invoiceNo, reason: answer.reason ?? 'no reason given' });
  }
}

/**
 * The 15:30 write-back: for every active client, every invoice workflow whose sends PowerOffice GO
 * does not know yet (WriteBack Pending or Failed) is asked to report itself, and the run collects
 * the answers. The invoice does the writing (it holds document, KID and sends) and guards it
 * against doing it twice; this run only decides who is due and reports the totals.
 */
export async function writeBackWorkflow(input: WriteBackWorkflowInput = {}): Promise<WriteBackProgress> {
  if (!input.force && !input.progress) refuseOnNonWorkingDay('nothing was written back', 'write-back');
  const chunkSize = input.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const maxRequestsPerRun = input.maxRequestsPerRun ?? DEFAULT_MAX_REQUESTS_PER_RUN;
  const clientIds = input.clientIds ?? (await powerOfficeReads.listActiveClients());
  const progress: WriteBackProgress = input.progress
    ? { ...input.progress, runsSoFar: input.progress.runsSoFar + 1 }
    : { clients: {}, failures: [], unanswered: 0, cursor: { clientIndex: 0 }, runsSoFar: 1, done: false };
  const waitingFor = new Set<string>();
  const keyOf = (clientId: string, invoiceNo: number) => `${clientId}:${invoiceNo}`;
  setHandler(writeBackProgressQuery, () => progress);
  // No command: the Web UI's current details follow the counts without changing what replays.
  const showProgress = () => setCurrentDetails(writeBackCurrentDetails(progress, clientIds.length));
  setHandler(invoiceWriteBackOutcomeSignal, (answer) => {
    // An answer to an earlier run (after continue-as-new or a timeout) was counted there as unanswered.
    if (waitingFor.delete(keyOf(answer.clientId, answer.invoiceNo))) record(progress, answer);
    showProgress();
  });
  showProgress();

  let after = input.after;
  let requestsThisRun = 0;
  while (progress.cursor.clientIndex < clientIds.length) {
    const clientId = clientIds[progress.cursor.clientIndex]!;
    countsOf(progress, clientId);
    const due = await powerOfficeReads.listInvoicesAwaitingWriteBack({ clientId, limit: chunkSize, ...(after ? { after } : {}) });
    const requestedBy = workflowInfo().workflowId;
    for (const invoice of due) waitingFor.add(keyOf(clientId, invoice.invoiceNo));
    await Promise.all(due.map((invoice) => askToWriteBack(invoice.workflowId, requestedBy, () => waitingFor.delete(keyOf(clientId, invoice.invoiceNo)))));
    if (!(await condition(() => waitingFor.size === 0, ANSWER_WAIT))) {
      progress.unanswered += waitingFor.size;
      waitingFor.clear();
    }
    requestsThisRun += due.length;
    if (due.length < chunkSize) {
      progress.cursor = { clientIndex: progress.cursor.clientIndex + 1 };
      after = undefined;
    } else {
      after = due[due.length - 1];
    }
    showProgress();

    const more = progress.cursor.clientIndex < clientIds.length;
    if (more && (requestsThisRun + chunkSize > maxRequestsPerRun || workflowInfo().continueAsNewSuggested)) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof writeBackWorkflow>({ chunkSize, maxRequestsPerRun, clientIds, progress, ...(after ? { after } : {}) });
    }
  }
  progress.done = true;
  showProgress();
  return progress;
}

/** An invoice that closed since it was listed (e.g. terminated by an admin) is simply not waited for. */
async function askToWriteBack(workflowId: string, requestedBy: string, forget: () => void): Promise<void> {
  try {
    await getExternalWorkflowHandle(workflowId).signal(writeBackRequestedSignal, { requestedBy });
  } catch {
    forget();
  }
}
