import { ServiceError, WorkflowExecutionAlreadyStartedError, WorkflowUpdateFailedError, WorkflowIdReusePolicy, type Client, type WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { decodeArrayFromPayloads } from '@temporalio/common/lib/internal-non-workflow';
import type { invoiceWorkflow, InvoiceWorkflowInput } from '../workflows/invoice-workflow';
import { INVOICE_STEPS_REVISION } from '../workflows/invoice-workflow';
import { invoiceStatusQuery, resendUpdate, type InvoiceStatus, type OperatorAction, type OperatorRequest, type ResendRequest } from '../workflows/messages';
import { Channel as ChannelKey, ClientId, DistributionState, DocumentType, InvoiceNo, Kid, WriteBack } from '../workflows/search-attributes';
import { Refusal } from './command-line';
import type { InvoiceFound } from './invoice-lookup';

/**
 * How long an operator's Update may take before the command gives up: a retry assesses the invoice
 * (PowerOffice GO read on its queues), a resend hands it to the partner; both take seconds. No
 * answer at all almost always means no worker polls the queue.
 */
export const UPDATE_PATIENCE_MS = 60_000;

/** The outcome of an action on one invoice, as `--json` prints it. */
export interface InvoiceActionResult {
  action: OperatorAction['action'];
  clientId: string;
  invoiceNo: number;
  workflowId: string;
  /** The run that took the action (a new one when `retry` started a Failed invoice anew). */
  runId: string;
  restarted: boolean;
  /** resend: the same resend was already under way in the run this command found (a command run again): nothing more was sent. */
  repeated?: boolean;
  status: InvoiceStatus;
}

/** The invoice's Update, answered with its new status; refused with the workflow's sentence where it does not apply. */
export async function updateInvoice<Req extends OperatorRequest>(
  temporal: Client,
  found: InvoiceFound,
  update: UpdateDefinition<InvoiceStatus, [Req]>,
  request: Req,
): Promise<InvoiceStatus> {
  if (found.runStatus !== 'RUNNING') {
    throw new Refusal(`invoice ${found.invoiceNo} of client ${found.clientId} has ended (its workflow ${found.workflowId} is ${found.runStatus.toLowerCase()}, as ${found.status.state}): it takes no more actions`);
  }
  const handle = temporal.workflow.getHandle(found.workflowId, found.runId);
  try {
    return await temporal.connection.withDeadline(Date.now() + UPDATE_PATIENCE_MS, () => handle.executeUpdate(update, { args: [request] }));
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) throw new Refusal(innermostMessage(err));
    if (err instanceof ServiceError) throw new Refusal(`invoice ${found.workflowId} did not answer within ${UPDATE_PATIENCE_MS / 1000} s (${err.message}); is a worker running (npm run worker)?`);
    throw err;
  }
}

function innermostMessage(err: Error): string {
  let innermost = err;
  while (innermost.cause instanceof Error) innermost = innermost.cause;
  return innermost.message;
}

/**
 * `invoice retry` of a Failed invoice: its workflow has closed (failed), so a new run starts under
 * the same workflow id (the batch's reuse policy allows it after a failure only) with the document
 * of the failed run's input, on the current steps revision, and the operator's action as its first.
 * Answered once the new run has been assessed (or the patience is up: then as it stands).
 */
export async function restartFailedInvoice(temporal: Client, found: InvoiceFound, action: OperatorAction): Promise<{ runId: string; status: InvoiceStatus }> {
  const { input, taskQueue } = await startOf(temporal, found, 'failed');
  const { document } = input;
  const handle: WorkflowHandleWithFirstExecutionRunId<typeof invoiceWorkflow> = await temporal.workflow.start<typeof invoiceWorkflow>('invoiceWorkflow', {
    workflowId: found.workflowId,
    taskQueue,
    args: [{ document, stepsRevision: INVOICE_STEPS_REVISION, startedByOperator: action }],
    workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
    staticSummary: `${document.documentType === 'CreditNote' ? 'Credit note' : 'Invoice'} ${document.invoiceNo} of client ${document.clientId}`,
    typedSearchAttributes: [
      { key: ClientId, value: document.clientId },
      { key: InvoiceNo, value: document.invoiceNo },
      { key: DocumentType, value: document.documentType },
      { key: DistributionState, value: 'Fetched' },
    ],
  });
  const runId = handle.firstExecutionRunId;
  return { runId, status: await statusOnce(temporal, found.workflowId, runId, (status) => status.state !== 'Fetched') };
}

/** The input and task queue of a closed run (its first history event), and its result if it completed. */
async function startOf(temporal: Client, found: InvoiceFound, closedAs: string): Promise<{ input: InvoiceWorkflowInput; taskQueue: string; result?: InvoiceStatus }> {
  const history = await temporal.workflow.getHandle(found.workflowId, found.runId).fetchHistory();
  const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
  const [input] = (await decodeArrayFromPayloads(temporal.options.loadedDataConverter, started?.input?.payloads)) as [InvoiceWorkflowInput | undefined];
  const taskQueue = started?.taskQueue?.name;
  if (!input?.document || !taskQueue) throw new Refusal(`the ${closedAs} run of invoice ${found.workflowId} has no document in its history to start again from`);
  const completed = history.events?.at(-1)?.workflowExecutionCompletedEventAttributes;
  const [result] = completed ? ((await decodeArrayFromPayloads(temporal.options.loadedDataConverter, completed.result?.payloads)) as [InvoiceStatus | undefined]) : [];
  return { input, taskQueue, ...(result ? { result } : {}) };
}

/** The run's status once `settled` holds (a worker has taken the step), or as it stands when the patience is up. */
async function statusOnce(temporal: Client, workflowId: string, runId: string, settled: (status: InvoiceStatus) => boolean): Promise<InvoiceStatus> {
  const handle = temporal.workflow.getHandle(workflowId, runId);
  const giveUpAt = Date.now() + UPDATE_PATIENCE_MS;
  for (;;) {
    const status = await temporal.connection.withDeadline(giveUpAt, () => handle.query(invoiceStatusQuery)).catch((err: unknown) => {
      if (err instanceof ServiceError) throw new Refusal(`invoice ${workflowId} was started (run ${runId}), but no worker answered within ${UPDATE_PATIENCE_MS / 1000} s; is a worker running (npm run worker)?`);
      throw err;
    });
    if (settled(status) || Date.now() >= giveUpAt) return status;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export interface ResendOutcome {
  runId: string;
  restarted: boolean;
  repeated: boolean;
  status: InvoiceStatus;
}

const sameResend = (action: OperatorAction, request: ResendRequest): boolean =>
  action.channel === request.channel && action.by === request.by && (action.reason ?? '') === (request.reason?.trim() ?? '');

/** The resend of a resend run is in once the run has more sends than the completed run it carries on. */
const resendSent = (status: InvoiceStatus): boolean => status.sends.length > (status.resentFrom?.sendsBefore ?? Number.MAX_SAFE_INTEGER);

/**
 * `invoice resend`. A running invoice takes it as an Update (resendUpdate). An invoice whose run
 * has completed (every send written back to PowerOffice GO, often days ago) gets a new run under
 * the same workflow id that sends once (invoice-workflow.ts, resendOfCompletedRun). The start is
 * the dedup: while that run is open, the same command again (after a crash, or typed twice) finds
 * it running with this very resend (same channel, operator and reason) and answers with it instead
 * of sending again; a different resend goes to it as an Update. Once it has completed, the same
 * command is a deliberate second resend.
 */
export async function resendInvoice(temporal: Client, found: InvoiceFound, request: ResendRequest): Promise<ResendOutcome> {
  if (found.runStatus === 'RUNNING') {
    const own = found.status.resentFrom?.action;
    if (own && sameResend(own, request)) {
      return { runId: found.runId, restarted: false, repeated: true, status: await statusOnce(temporal, found.workflowId, found.runId, resendSent) };
    }
    return { runId: found.runId, restarted: false, repeated: false, status: await updateInvoice(temporal, found, resendUpdate, request) };
  }
  if (found.runStatus !== 'COMPLETED') return { runId: found.runId, restarted: false, repeated: false, status: await updateInvoice(temporal, found, resendUpdate, request) };
  const invoice = `invoice ${found.invoiceNo} of client ${found.clientId}`;
  const { input, taskQueue, result } = await startOf(temporal, found, 'completed');
  const previous = result ?? found.status;
  if (previous.state === 'Withdrawn') throw new Refusal(`${invoice} has been withdrawn: nothing more goes out`);
  if (previous.sends.length === 0 || previous.kid === undefined) throw new Refusal(`${invoice} ended ${previous.state} without a send: a resend follows a first send`);
  const { document } = input;
  const resendNo = (previous.operatorActions ?? []).filter((a) => a.action === 'resend').length + 1;
  const action = { action: 'resend' as const, by: request.by, ...(request.reason?.trim() ? { reason: request.reason.trim() } : {}), channel: request.channel, at: new Date().toISOString() };
  try {
    const handle: WorkflowHandleWithFirstExecutionRunId<typeof invoiceWorkflow> = await temporal.workflow.start<typeof invoiceWorkflow>('invoiceWorkflow', {
      workflowId: found.workflowId,
      taskQueue,
      args: [{ document, stepsRevision: INVOICE_STEPS_REVISION, resendOfCompletedRun: { runId: found.runId, status: previous, action, resendNo } }],
      // For this start only: the run before completed. The batch keeps ALLOW_DUPLICATE_FAILED_ONLY
      // and cannot start it again: once written back, PowerOffice GO no longer lists the invoice as
      // available for factoring, so no batch fetches it; and while this run is open no start can.
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
      staticSummary: `${document.documentType === 'CreditNote' ? 'Credit note' : 'Invoice'} ${document.invoiceNo} of client ${document.clientId}: resend ${resendNo}`,
      typedSearchAttributes: [
        { key: ClientId, value: document.clientId },
        { key: InvoiceNo, value: document.invoiceNo },
        { key: DocumentType, value: document.documentType },
        { key: DistributionState, value: previous.state },
        ...(previous.channel ? [{ key: ChannelKey, value: previous.channel }] : []),
        { key: Kid, value: previous.kid },
        { key: WriteBack, value: 'Pending' },
      ],
    });
    const runId = handle.firstExecutionRunId;
    return { runId, restarted: true, repeated: false, status: await statusOnce(temporal, found.workflowId, runId, resendSent) };
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    // Another command started a run since this one looked (the same command twice at once): that run decides.
    const latest = temporal.workflow.getHandle(found.workflowId);
    const { runId } = await latest.describe();
    const status = await statusOnce(temporal, found.workflowId, runId, (s) => s.resentFrom === undefined || resendSent(s));
    return resendInvoice(temporal, { ...found, runId, runStatus: 'RUNNING', status }, request);
  }
}
