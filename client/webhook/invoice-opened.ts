import { QueryNotRegisteredError, QueryRejectedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { invoiceOpenedEventSchema, type InvoiceOpenedEvent } from '../../adapters/distribution/partner-api';
import { invoiceWorkflowId } from '../../domain/workflow-ids';
import { invoiceOpenedSignal, invoiceStatusQuery, STATES_ACCEPTING_OPENED } from '../../workflows/messages';
import type { RecentEvents } from './recent-events';

/**
 * What the webhook answers to a verified `invoice.opened` call, and the one log line about it.
 * Only identifiers are logged: ids, states and field paths, never values from the body.
 */
export type Outcome = 'accepted' | 'duplicate' | 'unauthorized' | 'bad request' | 'too large' | 'unknown invoice' | 'not accepting' | 'unavailable' | 'failed';

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

export type ParsedEvent = { ok: true; event: InvoiceOpenedEvent; workflowId: string } | { ok: false; answer: WebhookAnswer };

/** Raw bytes → event → workflow id; a 400 names the field that broke. */
export function parseEvent(rawBody: Buffer): ParsedEvent {
  let json: unknown;
  try {
    json = JSON.parse(rawBody.toString('utf8'));
  } catch {
    return badRequest('(body)', 'the body is not JSON');
  }
  const parsed = invoiceOpenedEventSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || '(body)';
    return badRequest(field, `${field}: ${issue?.message ?? 'invalid'}`);
  }
  const event = parsed.data;
  const unsafe = unsafeIdField(event);
  if (unsafe) return badRequest(unsafe, `${unsafe} may only contain letters, digits, '-' and '_'`);
  return { ok: true, event, workflowId: invoiceWorkflowId(event.reference.clientId, event.reference.invoiceId) };
}

function badRequest(field: string, error: string): ParsedEvent {
  return { ok: false, answer: answer(400, { error, field }, { outcome: 'bad request', field }) };
}

/** invoiceWorkflowId refuses ids that could not be part of a workflow id; say which one. */
function unsafeIdField(event: InvoiceOpenedEvent): string | undefined {
  const refuses = (make: () => string) => {
    try {
      make();
      return false;
    } catch {
      return true;
    }
  };
  if (refuses(() => invoiceWorkflowId(event.reference.clientId, 'x'))) return 'reference.clientId';
  if (refuses(() => invoiceWorkflowId('x', event.reference.invoiceId))) return 'reference.invoiceId';
  return undefined;
}

export interface SignalDeps {
  temporal: Client;
  recent: RecentEvents;
  /** Bounds each Temporal call, so a missing worker or server gives a 503, not a hanging partner. */
  temporalTimeoutMs: number;
}

/**
 * Finds the invoice's workflow, checks it still takes an opening and signals it. The same eventId
 * again gets the same 202: from `recent`, or, after a restart, because the workflow ignores an
 * eventId it has seen and its state (Opened) still accepts.
 */
export async function signalInvoiceOpened(event: InvoiceOpenedEvent, workflowId: string, deps: SignalDeps): Promise<WebhookAnswer> {
  const ids = { eventId: event.eventId, deliveryId: event.deliveryId, clientId: event.reference.clientId, invoiceId: event.reference.invoiceId, workflowId };
  const accepted = { accepted: true, eventId: event.eventId, workflowId };
  if (deps.recent.wasAccepted(event.eventId, workflowId)) return answer(202, accepted, { outcome: 'duplicate', ...ids });
  const within = <T>(call: () => Promise<T>) => deps.temporal.withDeadline(Date.now() + deps.temporalTimeoutMs, call);
  const handle = deps.temporal.workflow.getHandle(workflowId);
  let step: TemporalStep = 'find';
  try {
    const { status } = await within(() => handle.describe());
    if (status.name !== 'RUNNING') return notAccepting(`the invoice workflow is ${status.name.toLowerCase()}; an opening can no longer be recorded`, ids);
    step = 'query';
    const { state } = await within(() => handle.query(invoiceStatusQuery));
    if (!STATES_ACCEPTING_OPENED.includes(state)) {
      return notAccepting(`the invoice is in state ${state}, which takes no opening (only ${STATES_ACCEPTING_OPENED.join(', ')})`, ids);
    }
    step = 'signal';
    await within(() => handle.signal(invoiceOpenedSignal, { eventId: event.eventId, deliveryId: event.deliveryId, openedAt: event.openedAt }));
  } catch (err) {
    return temporalRefusal(err, step, ids);
  }
  deps.recent.remember(event.eventId, workflowId);
  return answer(202, accepted, { outcome: 'accepted', ...ids });
}

function notAccepting(error: string, ids: Omit<LogFields, 'outcome' | 'status'>): WebhookAnswer {
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
