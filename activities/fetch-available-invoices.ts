import type { AvailableInvoicesPage, PowerOfficeV1Port } from '../adapters/poweroffice/v1-client';
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
  /**
   * Invoices of this page that could not be read (a record PowerOffice sent in an unexpected form,
   * an amount with more than two decimals): each with its reason, for the batch to show an
   * operator; the others on the page go out as usual. Absent when there were none.
   */
  unreadable?: UnreadableInvoice[];
  /** Cursor for the next page, absent when this was the last one. */
  nextAfterInvoiceNo?: number;
}

/** An invoice the batch could not take, named by what could be read of it. */
export interface UnreadableInvoice {
  invoiceNo?: number;
  reason: string;
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
    return documentsOfPage(input.clientId, page);
  };
}

/** A page of PowerOffice's list as documents, with the invoices that could not be read set apart (the dry run's too). */
export function documentsOfPage(clientId: string, page: AvailableInvoicesPage): AvailableInvoicePage {
  const unreadable: UnreadableInvoice[] = page.unreadable.map(({ invoiceNo, id, reason }) => ({
    ...(invoiceNo !== undefined ? { invoiceNo } : {}),
    reason: invoiceNo === undefined && id !== undefined ? `${reason} (PowerOffice id ${id})` : reason,
  }));
  const documents: FactoringDocument[] = [];
  for (const details of page.invoices) {
    try {
      documents.push(toFactoringDocument(clientId, details));
    } catch (err) {
      unreadable.push({ invoiceNo: details.invoiceNo, reason: err instanceof Error ? err.message : String(err) });
    }
  }
  const more = page.total > page.records;
  if (more && page.lastInvoiceNo === undefined) {
    // No record of the page has a number to page on from: the rest cannot be reached this run.
    unreadable.push({ reason: `none of the ${page.records} invoices PowerOffice GO sent on this page has an invoice number, so the remaining ${page.total - page.records} were not fetched` });
  }
  return {
    documents,
    ...(unreadable.length > 0 ? { unreadable } : {}),
    ...(more && page.lastInvoiceNo !== undefined ? { nextAfterInvoiceNo: page.lastInvoiceNo } : {}),
  };
}
