import { documentTypeOf } from '../../domain/invoice';
import { oreFromKroner } from '../../domain/money';
import { invoiceWorkflowId } from '../../domain/workflow-ids';

/** The workflow id a batch gives an invoice of the emulator's seed: its number, as an operator types it. */
export function seedInvoiceWorkflowId(clientId: string, invoice: { invoiceNo: number; totalAmount: number; originalInvoiceNo?: unknown }): string {
  const originalInvoiceNo = typeof invoice.originalInvoiceNo === 'number' ? invoice.originalInvoiceNo : undefined;
  return invoiceWorkflowId({ clientId, invoiceNo: invoice.invoiceNo, documentType: documentTypeOf(oreFromKroner(invoice.totalAmount), originalInvoiceNo) });
}
