import type { Ore } from './money';

export type DocumentType = 'Invoice' | 'CreditNote';

/**
 * An invoice or credit note that a client has handed to Factoring Finans in PowerOffice GO,
 * reduced to what the workflows need. No personal data (e-mail, phone) travels in here: it would
 * end up in workflow history.
 */
export interface FactoringDocument {
  clientId: string;
  /** PowerOffice's Guid for the invoice; the key for every later call about it. */
  invoiceId: string;
  invoiceNo: number;
  documentType: DocumentType;
  customerCode?: number;
  totalAmountOre: Ore;
  invoiceDate?: string;
  dueDate?: string;
  originalInvoiceNo?: number;
}

export function documentTypeOf(totalAmountOre: Ore, originalInvoiceNo: number | undefined): DocumentType {
  return originalInvoiceNo !== undefined || totalAmountOre < 0 ? 'CreditNote' : 'Invoice';
}
