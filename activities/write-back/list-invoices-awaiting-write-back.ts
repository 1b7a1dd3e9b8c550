import { compareInvoices, type InvoiceAwaitingWriteBack, type InvoiceRegistry } from '../../client/invoice-registry';

export interface ListAwaitingWriteBackInput {
  clientId: string;
  /** The last invoice of the previous chunk; the list continues after it. */
  after?: InvoiceAwaitingWriteBack;
  limit: number;
}

/** One chunk of a client's invoices waiting for the write-back, in a stable order. */
export function listInvoicesAwaitingWriteBack(invoices: InvoiceRegistry) {
  return async function listInvoicesAwaitingWriteBack({ clientId, after, limit }: ListAwaitingWriteBackInput): Promise<InvoiceAwaitingWriteBack[]> {
    // From the last invoice's number on (a credit note may share it), then strictly after it.
    const fromThere = await invoices.awaitingWriteBack(clientId, after?.invoiceNo);
    return (after ? fromThere.filter((invoice) => compareInvoices(invoice, after) > 0) : fromThere).slice(0, limit);
  };
}
