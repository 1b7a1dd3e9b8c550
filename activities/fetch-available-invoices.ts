import { ApplicationFailure } from '@temporalio/activity';
import type { PowerOfficeV1Port } from '../adapters/poweroffice/v1-client';
import type { FactoringInvoiceDetails } from '../adapters/poweroffice/v1-schemas';
import { documentTypeOf, type FactoringDocument } from '../domain/invoice';
import { oreFromKroner } from '../domain/money';
import { callOutside } from './failures';

export interface AvailableInvoicePageInput {
  clientId: string;
  /** Cursor: the highest invoice number already handed out, so pages stay stable as new invoices arrive. */
  afterInvoiceNo?: number;
  pageSize: number;
}

export interface AvailableInvoicePage {
  documents: FactoringDocument[];
  /** Cursor for the next page, absent when this was the last one. */
  nextAfterInvoiceNo?: number;
}

export type PowerOfficeForClient = (clientId: string) => Promise<PowerOfficeV1Port>;

export function toFactoringDocument(clientId: string, details: FactoringInvoiceDetails): FactoringDocument {
  const totalAmountOre = oreFromKroner(details.totalAmount);
  return {
    clientId,
    invoiceId: details.id.toLowerCase(),
    invoiceNo: details.invoiceNo,
    documentType: documentTypeOf(totalAmountOre, details.originalInvoiceNo),
    totalAmountOre,
    ...(details.customerCode !== undefined ? { customerCode: details.customerCode } : {}),
    ...(details.invoiceDate ? { invoiceDate: details.invoiceDate.slice(0, 10) } : {}),
    ...(details.dueDate ? { dueDate: details.dueDate.slice(0, 10) } : {}),
    ...(details.originalInvoiceNo !== undefined ? { originalInvoiceNo: details.originalInvoiceNo } : {}),
  };
}

export function fetchAvailableInvoicePage(powerOfficeFor: PowerOfficeForClient) {
  return async function fetchAvailableInvoicePage(input: AvailableInvoicePageInput): Promise<AvailableInvoicePage> {
    const powerOffice = await powerOfficeFor(input.clientId);
    const page = await callOutside(() => powerOffice.availableInvoices({ afterInvoiceNo: input.afterInvoiceNo, top: input.pageSize }));
    const documents = page.invoices.map((details) => {
      try {
        return toFactoringDocument(input.clientId, details);
      } catch (err) {
        throw ApplicationFailure.nonRetryable(
          `Invoice ${details.invoiceNo} of client ${input.clientId}: ${err instanceof Error ? err.message : String(err)}`,
          'InvalidInvoiceData',
        );
      }
    });
    const last = documents.at(-1);
    const more = last !== undefined && page.total > documents.length;
    return { documents, ...(more ? { nextAfterInvoiceNo: last.invoiceNo } : {}) };
  };
}
