import { WorkflowFailedError, type Client } from '@temporalio/client';
import { invoiceStatusQuery } from '../workflows/messages';
import { DistributionState, InvoiceNo } from '../workflows/search-attributes';

/** How long the status query of a running Rejected invoice may wait for a worker. */
const QUERY_PATIENCE_MS = 10_000;

/** A running Rejected invoice (steps revision 6) has no failure to read: its status says why. */
async function reasonsOfRunning(temporal: Client, workflowId: string, runId: string): Promise<string[]> {
  try {
    const status = await temporal.connection.withDeadline(Date.now() + QUERY_PATIENCE_MS, () => temporal.workflow.getHandle(workflowId, runId).query(invoiceStatusQuery));
    return status.reasons ?? [];
  } catch {
    return ['(no worker answered for the reasons; is a worker running?)'];
  }
}

/**
 * The invoices of one client that were not distributed, with the reasons, for an operator to send
 * on to the client (who then fixes the customer cards in PowerOffice GO). The next batch retries
 * them by itself; an invoice that went out since no longer shows here.
 */
export interface RejectedInvoiceLine {
  invoiceNo: number;
  /** Rejected: the client's data must change (send it on); Failed: a technical failure, for the operator. */
  state: 'Rejected' | 'Failed';
  workflowId: string;
  rejectedAt: string;
  reasons: string[];
}

export async function reasonsOf(temporal: Client, workflowId: string, runId: string): Promise<string[]> {
  try {
    await temporal.workflow.getHandle(workflowId, runId).result();
    return [];
  } catch (err) {
    const details = err instanceof WorkflowFailedError && err.cause && 'details' in err.cause ? (err.cause.details as unknown[] | undefined) : undefined;
    const first = details?.[0] as { reasons?: unknown } | undefined;
    if (Array.isArray(first?.reasons)) return first.reasons.map(String);
    return [err instanceof WorkflowFailedError ? (err.cause?.message ?? err.message) : String(err)];
  }
}

/** The client's invoices whose latest run ended Rejected or Failed, by invoice number. */
export async function rejectedInvoices(temporal: Client, clientId: string): Promise<RejectedInvoiceLine[]> {
  // Every run of the client's invoice workflows; only the latest run of each invoice counts.
  const latest = new Map<string, { runId: string; startTime: Date; state: string; invoiceNo: number; closeTime?: Date }>();
  const query = `WorkflowType = 'invoiceWorkflow' AND ClientId = '${clientId.replace(/'/g, '')}'`;
  for await (const run of temporal.workflow.list({ query })) {
    const known = latest.get(run.workflowId);
    if (known && known.startTime >= run.startTime) continue;
    latest.set(run.workflowId, {
      runId: run.runId,
      startTime: run.startTime,
      state: run.typedSearchAttributes.get(DistributionState) ?? '',
      invoiceNo: run.typedSearchAttributes.get(InvoiceNo) ?? 0,
      ...(run.closeTime ? { closeTime: run.closeTime } : {}),
    });
  }
  const lines: RejectedInvoiceLine[] = [];
  for (const [workflowId, run] of latest) {
    if (run.state !== 'Rejected' && run.state !== 'Failed') continue;
    const reasons = run.closeTime ? await reasonsOf(temporal, workflowId, run.runId) : await reasonsOfRunning(temporal, workflowId, run.runId);
    lines.push({ invoiceNo: run.invoiceNo, state: run.state, workflowId, rejectedAt: (run.closeTime ?? run.startTime).toISOString(), reasons });
  }
  return lines.sort((a, b) => a.invoiceNo - b.invoiceNo);
}
