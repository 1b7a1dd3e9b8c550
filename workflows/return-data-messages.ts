import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { LedgerEventType } from '../adapters/ledger/ledger-api';

/**
 * Signals, queries and IDs of return data, shared by its workflows, the commands and the tests.
 * IDs hold client ids only. The daily runs are `return-data-scheduled-<time>` (the schedule) and
 * `return-data-manual-<time>`; a client's own workflow is `return-data-client-<clientId>`, a prefix
 * no run ID can have, so the two can never meet.
 */
export function clientReturnDataWorkflowId(clientId: string): string {
  return `return-data-client-${clientId}`;
}

export function manualReturnDataWorkflowId(osloCompactTime: string): string {
  return `return-data-manual-${osloCompactTime}`;
}

/** A daily run asks a client's workflow to post what is new in the ledger, and to report back. */
export interface ReturnDataRequest {
  /** The asking run's workflow ID: the report is signalled there, and it tells repeats apart. */
  replyTo: string;
  /** Ledger events read (and vouchers looked up) per page. */
  pageSize: number;
}

export interface ClientReturnDataReport {
  clientId: string;
  /** The run this answers (ReturnDataRequest.replyTo). */
  replyTo: string;
  /**
   * done: every event up to the end of the feed is in PowerOffice GO. blocked: an account, customer
   * or VAT code is missing (problems), nothing of the page was posted. failed: PowerOffice or the
   * ledger refused (failure); the events from there on are tried again by the next run.
   * not-reported: the client's workflow did not answer within the run's wait.
   */
  status: 'done' | 'blocked' | 'failed' | 'not-reported';
  /** Vouchers posted by this run, in total and per event type. */
  posted: number;
  postedByType: Partial<Record<LedgerEventType, number>>;
  /** Events PowerOffice already had a voucher for (same ExternalImportReference): not posted again. */
  alreadyPosted: number;
  problems?: string[];
  failure?: { eventId?: string; reason: string };
}

export interface ReturnDataRunReport {
  /** Oslo date the run started. */
  date: string;
  clients: Record<string, ClientReturnDataReport>;
  /** Active clients that have not ordered return data (no account mapping). */
  skipped: string[];
  done: boolean;
}

/** What a client's return-data workflow holds: the durable cursor into the ledger's feed. */
export interface ClientReturnDataState {
  clientId: string;
  /** The feed position after the last page fully posted; absent before the first event. */
  cursor?: string;
  waitingRequests: number;
  lastReport?: ClientReturnDataReport;
}

export const returnDataRequestedSignal = defineSignal<[ReturnDataRequest]>('returnDataRequested');
export const clientReturnDataReportedSignal = defineSignal<[ClientReturnDataReport]>('clientReturnDataReported');
export const returnDataRunQuery = defineQuery<ReturnDataRunReport>('returnDataRun');
export const clientReturnDataQuery = defineQuery<ClientReturnDataState>('clientReturnData');
