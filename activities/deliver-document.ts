import type { DeliveryChannel, DeliveryReceipt, DistributionPartnerPort } from '../adapters/distribution/partner-client';
import type { FactoringDocument } from '../domain/invoice';
import { callOutside } from './failures';

export interface DeliverDocumentInput {
  document: FactoringDocument;
  channel: DeliveryChannel;
}

/** One key per invoice and channel: reruns, retries and worker crashes reuse it, so the partner sends once. */
export function deliveryIdempotencyKey(document: FactoringDocument, channel: DeliveryChannel): string {
  return `deliver:${document.clientId}:${document.invoiceId}:${channel}`;
}

export function deliverDocument(partner: DistributionPartnerPort) {
  return async function deliverDocument({ document, channel }: DeliverDocumentInput): Promise<DeliveryReceipt> {
    return callOutside(() =>
      partner.deliver(
        {
          channel,
          reference: {
            clientId: document.clientId,
            invoiceId: document.invoiceId,
            invoiceNo: document.invoiceNo,
            documentType: document.documentType,
          },
          amountOre: document.totalAmountOre,
          ...(document.dueDate ? { dueDate: document.dueDate } : {}),
        },
        deliveryIdempotencyKey(document, channel),
      ),
    );
  };
}
