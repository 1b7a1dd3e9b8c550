import { ApplicationFailure } from '@temporalio/activity';
import type { DistributionPartner, DocumentReference, PartnerReceipt } from '../../adapters/distribution/partner-api';
import { accessCodeFor } from '../../adapters/secrets/access-code';
import { prepareInvoiceDocuments } from '../../documents/invoice-documents';
import type { Channel } from '../../domain/channel';
import type { FactoringDocument } from '../../domain/invoice';
import { callOutside } from '../failures';
import { customerCard, customerName, invoiceEmail, loadInvoiceContext, postalAddressOf, type InvoiceSources } from './invoice-context';

export interface SendInvoiceInput {
  document: FactoringDocument;
  channel: Channel;
  /** The KID the assessment issued; the documents are rebuilt and must carry the same one. */
  kid: string;
}

/** One key per invoice and channel: the partner sends once, whatever retries, reruns or crashes happen. */
export function sendKey(document: FactoringDocument, channel: Channel): string {
  return `send:${channel}:${document.clientId}:${document.invoiceId}`;
}

function refuse(document: FactoringDocument, why: string): never {
  throw ApplicationFailure.nonRetryable(`Invoice ${document.invoiceNo} of client ${document.clientId} cannot be sent: ${why}`, 'InvoiceNotSendable');
}

/**
 * Rebuilds the outgoing EHF and PDF (deterministic: the same input gives the same bytes, so
 * nothing has to be stored between steps) and hands them to the distribution partner.
 * Personal data (addresses, e-mail) is read here and goes to the partner, never into history.
 */
export function sendInvoice(sources: InvoiceSources & { partner: DistributionPartner; accessCodeSecret: string }) {
  return async function sendInvoice({ document, channel, kid }: SendInvoiceInput): Promise<PartnerReceipt> {
    const context = await loadInvoiceContext(sources, document);
    const documents = await prepareInvoiceDocuments({
      clientXml: context.clientXml,
      settings: sources.factoringFinans,
      kidScheme: context.kidScheme,
      invoiceNumber: document.invoiceNo,
      customer: customerCard(context.customer),
    });
    if (!documents.ready || !documents.pdf || !documents.ehfXml) refuse(document, `its documents no longer pass the rules (${documents.failures.map((f) => f.ruleId).join(', ')})`);
    if (documents.kid !== kid) refuse(document, 'the KID changed since the invoice was assessed (KID settings changed?)');

    const reference: DocumentReference = { clientId: document.clientId, invoiceId: document.invoiceId, invoiceNo: document.invoiceNo, documentType: document.documentType };
    const pdf = { fileName: `${document.invoiceNo}.pdf`, base64: documents.pdf.toString('base64') };
    const key = sendKey(document, channel);
    const what = document.documentType === 'CreditNote' ? 'Kreditnota' : 'Faktura';
    const subject = `${what} ${document.invoiceNo} fra ${context.settings.clientName ?? 'vår klient'} (Factoring Finans AS)`;
    const partner = sources.partner;

    switch (channel) {
      case 'ehf': {
        const identifier = context.customer?.organizationNumber?.replace(/\s/g, '');
        if (!identifier) refuse(document, 'the customer has no organisation number for EHF');
        return callOutside(() => partner.sendEhf({ reference, receiver: { scheme: '0192', identifier }, ubl: documents.ehfXml! }, key));
      }
      case 'email-link':
      case 'email-pdf': {
        const to = invoiceEmail(context.customer);
        if (!to) refuse(document, 'the customer has no e-mail address any more');
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
        const address = postalAddressOf(context.customer);
        if (!address || !context.customer) refuse(document, 'the customer has no complete postal address any more');
        return callOutside(() => partner.sendLetter({ reference, recipient: { name: customerName(context.customer!), ...address }, pdf }, key));
      }
    }
  };
}
