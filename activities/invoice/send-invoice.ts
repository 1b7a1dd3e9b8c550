import type { DistributionPartner, DocumentReference, PartnerReceipt } from '../../adapters/distribution/partner-api';
import { accessCodeFor } from '../../adapters/secrets/access-code';
import type { Channel } from '../../domain/channel';
import type { FactoringDocument } from '../../domain/invoice';
import { callOutside } from '../failures';
import { customerName, invoiceEmail, postalAddressOf, type HandedPowerOfficeData, type InvoiceContext, type InvoiceSources } from './invoice-context';
import { outgoingEhf, outgoingPdf, refuseInvoice } from './outgoing-documents';

export interface SendInvoiceInput {
  document: FactoringDocument;
  channel: Channel;
  /** The KID the assessment issued; the documents are rebuilt and must carry the same one. */
  kid: string;
  /**
   * The assessment's fingerprint of the outgoing EHF it checked (Assessment.ehfFingerprint): a
   * rebuilt EHF with the same bytes is not checked again. Absent (sends scheduled before it was
   * passed on) the rebuilt EHF is checked in full.
   */
  ehfFingerprint?: string;
  /** Read by the workflow on the PowerOffice task queues; absent in older histories (then read here). */
  handed?: HandedPowerOfficeData;
  /**
   * An operator's resend (`invoice resend`), numbered per invoice from 1: a send of its own, so its
   * key differs from the original send's (which the partner would answer with the first delivery).
   */
  resendNo?: number;
}

/**
 * One key per invoice and channel: the partner sends once, whatever retries, reruns or crashes
 * happen. An operator's resend n has its own key (`…:resend-n`), as stable across retries.
 */
export function sendKey(document: FactoringDocument, channel: Channel, resendNo?: number): string {
  const base = `send:${channel}:${document.clientId}:${document.invoiceId}`;
  return resendNo === undefined ? base : `${base}:resend-${resendNo}`;
}

function refuse(document: FactoringDocument, why: string): never {
  refuseInvoice(document, 'sent', why);
}

function emailSubject(document: FactoringDocument, context: InvoiceContext): string {
  const what = document.documentType === 'CreditNote' ? 'Kreditnota' : 'Faktura';
  return `${what} ${document.invoiceNo} fra ${context.settings.clientName ?? 'vår klient'} (Factoring Finans AS)`;
}

/**
 * Rebuilds what the channel carries (outgoing-documents.ts: the EHF for an EHF send, the PDF for an
 * e-mail or a letter) and hands it to the distribution partner. Personal data (addresses, e-mail)
 * is read here and goes to the partner, never into history.
 */
export function sendInvoice(sources: InvoiceSources & { partner: DistributionPartner; accessCodeSecret: string }) {
  return async function sendInvoice({ document, channel, kid, ehfFingerprint, handed, resendNo }: SendInvoiceInput): Promise<PartnerReceipt> {
    const reference: DocumentReference = { clientId: document.clientId, invoiceId: document.invoiceId, invoiceNo: document.invoiceNo, documentType: document.documentType };
    const key = sendKey(document, channel, resendNo);
    const partner = sources.partner;
    const assessed = { kid, ...(ehfFingerprint !== undefined ? { ehfFingerprint } : {}), ...(handed ? { handed } : {}) };

    switch (channel) {
      case 'ehf': {
        const { context, ehfXml } = await outgoingEhf(sources, document, assessed, 'sent');
        const identifier = context.customer?.organizationNumber?.replace(/\s/g, '');
        if (!identifier) refuse(document, 'the customer has no organisation number for EHF');
        return callOutside(() => partner.sendEhf({ reference, receiver: { scheme: '0192', identifier }, ubl: ehfXml }, key));
      }
      case 'email-link':
      case 'email-pdf': {
        const { context, pdf } = await outgoingPdf(sources, document, assessed, 'sent');
        const to = invoiceEmail(context.customer);
        if (!to) refuse(document, 'the customer has no e-mail address any more');
        const subject = emailSubject(document, context);
        return callOutside(() =>
          partner.sendEmail(
            channel === 'email-link'
              ? { kind: 'link', reference, to, subject, pdf, accessCode: accessCodeFor(sources.accessCodeSecret, document.clientId, document.invoiceId) }
              : { kind: 'attachment', reference, to, subject, pdf },
            key,
          ),
        );
      }
      case 'letter': {
        const { context, pdf } = await outgoingPdf(sources, document, assessed, 'sent');
        const address = postalAddressOf(context.customer);
        if (!address || !context.customer) refuse(document, 'the customer has no complete postal address any more');
        return callOutside(() => partner.sendLetter({ reference, recipient: { name: customerName(context.customer!), ...address }, pdf }, key));
      }
    }
  };
}
