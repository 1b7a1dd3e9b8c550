import { ApplicationFailure } from '@temporalio/activity';
import type { FactoringInvoiceDetails } from '../../adapters/poweroffice/v1-schemas';
import type { PowerOfficeV1Port } from '../../adapters/poweroffice/v1-client';
import type { FactoringDocument } from '../../domain/invoice';
import { writeBackTexts, type SentCopy } from '../../domain/write-back/write-back-text';
import { callOutside } from '../failures';
import type { HandedPowerOfficeData, InvoiceSources } from '../invoice/invoice-context';
import { outgoingPdf } from '../invoice/outgoing-documents';
import type { PowerOfficeAccess } from '../poweroffice-access';
import { powerOfficeStepMoved } from '../step-moved';

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
 * The 15:30 write-back of one invoice in one activity (delivered, then the status, several v1
 * requests), as invoice workflows recorded before the PowerOffice queues scheduled it on the main
 * queue. Kept by name for a task scheduled there before the upgrade: it fails at once, and the
 * invoice workflow writes back in one-request steps on the v1 queue instead (writeBackSteps).
 */
export function writeBackInvoice() {
  return async function writeBackInvoice(_input: WriteBackInvoiceInput): Promise<WriteBackInvoiceResult> {
    return powerOfficeStepMoved('writeBackInvoice');
  };
}

/*
 * The same write-back in steps of one PowerOffice request each, for the v1 task queue
 * (workflows/poweroffice-queues.ts), where the server's rate limit counts every request; the invoice
 * workflow runs them in the order above (check, deliver, status), with the EHF and the customer
 * card it read before, so building the PDF reads nothing from PowerOffice. The only write-back:
 * invoice workflows from before read their EHF and card on the queues first (invoice-workflow.ts).
 */
export interface WriteBackStepInput extends WriteBackInvoiceInput {
  handed: HandedPowerOfficeData;
}

/** What PowerOffice holds of our delivery: nothing yet, or the delivery and whether its status already says what was sent. */
export type DeliveredCheck = { delivered: false } | { delivered: true; statusUpToDate: boolean };

export function writeBackSteps(sources: InvoiceSources & { powerOffice: PowerOfficeAccess }) {
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
