import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { invoiceStatusQuery } from '../workflows/messages';
import { ClientId, InvoiceNo } from '../workflows/search-attributes';

/** An invoice sent to its customer that PowerOffice GO refused to take back, and why. */
export interface WriteBackFailureLine {
  invoiceNo: number;
  workflowId: string;
  reason: string;
}

/**
 * The client's invoices whose last write-back failed (WriteBack = 'Failed'), with PowerOffice's
 * reason, for an operator. Each is tried again at every write-back run until it succeeds.
 */
export async function invoicesNotWrittenBack(temporal: Client, clientId: string): Promise<WriteBackFailureLine[]> {
  // The report's lines (and its --json) name no client: they are the one client's.
  return (await writeBackFailures(temporal, { clientId })).rows.map(({ invoiceNo, workflowId, reason }) => ({ invoiceNo, workflowId, reason }));
}

/**
 * Every invoice whose last write-back failed, of one client or all, by client and number: how many,
 * and the first `limit` with their reasons (one query each, so only for the rows shown).
 */
export async function writeBackFailures(temporal: Client, { clientId, limit = Infinity }: { clientId?: string; limit?: number }): Promise<{ total: number; rows: (WriteBackFailureLine & { clientId: string })[] }> {
  const scope = clientId === undefined ? '' : ` AND ClientId = '${clientId.replace(/'/g, '')}'`;
  const query = `WorkflowType = 'invoiceWorkflow' AND ExecutionStatus = 'Running'${scope} AND WriteBack = 'Failed'`;
  const runs: WorkflowExecutionInfo[] = [];
  for await (const run of temporal.workflow.list({ query })) runs.push(run);
  const key = (run: WorkflowExecutionInfo) => ({ clientId: run.typedSearchAttributes.get(ClientId) ?? '', invoiceNo: run.typedSearchAttributes.get(InvoiceNo) ?? 0 });
  runs.sort((a, b) => key(a).clientId.localeCompare(key(b).clientId) || key(a).invoiceNo - key(b).invoiceNo);
  const rows: (WriteBackFailureLine & { clientId: string })[] = [];
  for (const run of runs.slice(0, limit)) {
    const status = await temporal.workflow.getHandle(run.workflowId).query(invoiceStatusQuery);
    rows.push({ ...key(run), workflowId: run.workflowId, reason: status.writeBack?.reason ?? 'no reason recorded' });
  }
  return { total: runs.length, rows };
}
