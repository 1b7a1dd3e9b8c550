import type { Client } from '@temporalio/client';
import { invoiceStatusQuery } from '../workflows/messages';
import { InvoiceNo } from '../workflows/search-attributes';

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
  const query = `WorkflowType = 'invoiceWorkflow' AND ExecutionStatus = 'Running' AND ClientId = '${clientId.replace(/'/g, '')}' AND WriteBack = 'Failed'`;
  const lines: WriteBackFailureLine[] = [];
  for await (const run of temporal.workflow.list({ query })) {
    const status = await temporal.workflow.getHandle(run.workflowId).query(invoiceStatusQuery);
    lines.push({ invoiceNo: run.typedSearchAttributes.get(InvoiceNo) ?? 0, workflowId: run.workflowId, reason: status.writeBack?.reason ?? 'no reason recorded' });
  }
  return lines.sort((a, b) => a.invoiceNo - b.invoiceNo);
}
