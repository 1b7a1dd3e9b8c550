import { ServiceError, type Client, type WorkflowExecutionInfo } from '@temporalio/client';
import { invoiceStatusQuery, type InvoiceStatus } from '../workflows/messages';
import { DistributionState, InvoiceNo, Kid } from '../workflows/search-attributes';
import { Refusal } from './command-line';
import { reasonsOf } from './rejected-invoices';

/** One invoice as an operator asks for it: by client and invoice number, its latest run. */
export interface InvoiceFound {
  clientId: string;
  invoiceNo: number;
  workflowId: string;
  runId: string;
  /** Running, Completed, Failed, …: the run's own status in Temporal. */
  runStatus: string;
  startedAt: string;
  closedAt?: string;
  /** Earlier runs of the same invoice (a failed invoice tried again by a later batch). */
  earlierRuns: number;
  status: InvoiceStatus;
}

/** How long a status query may wait for a worker before the command says so (an idle worker answers in milliseconds). */
export const QUERY_PATIENCE_MS = 10_000;

/** How an operator names the invoice: its number in PowerOffice GO, or its KID (read out by the customer). */
export type InvoiceKey = { invoiceNo: number } | { kid: string };

/** A KID as Norwegian banks accept it: digits, the last a MOD10 or MOD11 check digit ('-' for MOD11's 10). */
export const KID_PATTERN = /^\d{1,24}[\d-]$/;


/**
 * Finds the invoice's workflow through visibility (ClientId and InvoiceNo are search attributes),
 * then asks it for its status; a closed run is answered from its history by a worker too. A Rejected
 * or Failed run gives its reasons from its failure when the query cannot.
 */
export async function findInvoice(temporal: Client, clientId: string, key: InvoiceKey): Promise<InvoiceFound> {
  const runs: WorkflowExecutionInfo[] = [];
  // Both values are checked by the command's parsers (a client id, a whole number, a KID's digits).
  const by = 'kid' in key ? `${Kid.name} = '${key.kid}'` : `InvoiceNo = ${key.invoiceNo}`;
  const query = `WorkflowType = 'invoiceWorkflow' AND ClientId = '${clientId}' AND ${by}`;
  for await (const run of temporal.workflow.list({ query })) runs.push(run);
  if (runs.length === 0) {
    if ('kid' in key) throw new Refusal(`client ${clientId} has no invoice with KID ${key.kid} in Temporal (a KID is known once the invoice has been assessed, by invoices started since steps revision 6); is the KID right?`);
    throw new Refusal(`client ${clientId} has no invoice ${key.invoiceNo} in Temporal: no batch has fetched it (is it available for factoring in PowerOffice GO, and is the number right?)`);
  }
  const ids = new Set(runs.map((run) => run.workflowId));
  if (ids.size > 1) throw new Refusal(`client ${clientId} has ${ids.size} invoices ${'kid' in key ? `with KID ${key.kid}` : `numbered ${key.invoiceNo}`} (${[...ids].join(', ')}); PowerOffice GO should never give one number twice: ask the client which one is meant`);
  const latest = runs.reduce((a, b) => (b.startTime > a.startTime ? b : a));
  const invoiceNo = 'kid' in key ? (latest.typedSearchAttributes.get(InvoiceNo) ?? 0) : key.invoiceNo;
  const status = await statusOf(temporal, latest);
  return {
    clientId,
    invoiceNo,
    workflowId: latest.workflowId,
    runId: latest.runId,
    runStatus: latest.status.name,
    startedAt: latest.startTime.toISOString(),
    ...(latest.closeTime ? { closedAt: latest.closeTime.toISOString() } : {}),
    earlierRuns: runs.length - 1,
    status,
  };
}

async function statusOf(temporal: Client, run: WorkflowExecutionInfo): Promise<InvoiceStatus> {
  const handle = temporal.workflow.getHandle(run.workflowId, run.runId);
  try {
    return await temporal.connection.withDeadline(Date.now() + QUERY_PATIENCE_MS, () => handle.query(invoiceStatusQuery));
  } catch (err) {
    const state = run.typedSearchAttributes.get(DistributionState) ?? 'Fetched';
    const invoiceNo = run.typedSearchAttributes.get(InvoiceNo);
    // Without a worker to answer, what visibility and the run's failure tell is still the truth.
    // A closed run's failure holds them; a running Rejected invoice (revision 6) only answers a query.
    if (run.closeTime && (state === 'Rejected' || state === 'Failed')) return { state, ...(invoiceNo !== undefined ? { invoiceNo } : {}), sends: [], reasons: await reasonsOf(temporal, run.workflowId, run.runId) };
    // A query is answered by a worker: no answer in time almost always means none polls the queue.
    if (err instanceof ServiceError) throw new Refusal(`invoice ${run.workflowId} is in state ${state}, but no worker answered within ${QUERY_PATIENCE_MS / 1000} s for its details; is a worker running (npm run worker)?`);
    throw err;
  }
}
