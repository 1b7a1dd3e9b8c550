import type { InvoiceRegistry } from '../client/invoice-registry';
import { guidInvoiceWorkflowId } from '../domain/workflow-ids';

export interface InvoicesUnderGuidIdsInput {
  clientId: string;
  /** PowerOffice's GUIDs of one page's invoices and credit notes. */
  invoiceIds: string[];
}

/**
 * Of one page's invoices, those that already have a workflow under the id of before ids held the
 * number (`invoice-<clientId>-<GUID>`), running or closed: the batch keeps them under that id
 * (batch-workflow.ts). One visibility call per page. Visibility lags a second or so, which cannot
 * hide such a workflow: since the upgrade no invoice gets a GUID id for the first time, so every one
 * of them was started before it.
 */
export function invoicesUnderGuidIds(invoices: InvoiceRegistry) {
  return async function invoicesUnderGuidIds({ clientId, invoiceIds }: InvoicesUnderGuidIdsInput): Promise<string[]> {
    const byWorkflowId = new Map(invoiceIds.map((invoiceId) => [guidInvoiceWorkflowId(clientId, invoiceId), invoiceId]));
    const existing = await invoices.existingWorkflowIds([...byWorkflowId.keys()]);
    return existing.flatMap((workflowId) => byWorkflowId.get(workflowId) ?? []);
  };
}
