import { condition, defineQuery, defineSignal, setHandler } from '@temporalio/workflow';
import { invoiceOpenedSignal, invoiceStatusQuery, STATES_ACCEPTING_OPENED, type InvoiceOpened, type InvoiceStatus } from '../../workflows/messages';
import type { DistributionStateValue } from '../../workflows/search-attributes';

/**
 * A stand-in for the invoice workflow while the real one learns to wait (the lead is rewriting
 * it): the same query and signal definitions, the same eventId deduplication, nothing else.
 * It starts in `state` (default Waiting), becomes Opened on the first new opened event while in a
 * state that takes one, and runs until told to finish (or at once with `finishAtOnce`).
 */
export interface WaitingInvoiceInput {
  state?: DistributionStateValue;
  finishAtOnce?: boolean;
}

/** Every distinct opened event the workflow took, in order. */
export const openedEventsQuery = defineQuery<InvoiceOpened[]>('openedEvents');
export const finishSignal = defineSignal('finish');

export async function waitingInvoiceWorkflow(input: WaitingInvoiceInput = {}): Promise<InvoiceStatus> {
  let status: InvoiceStatus = { state: input.state ?? 'Waiting', sends: [] };
  const events: InvoiceOpened[] = [];
  let finished = input.finishAtOnce ?? false;

  setHandler(invoiceStatusQuery, () => status);
  setHandler(openedEventsQuery, () => events);
  setHandler(finishSignal, () => {
    finished = true;
  });
  setHandler(invoiceOpenedSignal, (opened) => {
    if (events.some((e) => e.eventId === opened.eventId)) return;
    if (!STATES_ACCEPTING_OPENED.includes(status.state)) return;
    events.push(opened);
    if (status.state === 'Waiting') status = { ...status, state: 'Opened', openedAt: opened.openedAt };
  });

  await condition(() => finished);
  return status;
}
