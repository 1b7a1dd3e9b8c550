import type { Client } from '@temporalio/client';
import { parseInvoiceWorkflowId } from '../domain/workflow-ids';
import { InvoiceId, InvoiceNo } from '../workflows/search-attributes';

/** An invoice workflow waiting to be reported to PowerOffice GO. */
export interface InvoiceAwaitingWriteBack {
  workflowId: string;
  invoiceNo: number;
}

/** Where the write-back learns which invoices are due: the invoice workflows themselves. */
export interface InvoiceRegistry {
  /**
   * Those numbered `fromInvoiceNo` or higher (all, without it), ordered by invoice number, then
   * workflow ID: a stable order to page through.
   */
  awaitingWriteBack(clientId: string, fromInvoiceNo?: number): Promise<InvoiceAwaitingWriteBack[]>;
  /**
   * Of these workflow ids, those that name a workflow in any state, running or closed (within the
   * namespace's retention).
   */
  existingWorkflowIds(workflowIds: string[]): Promise<string[]>;
}

/** A cap on one listing, far above a client's daily invoices, so a runaway cannot exhaust the worker's memory. */
export const MAX_LISTED = 50_000;

export function compareInvoices(a: InvoiceAwaitingWriteBack, b: InvoiceAwaitingWriteBack): number {
  return a.invoiceNo - b.invoiceNo || (a.workflowId < b.workflowId ? -1 : a.workflowId > b.workflowId ? 1 : 0);
}

/** Client IDs are validated at onboarding (letters, digits, '-', '_'); quoting guards the query all the same. */
function quoted(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/**
 * Reads visibility: running invoice workflows whose WriteBack is Pending (sent, not yet reported)
 * or Failed (the last attempt was refused; tried again at every run). Visibility lags a second or
 * so behind the workflows; an invoice sent at 15:29:59 is simply taken by the next run.
 */
export class TemporalInvoiceRegistry implements InvoiceRegistry {
  constructor(private readonly temporal: () => Client) {}

  async awaitingWriteBack(clientId: string, fromInvoiceNo?: number): Promise<InvoiceAwaitingWriteBack[]> {
    const query =
      `WorkflowType = 'invoiceWorkflow' AND ExecutionStatus = 'Running' AND ClientId = ${quoted(clientId)} AND WriteBack IN ('Pending', 'Failed')` +
      // Each chunk of a run lists only from where the last one ended, not the whole client again.
      (fromInvoiceNo !== undefined ? ` AND InvoiceNo >= ${Math.trunc(fromInvoiceNo)}` : '');
    const found: InvoiceAwaitingWriteBack[] = [];
    for await (const execution of this.temporal().workflow.list({ query, pageSize: 1000 })) {
      found.push({ workflowId: execution.workflowId, invoiceNo: Number(execution.typedSearchAttributes.get(InvoiceNo) ?? 0) });
      if (found.length >= MAX_LISTED) break;
    }
    // Visibility has no ORDER BY on every store (SQLite): sort here, so a run can page with a cursor.
    return found.sort(compareInvoices);
  }

  async existingWorkflowIds(workflowIds: string[]): Promise<string[]> {
    if (workflowIds.length === 0) return [];
    const query = `WorkflowId IN (${workflowIds.map(quoted).join(', ')})`;
    const found = new Set<string>();
    for await (const execution of this.temporal().workflow.list({ query, pageSize: 1000 })) found.add(execution.workflowId);
    return [...found];
  }
}

/**
 * A client's invoice workflows by PowerOffice's GUID (InvoiceId, or the GUID in an id of before ids
 * held the number), for tools that know invoices by their GUID (`npm run chaos`, the bench). Reads
 * visibility, so a workflow started a second ago may be missing.
 */
export async function invoiceWorkflowIdsByGuid(temporal: Client, clientId: string): Promise<Map<string, string>> {
  const byGuid = new Map<string, string>();
  for await (const execution of temporal.workflow.list({ query: `WorkflowType = 'invoiceWorkflow' AND ClientId = ${quoted(clientId)}`, pageSize: 1000 })) {
    const parsed = parseInvoiceWorkflowId(execution.workflowId);
    const guid = execution.typedSearchAttributes.get(InvoiceId) ?? (parsed?.form === 'guid' ? parsed.invoiceId : undefined);
    if (guid !== undefined) byGuid.set(guid, execution.workflowId);
  }
  return byGuid;
}
