import { condition, defineQuery, defineSignal, setHandler } from '@temporalio/workflow';
import { invoiceOpenedSignal, invoiceStatusQuery, STATES_ACCEPTING_OPENED, type InvoiceOpened, type InvoiceStatus, type SendRecord } from '../../workflows/messages';
import type { DistributionStateValue } from '../../workflows/search-attributes';

/**
 * A stand-in for the invoice workflow, so the webhook's answers can be tried in every state without
 * the emulators: the same query and signal definitions, the same rule for taking an opening (only
 * for one of its e-mails with link, once), nothing else. The real workflow's own rules are
 * specified in test/invoice-workflow.test.ts, and test/webhook/opened-invoice-history.test.ts runs
 * the webhook against it. It starts in `state` (default Waiting) with `sends` and `invoiceNo`, and
 * runs until told to finish (or at once with `finishAtOnce`).
 */
export interface WaitingInvoiceInput {
  state?: DistributionStateValue;
  invoiceNo?: number;
  sends?: SendRecord[];
  finishAtOnce?: boolean;
}

/** Every opened event the workflow took, in order. */
export const openedEventsQuery = defineQuery<InvoiceOpened[]>('openedEvents');
export const finishSignal = defineSignal('finish');

export async function waitingInvoiceWorkflow(input: WaitingInvoiceInput = {}): Promise<InvoiceStatus> {
  let status: InvoiceStatus = { state: input.state ?? 'Waiting', invoiceNo: input.invoiceNo ?? 10023, sends: input.sends ?? [] };
  const events: InvoiceOpened[] = [];
  let finished = input.finishAtOnce ?? false;

  setHandler(invoiceStatusQuery, () => status);
  setHandler(openedEventsQuery, () => events);
  setHandler(finishSignal, () => {
    finished = true;
  });
  setHandler(invoiceOpenedSignal, (opened) => {
    if (status.openedAt || !STATES_ACCEPTING_OPENED.includes(status.state)) return;
    if (!status.sends.some((s) => s.channel === 'email-link' && s.deliveryId === opened.deliveryId)) return;
    events.push(opened);
    status = { ...status, openedAt: opened.openedAt, ...(status.state === 'Waiting' ? { state: 'Opened' as const } : {}) };
  });

  await condition(() => finished);
  return status;
}
