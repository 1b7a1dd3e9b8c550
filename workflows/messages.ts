import { defineQuery } from '@temporalio/workflow';
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
