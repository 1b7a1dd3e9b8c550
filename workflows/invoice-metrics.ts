import { metricMeter } from '@temporalio/workflow';
import type { DistributionStateValue } from './search-attributes';

/**
 * The invoice workflow's own Prometheus metrics (README, Metrics), through the SDK's workflow meter:
 * they land on the worker's metrics endpoint beside the SDK's, tagged by the worker with namespace,
 * task queue and workflow type. The SDK records nothing while a workflow replays, so an invoice
 * replayed after an eviction or a worker restart is not counted twice; a metric is no command, so
 * these calls change no history (no patch).
 *
 * Labels stay bounded: a state, a channel, a reason kind, an outcome, and the client id. The client
 * id is not personal data (it is already in workflow ids and search attributes), and clients are
 * onboarded one by one by an operator: tens or hundreds, not thousands. It answers the first
 * question after an alert ("whose invoices are being rejected?"). Never an invoice number, a customer, or a reason's own words.
 */
export const INVOICE_METRICS = {
  states: 'ff_invoice_state_changes_total',
  rejections: 'ff_invoice_rejections_total',
  lettersAfterWait: 'ff_letters_after_wait_total',
  writeBacks: 'ff_write_backs_total',
} as const;

/** What kind of data-quality problem rejected an invoice: a fixed set, whatever the reason says. */
export type RejectionKind = 'customer-not-found' | 'no-postal-address' | 'ehf-rule' | 'ehf-refused' | 'other';

/**
 * The kind of one rejection reason, from the sentences the assessment writes
 * (activities/invoice/assess-invoice.ts); a sentence it does not know is `other`.
 */
export function rejectionKind(reason: string): RejectionKind {
  if (/^customer .* was not found in PowerOffice GO/.test(reason)) return 'customer-not-found';
  if (/^customer .* has no complete postal address/.test(reason)) return 'no-postal-address';
  if (/^EHF rule \S+ failed/.test(reason)) return 'ehf-rule';
  if (/^the client's EHF was refused/.test(reason)) return 'ehf-refused';
  return 'other';
}

/** One state change of an invoice, with its channel once the assessment chose one (`none` before). */
export function countInvoiceState(clientId: string, state: DistributionStateValue, channel: string | undefined): void {
  metricMeter
    .createCounter(INVOICE_METRICS.states, undefined, 'State changes of invoice workflows, by client, state and channel')
    .add(1, { client_id: clientId, state, channel: channel ?? 'none' });
}

/** One rejected assessment: each kind of reason it gave once (three failed EHF rules are one ehf-rule). */
export function countRejection(clientId: string, reasons: readonly string[]): void {
  const counter = metricMeter.createCounter(INVOICE_METRICS.rejections, undefined, 'Rejected invoice assessments, by client and kind of reason');
  for (const kind of new Set(reasons.map(rejectionKind))) counter.add(1, { client_id: clientId, reason_kind: kind });
}

/** A letter sent because the e-mail with link was not opened within the wait. */
export function countLetterAfterWait(clientId: string): void {
  metricMeter.createCounter(INVOICE_METRICS.lettersAfterWait, undefined, 'Letters sent because an e-mail with link was not opened within the wait, by client').add(1, { client_id: clientId });
}

/** One write-back asked of an invoice, by how it ended. */
export function countWriteBack(clientId: string, outcome: 'written-back' | 'failed' | 'up-to-date'): void {
  metricMeter.createCounter(INVOICE_METRICS.writeBacks, undefined, 'Write-backs to PowerOffice GO asked of invoices, by client and outcome').add(1, { client_id: clientId, outcome });
}
