import { ApplicationFailure } from '@temporalio/common';
import type { MockActivityEnvironment } from '@temporalio/testing';
import { createPowerOfficeActivities, type ActivityDeps } from '../../activities';
import type { HandedPowerOfficeData } from '../../activities/invoice/invoice-context';
import type { FactoringDocument } from '../../domain/invoice';

/**
 * A PowerOffice queue activity run as Temporal would: each attempt is one request, so the first one
 * may spend its request on the token and fail retryably; the next attempt makes the call.
 */
export async function attempts<R>(mock: MockActivityEnvironment, call: () => Promise<R>): Promise<R> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await mock.run(call);
    } catch (err) {
      if (!(err instanceof ApplicationFailure) || err.nonRetryable || attempt >= 4) throw err;
    }
  }
}

/** What the invoice workflow reads on the PowerOffice queues and hands to its steps: the EHF and the customer card, sealed. */
export async function readHanded(deps: ActivityDeps, mock: MockActivityEnvironment, document: FactoringDocument): Promise<HandedPowerOfficeData> {
  const v1 = createPowerOfficeActivities(deps, 'v1');
  const v2 = createPowerOfficeActivities(deps, 'v2');
  const ehf = await attempts(mock, () => v1.readInvoiceEhf({ clientId: document.clientId, invoiceId: document.invoiceId }));
  const customerNos = document.customerCode === undefined ? [] : [document.customerCode];
  const { cards } = await attempts(mock, () => v2.readCustomerCards({ clientId: document.clientId, customerNos }));
  return { ehf, customer: { card: cards[0]?.card ?? null } };
}
