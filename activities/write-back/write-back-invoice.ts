import { ApplicationFailure } from '@temporalio/activity';
import type { FactoringInvoiceDetails } from '../../adapters/poweroffice/v1-schemas';
import type { DeliveredReport, PowerOfficeV1Port } from '../../adapters/poweroffice/v1-client';
import type { FactoringDocument } from '../../domain/invoice';
import { writeBackTexts, type SentCopy } from '../../domain/write-back/write-back-text';
import { callOutside } from '../failures';
import type { HandedPowerOfficeData, InvoiceSources } from '../invoice/invoice-context';
import { outgoingPdf } from '../invoice/outgoing-documents';

export interface WriteBackInvoiceInput {
  document: FactoringDocument;
  kid: string;
  /** Every send so far, in order; the first one's PDF is the copy GO keeps. */
  sends: SentCopy[];
}

export interface WriteBackInvoiceResult {
  /** 'now': this call reported it; 'already': PowerOffice had it (an earlier attempt, before a crash). */
  delivered: 'now' | 'already';
  statusUpdated: boolean;
  /** How many sends the status description now covers. */
  reportedSends: number;
}

/** Invoices delivered by us, looked up by invoice number (the list pages by number, reference §4.5). */
async function deliveredEntry(powerOffice: PowerOfficeV1Port, document: FactoringDocument): Promise<FactoringInvoiceDetails | undefined> {
  const page = await callOutside(() => powerOffice.invoicesDelivered({ afterInvoiceNo: document.invoiceNo - 1, top: 10 }));
  return page.invoices.find((invoice) => invoice.id.toLowerCase() === document.invoiceId.toLowerCase());
}

/**
 * `delivered`, where PowerOffice's refusal because the invoice is already delivered means an earlier
 * attempt of ours got there first (its answer was lost, or it landed after this attempt's check):
 * the list of invoices we delivered then holds it, and that is success, never WriteBack=Failed.
 */
async function deliver(powerOffice: PowerOfficeV1Port, document: FactoringDocument, report: DeliveredReport): Promise<{ entry: FactoringInvoiceDetails; delivered: 'now' | 'already' }> {
  try {
    return { entry: await callOutside(() => powerOffice.markDelivered(report)), delivered: 'now' };
  } catch (err) {
    if (!(err instanceof ApplicationFailure) || err.type !== 'ExternalServiceRefused') throw err;
    const entry = await deliveredEntry(powerOffice, document);
    if (entry) return { entry, delivered: 'already' };
    throw err;
  }
}

/**
 * The 15:30 write-back of one invoice: `Factoring/delivered` with the KID and the PDF as sent,
 * then the factoring status Delivered with what was sent when.
 *
 * Exactly once: PowerOffice itself is the record. `delivered` is only called when its list of
 * invoices we delivered does not hold this one, and the status only when it differs; so a retry
 * after a crash (the call went through, the answer was lost) finds the work done and does nothing.
 * The invoice workflow runs one write-back at a time, and an attempt never outlives its heartbeat
 * (keep-alive.ts: it heartbeats while it waits and its calls stop when Temporal gives up on it), so
 * two attempts never race; should a late `delivered` still land first, `deliver` takes it as done.
 */
export function writeBackInvoice(sources: InvoiceSources) {
  return async function writeBackInvoice({ document, kid, sends }: WriteBackInvoiceInput): Promise<WriteBackInvoiceResult> {
    const powerOffice = sources.powerOffice.v1(await sources.clients.clientKey(document.clientId));
    const texts = writeBackTexts({ documentType: document.documentType, invoiceNo: document.invoiceNo, kid }, sends);

    let entry = await deliveredEntry(powerOffice, document);
    let delivered: 'now' | 'already' = 'already';
    if (!entry) {
      const { pdf } = await outgoingPdf(sources, document, { kid }, 'written back');
      ({ entry, delivered } = await deliver(powerOffice, document, { invoiceId: document.invoiceId, kid, pdf, comment: texts.comment }));
    }

    const statusUpdated = entry.factoringInvoiceStatus !== 'Delivered' || entry.factoringInvoiceStatusDescription !== texts.statusDescription;
    if (statusUpdated) {
      await callOutside(() => powerOffice.updateStatus(document.invoiceId, 'Delivered', texts.statusDescription));
    }
    return { delivered, statusUpdated, reportedSends: sends.length };
  };
}

/*
 * The same write-back in steps of one PowerOffice request each, for the v1 task queue
 * (workflows/poweroffice-queues.ts), where the server's rate limit counts every request; the invoice
 * workflow runs them in the order above (check, deliver, status), with the EHF and the customer
 * card it read before, so building the PDF reads nothing from PowerOffice. Invoice workflows from
 * before run writeBackInvoice.
 */
export interface WriteBackStepInput extends WriteBackInvoiceInput {
  handed: HandedPowerOfficeData;
}

/** What PowerOffice holds of our delivery: nothing yet, or the delivery and whether its status already says what was sent. */
export type DeliveredCheck = { delivered: false } | { delivered: true; statusUpToDate: boolean };

export function writeBackSteps(sources: InvoiceSources) {
  const v1Of = async (clientId: string) => sources.powerOffice.v1(await sources.clients.clientKey(clientId));
  return {
    /** One `GET Factoring/InvoicesDelivered`. */
    async checkWrittenBack({ document, kid, sends }: WriteBackInvoiceInput): Promise<DeliveredCheck> {
      const entry = await deliveredEntry(await v1Of(document.clientId), document);
      if (!entry) return { delivered: false };
      const texts = writeBackTexts({ documentType: document.documentType, invoiceNo: document.invoiceNo, kid }, sends);
      return { delivered: true, statusUpToDate: entry.factoringInvoiceStatus === 'Delivered' && entry.factoringInvoiceStatusDescription === texts.statusDescription };
    },

    /**
     * One `POST Factoring/delivered` with the KID and the PDF as sent. `refused`: PowerOffice said no,
     * which may mean an earlier attempt got there first (its answer was lost): the workflow checks again.
     */
    async deliverWriteBack({ document, kid, sends, handed }: WriteBackStepInput): Promise<{ outcome: 'delivered' } | { outcome: 'refused'; reason: string }> {
      const powerOffice = await v1Of(document.clientId);
      const texts = writeBackTexts({ documentType: document.documentType, invoiceNo: document.invoiceNo, kid }, sends);
      const { pdf } = await outgoingPdf(sources, document, { kid, handed }, 'written back');
      try {
        await callOutside(() => powerOffice.markDelivered({ invoiceId: document.invoiceId, kid, pdf, comment: texts.comment }));
        return { outcome: 'delivered' };
      } catch (err) {
        if (err instanceof ApplicationFailure && err.type === 'ExternalServiceRefused') return { outcome: 'refused', reason: err.message };
        throw err;
      }
    },

    /** One `POST Factoring/updatefactoringinvoicestatus`: Delivered, with what was sent when. */
    async updateWriteBackStatus({ document, kid, sends }: WriteBackInvoiceInput): Promise<void> {
      const powerOffice = await v1Of(document.clientId);
      const texts = writeBackTexts({ documentType: document.documentType, invoiceNo: document.invoiceNo, kid }, sends);
      await callOutside(() => powerOffice.updateStatus(document.invoiceId, 'Delivered', texts.statusDescription));
    },
  };
}
