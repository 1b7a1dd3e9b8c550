import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { DocumentType } from '../domain/invoice';
import type { DistributionStateValue } from './search-attributes';

/** Queries shared by workflows, admin scripts and tests. */

export interface ClientBatchCounts {
  started: number;
  /** Invoices whose workflow already existed (an earlier run or the other daily batch). */
  alreadyStarted: number;
  byDocumentType: Record<DocumentType, number>;
}

export interface BatchProgress {
  clients: Record<string, ClientBatchCounts>;
  /** Current position, so a continued run and an operator both know where the batch is. */
  cursor: { clientIndex: number; afterInvoiceNo?: number };
  runsSoFar: number;
  done: boolean;
}

export const batchProgressQuery = defineQuery<BatchProgress>('batchProgress');

export interface InvoiceStatus {
  state: DistributionStateValue;
  channel?: string;
  deliveryId?: string;
  deliveredAt?: string;
  failure?: string;
}

export const invoiceStatusQuery = defineQuery<InvoiceStatus>('invoiceStatus');

/**
 * The end customer opened an e-mailed invoice by entering its access code on the partner's page.
 * Sent by the webhook (client/webhook). `eventId` makes repeats harmless.
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
