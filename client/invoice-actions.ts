import { ServiceError, WorkflowUpdateFailedError, WorkflowIdReusePolicy, type Client, type WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { decodeArrayFromPayloads } from '@temporalio/common/lib/internal-non-workflow';
import type { invoiceWorkflow, InvoiceWorkflowInput } from '../workflows/invoice-workflow';
import { INVOICE_STEPS_REVISION } from '../workflows/invoice-workflow';
import { invoiceStatusQuery, type InvoiceStatus, type OperatorAction, type OperatorRequest } from '../workflows/messages';
import { ClientId, DistributionState, DocumentType, InvoiceNo } from '../workflows/search-attributes';
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
  const failed = temporal.workflow.getHandle(found.workflowId, found.runId);
  const history = await failed.fetchHistory();
  const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
  const [input] = (await decodeArrayFromPayloads(temporal.options.loadedDataConverter, started?.input?.payloads)) as [InvoiceWorkflowInput | undefined];
  const taskQueue = started?.taskQueue?.name;
  if (!input?.document || !taskQueue) throw new Refusal(`the failed run of invoice ${found.workflowId} has no document in its history to start again from`);
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
  const giveUpAt = Date.now() + UPDATE_PATIENCE_MS;
  for (;;) {
    const status = await temporal.connection.withDeadline(giveUpAt, () => handle.query(invoiceStatusQuery)).catch((err: unknown) => {
      if (err instanceof ServiceError) throw new Refusal(`invoice ${found.workflowId} was started again (run ${runId}), but no worker answered within ${UPDATE_PATIENCE_MS / 1000} s; is a worker running (npm run worker)?`);
      throw err;
    });
    if (status.state !== 'Fetched' || Date.now() >= giveUpAt) return { runId, status };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
