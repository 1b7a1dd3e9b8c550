import { QueryNotRegisteredError, QueryRejectedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { invoiceOpenedEventSchema, type InvoiceOpenedEvent } from '../../adapters/distribution/partner-api';
import { guidInvoiceWorkflowId, invoiceWorkflowId } from '../../domain/workflow-ids';
import { ClientId as ClientIdKey, InvoiceId } from '../../workflows/search-attributes';
import { invoiceOpenedSignal, invoiceStatusQuery, STATES_ACCEPTING_OPENED, type InvoiceStatus } from '../../workflows/messages';
import type { RecentEvents } from './recent-events';

/**
 * What the webhook answers to a verified `invoice.opened` call, and the one log line about it.
 * Only identifiers are logged: ids, states and field paths, never values from the body.
 */
export type Outcome =
  | 'accepted'
  | 'duplicate'
  | 'already recorded'
  | 'unauthorized'
  | 'bad request'
  | 'too large'
  | 'unknown invoice'
  | 'not accepting'
  | 'mismatch'
  | 'unavailable'
  | 'failed';

export interface LogFields {
  outcome: Outcome;
  status: number;
  reason?: string;
  field?: string;
  eventId?: string;
  deliveryId?: string;
  clientId?: string;
  invoiceId?: string;
  workflowId?: string;
}

export interface WebhookAnswer {
  status: number;
  body: Record<string, unknown>;
  log: LogFields;
}

export function answer(status: number, body: Record<string, unknown>, log: Omit<LogFields, 'status'>): WebhookAnswer {
  return { status, body, log: { ...log, status } };
}

export type ParsedEvent = { ok: true; event: InvoiceOpenedEvent; workflowIds: string[] } | { ok: false; answer: WebhookAnswer };

/**
 * The ids the invoice's workflow may have, most likely first: its number (`invoice-<clientId>-<no>`,
 * or `credit-note-…`: the reference does not say which it is), then its GUID, the id of invoices
 * started before ids held the number (domain/workflow-ids.ts), which wait for openings for days.
 */
function candidateWorkflowIds(reference: InvoiceOpenedEvent['reference']): string[] {
  const { clientId, invoiceId, invoiceNo } = reference;
  const ids = [invoiceWorkflowId({ clientId, invoiceNo, documentType: 'Invoice' }), invoiceWorkflowId({ clientId, invoiceNo, documentType: 'CreditNote' }), guidInvoiceWorkflowId(clientId, invoiceId)];
  return [...new Set(ids)];
}

/**
 * Raw bytes → event → the ids its workflow may have; a 400 names the field that broke. Every id's
 * format is checked here (partner-api.ts), so each id built from the reference names one invoice only.
 */
export function parseEvent(rawBody: Buffer): ParsedEvent {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(rawBody));
  } catch {
    return badRequest('(body)', 'the body is not JSON (UTF-8)');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return badRequest('(body)', 'the body is not a JSON object');
  const parsed = invoiceOpenedEventSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || '(body)';
    const missing = issue?.code === 'invalid_type' && issue.message.endsWith('received undefined');
    return badRequest(field, missing ? `${field} is missing` : `${field}: ${issue?.message ?? 'invalid'}`);
  }
  const event = parsed.data;
  return { ok: true, event, workflowIds: candidateWorkflowIds(event.reference) };
}

function badRequest(field: string, error: string): ParsedEvent {
  return { ok: false, answer: answer(400, { error, field }, { outcome: 'bad request', field }) };
}

export interface SignalDeps {
  temporal: Client;
  recent: RecentEvents;
  /** Bounds each Temporal call, so a missing worker or server gives a 503, not a hanging partner. */
  temporalTimeoutMs: number;
}

/**
 * Finds the invoice's workflow, checks that the event is about this invoice (its number, one of its
 * e-mails with link) and that it still takes an opening, and signals it. An invoice already opened
 * is answered 200 "already recorded" without a signal, so repeats add nothing to its history; the
 * same eventId again within this process gets the same 202 (from `recent`).
 */
export async function signalInvoiceOpened(event: InvoiceOpenedEvent, workflowIds: string[], deps: SignalDeps): Promise<WebhookAnswer> {
  const invoiceKey = `${event.reference.clientId}:${event.reference.invoiceId}`;
  const ids: Ids = { eventId: event.eventId, deliveryId: event.deliveryId, clientId: event.reference.clientId, invoiceId: event.reference.invoiceId };
  const acceptedBefore = deps.recent.acceptedFor(event.eventId, invoiceKey);
  if (acceptedBefore !== undefined) return answer(202, { accepted: true, eventId: event.eventId, workflowId: acceptedBefore }, { outcome: 'duplicate', ...ids, workflowId: acceptedBefore });
  const within = <T>(call: () => Promise<T>) => deps.temporal.withDeadline(Date.now() + deps.temporalTimeoutMs, call);
  let step: TemporalStep = 'find';
  let workflowId: string | undefined;
  try {
    const found = await findWorkflow(event, workflowIds, deps.temporal, within);
    if (found === 'other number') return mismatch('reference.invoiceNo', `reference.invoiceNo ${event.reference.invoiceNo} is not the number of invoice ${event.reference.invoiceId}`, ids);
    if (found === undefined) return answer(404, { error: `no workflow for invoice ${ids.invoiceId} of client ${ids.clientId}` }, { outcome: 'unknown invoice', ...ids });
    workflowId = found.workflowId;
    const withId: Ids = { ...ids, workflowId };
    if (found.status !== 'RUNNING') return notAccepting(`the invoice workflow is ${found.status.toLowerCase()}; an opening can no longer be recorded`, withId);
    const handle = deps.temporal.workflow.getHandle(workflowId);
    step = 'query';
    const status = await within(() => handle.query(invoiceStatusQuery));
    const refusal = refusalBeforeSignal(event, status, withId);
    if (refusal) return refusal;
    if (status.openedAt !== undefined) {
      return answer(200, { accepted: true, alreadyRecorded: true, eventId: event.eventId, workflowId }, { outcome: 'already recorded', ...withId });
    }
    step = 'signal';
    await within(() => handle.signal(invoiceOpenedSignal, { eventId: event.eventId, deliveryId: event.deliveryId, openedAt: event.openedAt }));
  } catch (err) {
    return temporalRefusal(err, step, { ...ids, ...(workflowId !== undefined ? { workflowId } : {}) });
  }
  deps.recent.remember(event.eventId, invoiceKey, workflowId);
  return answer(202, { accepted: true, eventId: event.eventId, workflowId }, { outcome: 'accepted', ...ids, workflowId });
}

/**
 * The first of `workflowIds` that names this invoice: an id by number must carry the event's GUID
 * (InvoiceId), else it is another document with that number; the GUID id is the invoice itself.
 * None: 'other number' when a workflow carries the GUID under another number (the event's number
 * is wrong), else undefined. Describe reads the workflow itself (no visibility lag); visibility is
 * asked only when no id matched, and the invoice was started long before its e-mail was opened.
 */
async function findWorkflow(
  event: InvoiceOpenedEvent,
  workflowIds: string[],
  temporal: Client,
  within: <T>(call: () => Promise<T>) => Promise<T>,
): Promise<{ workflowId: string; status: string } | 'other number' | undefined> {
  const guidId = guidInvoiceWorkflowId(event.reference.clientId, event.reference.invoiceId);
  for (const workflowId of workflowIds) {
    try {
      const description = await within(() => temporal.workflow.getHandle(workflowId).describe());
      const invoiceId = description.typedSearchAttributes.get(InvoiceId);
      if (workflowId === guidId ? invoiceId === undefined || invoiceId === event.reference.invoiceId : invoiceId === event.reference.invoiceId) {
        return { workflowId, status: description.status.name };
      }
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
  }
  const query = `${ClientIdKey.name} = '${event.reference.clientId}' AND ${InvoiceId.name} = '${event.reference.invoiceId}'`;
  const elsewhere = await within(async () => {
    for await (const _execution of temporal.workflow.list({ query, pageSize: 1 })) return true;
    return false;
  });
  return elsewhere ? 'other number' : undefined;
}

type Ids = Omit<LogFields, 'outcome' | 'status'>;

/** The event must name this invoice's number and one of its e-mails with link, in a state that takes an opening. */
function refusalBeforeSignal(event: InvoiceOpenedEvent, status: InvoiceStatus, ids: Ids): WebhookAnswer | undefined {
  if (status.invoiceNo !== undefined && status.invoiceNo !== event.reference.invoiceNo) {
    return mismatch('reference.invoiceNo', `reference.invoiceNo ${event.reference.invoiceNo} is not the number of invoice ${event.reference.invoiceId}`, ids);
  }
  if (!STATES_ACCEPTING_OPENED.includes(status.state)) {
    return notAccepting(`the invoice is in state ${status.state}, which takes no opening (only ${STATES_ACCEPTING_OPENED.join(', ')})`, ids);
  }
  if (!status.sends.some((send) => send.channel === 'email-link' && send.deliveryId === event.deliveryId)) {
    return mismatch('deliveryId', `deliveryId ${event.deliveryId} is not an e-mail with link sent for invoice ${event.reference.invoiceId}`, ids);
  }
  return undefined;
}

function mismatch(field: string, error: string, ids: Ids): WebhookAnswer {
  return answer(422, { error, field }, { outcome: 'mismatch', reason: error, field, ...ids });
}

function notAccepting(error: string, ids: Ids): WebhookAnswer {
  return answer(409, { error }, { outcome: 'not accepting', reason: error, ...ids });
}

type TemporalStep = 'find' | 'query' | 'signal';

/**
 * Not found at the first look: no such invoice (404). Gone after that look: the workflow closed
 * in between (409). Anything else (no server, no worker, a deadline): the partner should retry (503).
 */
function temporalRefusal(err: unknown, step: TemporalStep, ids: Omit<LogFields, 'outcome' | 'status'>): WebhookAnswer {
  if (err instanceof WorkflowNotFoundError && step === 'find') {
    return answer(404, { error: `no workflow for invoice ${ids.invoiceId} of client ${ids.clientId}` }, { outcome: 'unknown invoice', ...ids });
  }
  if (err instanceof WorkflowNotFoundError || err instanceof QueryRejectedError) {
    return notAccepting('the invoice workflow closed; an opening can no longer be recorded', ids);
  }
  if (err instanceof QueryNotRegisteredError) return notAccepting('the workflow with this invoice id does not answer the invoice status query', ids);
  const reason = err instanceof Error ? err.message : String(err);
  return answer(503, { error: 'the invoice could not be reached right now; try again later' }, { outcome: 'unavailable', reason, ...ids });
}
