import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';

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
