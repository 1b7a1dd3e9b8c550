import { ActivityFailure, ApplicationFailure, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import type { FactoringDocument } from '../domain/invoice';
import { partnerSends } from './activity-policies';
import { invoiceStatusQuery, type InvoiceStatus } from './messages';
import { Channel, DistributionState, type DistributionStateValue } from './search-attributes';

export interface InvoiceWorkflowInput {
  document: FactoringDocument;
}

/**
 * One invoice or credit note, from fetched to handed to the distribution partner.
 * (The walking skeleton: channel choice, documents and the 4-day wait come with later issues.)
 */
export async function invoiceWorkflow({ document }: InvoiceWorkflowInput): Promise<InvoiceStatus> {
  let status: InvoiceStatus = { state: 'Fetched' };
  setHandler(invoiceStatusQuery, () => status);

  const moveTo = (next: InvoiceStatus): void => {
    status = next;
    upsertSearchAttributes([
      { key: DistributionState, value: next.state satisfies DistributionStateValue },
      ...(next.channel ? [{ key: Channel, value: next.channel }] : []),
    ]);
  };

  const channel = 'letter' as const;
  moveTo({ state: 'Sending', channel });
  try {
    const receipt = await partnerSends.deliverDocument({ document, channel });
    moveTo({ state: 'Delivered', channel, deliveryId: receipt.deliveryId, deliveredAt: receipt.acceptedAt });
    return status;
  } catch (err) {
    const reason = err instanceof ActivityFailure && err.cause ? err.cause.message : String(err);
    moveTo({ state: 'Failed', channel, failure: reason });
    throw ApplicationFailure.nonRetryable(`Invoice ${document.invoiceNo} was not distributed: ${reason}`, 'NotDistributed');
  }
}
