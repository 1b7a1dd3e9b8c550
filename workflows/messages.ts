import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { DocumentType } from '../domain/invoice';
import type { DistributionStateValue, WriteBackStateValue } from './search-attributes';

/** Queries shared by workflows, admin scripts and tests. */

export interface ClientBatchCounts {
  started: number;
  /** Invoices whose workflow already existed (an earlier run or the other daily batch). */
  alreadyStarted: number;
  byDocumentType: Record<DocumentType, number>;
  /** Of the invoices started, how many go out through each channel (once assessed). */
  byChannel: Record<string, number>;
  rejected: number;
  /** Invoices that ended Failed (a technical failure, with its reason in `failed`); absent in results from before it was counted. */
  failed?: number;
  /** Invoices PowerOffice GO listed in a form that could not be read (each in `unreadable`, with why); absent when none. */
  unreadable?: number;
  /**
   * Of the invoices already started, those waiting as Rejected that this batch had assessed again
   * (their outcome is counted in byChannel or rejected like a started invoice's).
   */
  reassessed?: number;
}

/** An invoice the batch could not take from PowerOffice GO's list: no workflow, so it is shown here, every batch, until it is fixed. */
export interface UnreadableInvoiceReport {
  clientId: string;
  /** Absent when the record carried no readable number. */
  invoiceNo?: number;
  reason: string;
}

export interface RejectedInvoice {
  clientId: string;
  invoiceNo: number;
  reasons: string[];
}

/** An invoice that ended Failed: what broke, in the words of whatever broke it. */
export interface FailedInvoice {
  clientId: string;
  invoiceNo: number;
  reason: string;
}

/** The batch result keeps this many rejections (and as many failures); `npm run report` lists them all per client. */
export const MAX_REJECTIONS_LISTED = 200;

export interface BatchProgress {
  clients: Record<string, ClientBatchCounts>;
  rejected: RejectedInvoice[];
  /** Invoices that ended Failed, with the reason (the first MAX_REJECTIONS_LISTED). */
  failed?: FailedInvoice[];
  /** Invoices listed by PowerOffice GO that could not be read (the first MAX_REJECTIONS_LISTED); the rest of their page went on. */
  unreadable?: UnreadableInvoiceReport[];
  /** Clients whose invoices were not fetched, and why (an id from before ids lost '-': it cannot name workflows unambiguously). */
  skippedClients?: { clientId: string; reason: string }[];
  /** Invoices this batch started that have reported: assessed, rejected, or failed before either. */
  assessed: number;
  /** Started invoices that had not reported within the wait at the end. */
  unassessed?: number;
  /** Invoices already started that this batch asked to be assessed again (each answers once), and how many have answered. */
  reassessAsked?: number;
  reassessAnswered?: number;
  /** Current position, so a continued run and an operator both know where the batch is. */
  cursor: { clientIndex: number; afterInvoiceNo?: number };
  runsSoFar: number;
  /** When the batch had started every invoice and began waiting for their reports (ISO 8601), kept across runs. */
  waitingSince?: string;
  done: boolean;
}

export const batchProgressQuery = defineQuery<BatchProgress>('batchProgress');

/** One hand-over to the distribution partner. */
export interface SendRecord {
  channel: string;
  deliveryId: string;
  /** ISO 8601 instant the partner accepted it. */
  sentAt: string;
}

export interface InvoiceStatus {
  state: DistributionStateValue;
  /** The document's invoice number (the webhook checks an event's `invoiceNo` against it). */
  invoiceNo?: number;
  /** The channel chosen, and why (no personal data). */
  channel?: string;
  channelReason?: string;
  kid?: string;
  /** Every send, in order: what was sent, when, through which channel (for the 15:30 write-back). */
  sends: SendRecord[];
  openedAt?: string;
  /** Opened only after the letter had gone: recorded, nothing more sent. */
  openedAfterLetter?: boolean;
  /** "Opened" events that were not taken, with why: the latest MAX_IGNORED_OPENINGS. */
  ignoredOpenings?: IgnoredOpening[];
  /** How many "opened" events were ignored in all (the list above keeps only the latest). */
  ignoredOpeningCount?: number;
  /** Why the invoice was not distributed (Rejected) or what broke (Failed). */
  reasons?: string[];
  /** The 15:30 write-back to PowerOffice GO; absent until the first send. */
  writeBack?: WriteBackStatus;
  /** Revision 6: what operators did to this invoice (invoice retry, resend, …), with who, why and when, oldest first. */
  operatorActions?: OperatorAction[];
  /** An operator cancelled the letter after the 4-day wait (cancel-letter): when the wait ends unopened, none goes. */
  letterCancelled?: boolean;
  /** How many times a Rejected invoice has been assessed again (by a batch or `invoice retry`). */
  reassessments?: number;
  /** This run is a resend of an invoice whose earlier run had completed (`invoice resend` after its write-back). */
  resentFrom?: ResentFrom;
}

/** Which completed run a resend run continues, and the operator's action that started it. */
export interface ResentFrom {
  /** The completed run whose final status this run carries on. */
  runId: string;
  /** The resend's number in the idempotency key (`…:resend-<n>`), after every resend of the runs before. */
  resendNo: number;
  /** The operator's resend, as recorded in operatorActions: a command repeated while this run is open is recognised by it. */
  action: OperatorAction;
  /** How many sends the completed run had made: the resend is sent once there are more. */
  sendsBefore: number;
}

export const operatorActionKinds = ['retry', 'resend', 'mark-opened', 'cancel-letter', 'withdraw'] as const;
export type OperatorActionKind = (typeof operatorActionKinds)[number];

/** One operator action, as the invoice recorded it (and as its Update's input stands in its history). */
export interface OperatorAction {
  action: OperatorActionKind;
  /** The operator's user name (no customer data). */
  by: string;
  reason?: string;
  /** resend: the channel sent on. */
  channel?: string;
  /** ISO 8601 instant the invoice took it. */
  at: string;
}

/** What every operator Update carries: who asks, and why (required where the action says so). */
export interface OperatorRequest {
  by: string;
  reason?: string;
}

export const resendChannels = ['letter', 'email-link', 'email-pdf', 'ehf'] as const;
export type ResendChannel = (typeof resendChannels)[number];

export interface ResendRequest extends OperatorRequest {
  channel: ResendChannel;
}

/**
 * Operator Updates on an invoice (revision 6), each validated (refused with a sentence where it
 * does not apply) and answered with the invoice's status once the action has taken effect.
 * retry: a Rejected invoice is assessed again now. resend: one more send on a channel.
 * mark-opened: the customer confirmed by phone. cancel-letter: no letter after the wait.
 * withdraw: no further letter; the invoice ends Withdrawn.
 */
export const retryUpdate = defineUpdate<InvoiceStatus, [OperatorRequest]>('retry');
export const resendUpdate = defineUpdate<InvoiceStatus, [ResendRequest]>('resend');
export const markOpenedUpdate = defineUpdate<InvoiceStatus, [OperatorRequest]>('markOpened');
export const cancelLetterUpdate = defineUpdate<InvoiceStatus, [OperatorRequest]>('cancelLetter');
export const withdrawUpdate = defineUpdate<InvoiceStatus, [OperatorRequest]>('withdraw');

/**
 * A batch that found the invoice's workflow already running asks it to assess itself again; a
 * Rejected invoice does and reports the outcome to `requestedBy` (InvoiceAssessed, reassessed),
 * any other answers at once that it was not waiting (notRejected), so the batch never waits for it.
 */
export interface ReassessRequest {
  requestedBy: string;
}

export const reassessSignal = defineSignal<[ReassessRequest]>('reassess');

export interface WriteBackStatus {
  state: WriteBackStateValue;
  /** How many of `sends` PowerOffice GO has been told about. */
  reportedSends: number;
  /** ISO 8601 instant of the last successful write-back. */
  writtenBackAt?: string;
  /** Why the last attempt failed (state Failed); the next run tries again. */
  reason?: string;
}

/** An "opened" event the invoice did not take: it names no e-mail with link that this invoice sent. */
export interface IgnoredOpening {
  eventId: string;
  deliveryId: string;
  /** ISO 8601 instant the event claims. */
  openedAt: string;
  reason: string;
}

export const MAX_IGNORED_OPENINGS = 20;

export const invoiceStatusQuery = defineQuery<InvoiceStatus>('invoiceStatus');

/**
 * A child tells its batch how it was assessed, and how it ended if it failed, so the batch can count
 * channels, rejections and failures, and stops waiting for an invoice that has ended.
 */
export interface InvoiceAssessed {
  clientId: string;
  invoiceNo: number;
  documentType: DocumentType;
  channel?: string;
  rejectedReasons?: string[];
  /** The invoice ended Failed, for this reason. */
  failedReason?: string;
  /** This invoice has reported before (its channel): count the failure, not a second invoice. */
  followUp?: boolean;
  /** The answer to this batch's reassess request (reassessSignal), not a report of an invoice it started. */
  reassessed?: boolean;
  /** With reassessed: the invoice was not waiting as Rejected (on its way or done): nothing to count. */
  notRejected?: boolean;
}

export const invoiceAssessedSignal = defineSignal<[InvoiceAssessed]>('invoiceAssessed');

/**
 * The end customer opened an e-mailed invoice by entering its access code on the partner's page.
 * Sent by the webhook (client/webhook). `eventId` makes repeats harmless. The invoice takes it
 * only when `deliveryId` is an e-mail with link it sent; anything else is recorded and ignored.
 */
export interface InvoiceOpened {
  eventId: string;
  deliveryId: string;
  /** ISO 8601 instant. */
  openedAt: string;
}

export const invoiceOpenedSignal = defineSignal<[InvoiceOpened]>('invoiceOpened');

/** States in which an "opened" event is still recorded; in any other state the webhook answers 409. */
export const STATES_ACCEPTING_OPENED: readonly DistributionStateValue[] = ['Waiting', 'Opened', 'LetterSent'];

/**
 * The write-back run asks an invoice workflow to report itself to PowerOffice GO. The invoice does
 * the work (it holds the document, KID and sends) and answers `requestedBy`, if given, with
 * `invoiceWriteBackOutcomeSignal`.
 */
export interface WriteBackRequest {
  requestedBy?: string;
}

export const writeBackRequestedSignal = defineSignal<[WriteBackRequest]>('writeBackRequested');

export interface InvoiceWriteBackOutcome {
  clientId: string;
  invoiceNo: number;
  /** written-back: reported now; up-to-date: nothing new since the last write-back; failed: see reason. */
  outcome: 'written-back' | 'up-to-date' | 'failed';
  reason?: string;
}

export const invoiceWriteBackOutcomeSignal = defineSignal<[InvoiceWriteBackOutcome]>('invoiceWriteBackOutcome');

export interface ClientWriteBackCounts {
  writtenBack: number;
  upToDate: number;
  failed: number;
}

export interface WriteBackFailure {
  clientId: string;
  invoiceNo: number;
  reason: string;
}

export interface WriteBackProgress {
  clients: Record<string, ClientWriteBackCounts>;
  /** The first failures, with reasons (all of them stay visible on the invoices: WriteBack = 'Failed'). */
  failures: WriteBackFailure[];
  /** Invoices asked that had not answered within the wait (they are asked again at the next run). */
  unanswered: number;
  cursor: { clientIndex: number };
  runsSoFar: number;
  done: boolean;
}

export const writeBackProgressQuery = defineQuery<WriteBackProgress>('writeBackProgress');
