import { proxyActivities as proxyActivitiesPlain, proxyLocalActivities as proxyLocalActivitiesPlain, workflowInfo, type ActivityOptions } from '@temporalio/workflow';
import type { Activities, PowerOfficeV1QueueActivities as PowerOfficeV1Activities, PowerOfficeV2QueueActivities as PowerOfficeV2Activities } from '../activities';
import { powerOfficeTaskQueue } from './poweroffice-queues';
import { activitySummary } from './summaries';

/**
 * Every proxy below gives each call its summary for the Web UI (summaries.ts: "send 10023 as EHF"),
 * so no call site has to. A summary is user metadata on the scheduled activity, not part of what
 * replay compares: histories recorded without summaries replay unchanged.
 */
function summarised<T extends object>(proxy: T): T {
  return new Proxy(proxy, {
    get(target, name, receiver): unknown {
      const activity: unknown = Reflect.get(target, name, receiver);
      if (typeof name !== 'string' || typeof activity !== 'function') return activity;
      const call = activity as ((...args: unknown[]) => Promise<unknown>) & { executeWithOptions(options: { summary: string }, args: unknown[]): Promise<unknown> };
      return (...args: unknown[]) => {
        const summary = activitySummary(name, args);
        return summary === undefined ? call(...args) : call.executeWithOptions({ summary }, args);
      };
    },
  });
}

const proxyActivities: typeof proxyActivitiesPlain = (options) => summarised(proxyActivitiesPlain(options));
const proxyLocalActivities: typeof proxyLocalActivitiesPlain = (options) => summarised(proxyLocalActivitiesPlain(options));

/**
 * One proxy per retry and timeout policy. Permanent refusals (ExternalServiceRefused,
 * InvalidInvoiceData) stop at once so the reason reaches an operator; everything else backs off.
 */
const permanentFailures = ['ExternalServiceRefused', 'InvalidInvoiceData', 'InvalidClientSettings', 'InvoiceNotSendable'];

/**
 * Every activity heartbeats every few seconds while it runs (activities/keep-alive.ts), so an
 * attempt held by a worker that died is given to another worker after this long plus the first
 * retry interval: well within 30 s. Each outside call is bounded below it (10 s per request, 15 s
 * per PowerOffice call with its own tries), so a live attempt is never mistaken for a dead one.
 */
const heartbeatTimeout = '15 seconds';

/** Reads from PowerOffice GO: quick (a few calls of at most 15 s), retried for up to an hour (PowerOffice maintenance windows). */
export const powerOfficeReads = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  heartbeatTimeout,
  scheduleToCloseTimeout: '1 hour',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', nonRetryableErrorTypes: permanentFailures },
});

/** Assessing an invoice: PowerOffice reads, the PEPPOL lookup and the EHF rules. */
export const invoiceReads = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout,
  scheduleToCloseTimeout: '1 day',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '30 minutes', nonRetryableErrorTypes: permanentFailures },
});

/** Booking in our own ledger: idempotent per invoice, retried patiently. */
export const ledgerWrites = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  heartbeatTimeout,
  scheduleToCloseTimeout: '1 day',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '30 minutes', nonRetryableErrorTypes: permanentFailures },
});

/** Sends through the distribution partner: idempotent, so retried patiently for a day. */
export const partnerSends = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  heartbeatTimeout,
  scheduleToCloseTimeout: '1 day',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '30 minutes', nonRetryableErrorTypes: permanentFailures },
});

/**
 * An invoice's booking and sends (steps revision 5) as local activities: run by the worker that runs
 * the invoice, inside its workflow task, recorded as one marker with the result only. Each remote
 * activity costs the server a task to dispatch, three history events and one more workflow task, and
 * carries its input (the sealed EHF and card) into history: on the bench (issue 11) that server work
 * was most of our batch's gap to the bare floor (1,500 invoices: 177-186 s before, 95-124 s after). Safe to run again: both carry a business idempotency key, and a
 * worker that dies mid-call has its workflow task time out (10 s), so another worker runs them again.
 * Same patience as the remote ones: retried for a day, backing off to 30 minutes (past a minute the
 * SDK waits on a timer instead of holding the task).
 */
export const localLedgerWrites = proxyLocalActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  scheduleToCloseTimeout: '1 day',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '30 minutes', nonRetryableErrorTypes: permanentFailures },
});

export const localPartnerSends = proxyLocalActivities<Activities>({
  startToCloseTimeout: '1 minute',
  scheduleToCloseTimeout: '1 day',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '30 minutes', nonRetryableErrorTypes: permanentFailures },
});

/**
 * The 15:30 write-back to PowerOffice GO: checked-then-written, so safe to retry, because an
 * attempt never outlives its heartbeat (it stops its calls when Temporal gives up on it). A worker
 * that dies mid-call is noticed by the missing heartbeat, not after the whole start-to-close time.
 * After an hour the invoice shows WriteBack=Failed with the reason and the next run tries again.
 */
export const powerOfficeWrites = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout,
  scheduleToCloseTimeout: '1 hour',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', nonRetryableErrorTypes: permanentFailures },
});

/** Reads from Factoring Finans' ledger (the return-data feed, the KID lookup): quick, retried for an hour. */
export const ledgerReads = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout,
  scheduleToCloseTimeout: '1 hour',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', nonRetryableErrorTypes: permanentFailures },
});

/**
 * Posting a return-data voucher to PowerOffice GO: safe to retry because the voucher's
 * ExternalImportReference makes a second post a refused duplicate, so retried for up to a day
 * (PowerOffice maintenance); a refusal (a closed period, a locked account) stops at once.
 */
export const powerOfficeVoucherWrites = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  heartbeatTimeout,
  scheduleToCloseTimeout: '1 day',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '30 minutes', nonRetryableErrorTypes: permanentFailures },
});

/**
 * One PowerOffice request per attempt, on the API's own task queue (workflows/poweroffice-queues.ts),
 * where the Temporal server dispatches them no faster than PowerOffice allows for the whole
 * deployment. Each attempt is one request of at most 10 s; a throttled or failed request, or one
 * spent on a token, is retried through the queue's rate limit again. `scheduleToClose` covers the
 * wait in the queue as well: at the limit, a 10,000-invoice batch queues for minutes.
 */
const powerOfficeCall = {
  startToCloseTimeout: '30 seconds',
  heartbeatTimeout,
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', nonRetryableErrorTypes: permanentFailures },
} as const;

/** The batch's reads (a page of invoices, the page's customer cards): retried for up to an hour, as the batch's other reads. */
export function powerOfficeV1BatchReads() {
  return proxyActivities<PowerOfficeV1Activities>({ ...powerOfficeCall, scheduleToCloseTimeout: '1 hour', taskQueue: powerOfficeTaskQueue(workflowInfo().taskQueue, 'v1') });
}

export function powerOfficeV2BatchReads() {
  return proxyActivities<PowerOfficeV2Activities>({ ...powerOfficeCall, scheduleToCloseTimeout: '1 hour', taskQueue: powerOfficeTaskQueue(workflowInfo().taskQueue, 'v2') });
}

/** An invoice's reads (its EHF, its customer card where the batch handed none): retried for a day, as its assessment. */
export function powerOfficeV1InvoiceReads() {
  return proxyActivities<PowerOfficeV1Activities>({ ...powerOfficeCall, scheduleToCloseTimeout: '1 day', taskQueue: powerOfficeTaskQueue(workflowInfo().taskQueue, 'v1') });
}

export function powerOfficeV2InvoiceReads() {
  return proxyActivities<PowerOfficeV2Activities>({ ...powerOfficeCall, scheduleToCloseTimeout: '1 day', taskQueue: powerOfficeTaskQueue(workflowInfo().taskQueue, 'v2') });
}

/** The 15:30 write-back's check (what PowerOffice holds), as powerOfficeWrites: retried for up to an hour. */
export function powerOfficeV1WriteBackChecks() {
  return proxyActivities<PowerOfficeV1Activities>({ ...powerOfficeCall, scheduleToCloseTimeout: '1 hour', taskQueue: powerOfficeTaskQueue(workflowInfo().taskQueue, 'v1') });
}

/**
 * The write-back's writes (delivered, status): one attempt each. A write whose answer was lost may
 * have been done, so it is never simply sent again: the workflow checks PowerOffice first and writes
 * only what is missing (writeBackInSteps in invoice-workflow.ts).
 */
export function powerOfficeV1WriteBackWrites() {
  return proxyActivities<PowerOfficeV1Activities>({ ...powerOfficeCall, scheduleToCloseTimeout: '1 hour', retry: { ...powerOfficeCall.retry, maximumAttempts: 1 }, taskQueue: powerOfficeTaskQueue(workflowInfo().taskQueue, 'v1') });
}

/**
 * Posting a return-data voucher, as powerOfficeVoucherWrites: a second post is a refused duplicate
 * (ExternalImportReference), so retried for up to a day.
 */
export function powerOfficeV2VoucherWrites() {
  return proxyActivities<PowerOfficeV2Activities>({ ...powerOfficeCall, scheduleToCloseTimeout: '1 day', retry: { ...powerOfficeCall.retry, initialInterval: '5 seconds', maximumInterval: '30 minutes' }, taskQueue: powerOfficeTaskQueue(workflowInfo().taskQueue, 'v2') });
}

/** Return data's lookups (the mapping's GL accounts, the page's customers, VAT code 0), as the page's other reads: retried for up to an hour. */
export function powerOfficeV2ReturnDataReads() {
  return proxyActivities<PowerOfficeV2Activities>({ ...powerOfficeCall, scheduleToCloseTimeout: '1 hour', taskQueue: powerOfficeTaskQueue(workflowInfo().taskQueue, 'v2') });
}

/**
 * Onboarding's reads: an operator waits at the terminal, so a few quick tries (a first attempt may
 * spend its request on the token), then the reason.
 */
const onboardingCall: ActivityOptions = {
  ...powerOfficeCall,
  scheduleToCloseTimeout: '2 minutes',
  retry: { ...powerOfficeCall.retry, maximumAttempts: 5, nonRetryableErrorTypes: [...permanentFailures, 'OnboardingRefused'] },
};

export function powerOfficeV1OnboardingReads() {
  return proxyActivities<PowerOfficeV1Activities>({ ...onboardingCall, taskQueue: powerOfficeTaskQueue(workflowInfo().taskQueue, 'v1') });
}

export function powerOfficeV2OnboardingReads() {
  return proxyActivities<PowerOfficeV2Activities>({ ...onboardingCall, taskQueue: powerOfficeTaskQueue(workflowInfo().taskQueue, 'v2') });
}
