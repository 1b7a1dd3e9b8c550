import { createHmac, randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { toFactoringDocument } from '../../activities/fetch-available-invoices';
import { factoringInvoiceDetailsSchema } from '../../adapters/poweroffice/v1-schemas';
import { buildWebhookServer, INVOICE_OPENED_PATH } from '../../client/webhook/server';
import { invoiceWorkflowId } from '../../domain/workflow-ids';
import { invoiceWorkflow } from '../../workflows/invoice-workflow';
import { invoiceStatusQuery } from '../../workflows/messages';
import { ClientId, InvoiceId } from '../../workflows/search-attributes';
import { eventually } from '../helpers/eventually';
import { seedWithInvoices, startService, type ServiceUnderTest } from '../helpers/service';

/**
 * The real invoice workflow, sent by e-mail with link through the emulators and waiting for
 * "opened", for tests of the webhook in front of it; and the webhook itself on loopback.
 */
export const SECRET = 'test-webhook-secret-for-bad-input';
const NOT_IN_PEPPOL = '910000012';

export interface WaitingInvoice {
  clientId: string;
  invoiceId: string;
  invoiceNo: number;
  /** The e-mail with link the invoice sent: the only delivery that can open it. */
  deliveryId: string;
  handle: WorkflowHandle<typeof invoiceWorkflow>;
}

/** `count` invoices of one client to customers with an e-mail address and no EHF: each ends up Waiting. */
export async function startWaitingInvoices(env: TestWorkflowEnvironment, count: number): Promise<{ service: ServiceUnderTest; invoices: WaitingInvoice[] }> {
  const seed = seedWithInvoices(count);
  for (const customer of seed.companies[0]!.customers) customer.OrganizationNumber = NOT_IN_PEPPOL;
  const service = await startService(env, seed);
  const invoices: WaitingInvoice[] = [];
  for (const seeded of seed.companies[0]!.availableInvoices) {
    const document = toFactoringDocument(seed.clientId, factoringInvoiceDetailsSchema.parse(seeded));
    const handle = await env.client.workflow.start(invoiceWorkflow, {
      // As a batch starts it: its number in the id, its GUID in InvoiceId (where the webhook checks it).
      workflowId: invoiceWorkflowId(document),
      taskQueue: service.taskQueue,
      args: [{ document }],
      typedSearchAttributes: [{ key: ClientId, value: document.clientId }, { key: InvoiceId, value: document.invoiceId }],
    });
    const status = await eventually(() => handle.query(invoiceStatusQuery), (s) => s.state === 'Waiting', 60_000);
    if (status.state !== 'Waiting') throw new Error(`invoice ${document.invoiceNo} is ${status.state}, not Waiting: ${JSON.stringify(status.reasons)}`);
    invoices.push({ clientId: seed.clientId, invoiceId: document.invoiceId, invoiceNo: document.invoiceNo, deliveryId: status.sends[0]!.deliveryId, handle });
  }
  return { service, invoices };
}

export type LogLine = Record<string, unknown>;

/** Our webhook on a loopback port, its log lines kept for the test. */
export async function startWebhook(env: TestWorkflowEnvironment): Promise<{ app: FastifyInstance; url: string; origin: string; logLines: LogLine[] }> {
  const logLines: LogLine[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => logLines.push(JSON.parse(line) as LogLine) });
  const app = buildWebhookServer({ temporal: env.client, secret: SECRET, logger });
  const origin = await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, url: `${origin}${INVOICE_OPENED_PATH}`, origin, logLines };
}

export function sign(rawBody: Buffer | string, options: { secret?: string; unixSeconds?: number } = {}): { timestamp: string; signature: string } {
  const timestamp = String(options.unixSeconds ?? Math.floor(Date.now() / 1000));
  const signature = `sha256=${createHmac('sha256', options.secret ?? SECRET).update(`${timestamp}.`).update(rawBody).digest('hex')}`;
  return { timestamp, signature };
}

export function signedHeaders(rawBody: Buffer | string, contentType = 'application/json'): Record<string, string> {
  const { timestamp, signature } = sign(rawBody);
  return { 'content-type': contentType, 'x-ff-timestamp': timestamp, 'x-ff-signature': signature };
}

/** A valid `invoice.opened` event for the invoice, as the partner would send it. */
export function openedEventFor(invoice: WaitingInvoice) {
  return {
    eventId: `evt_${randomUUID()}`,
    type: 'invoice.opened',
    deliveryId: invoice.deliveryId,
    reference: { clientId: invoice.clientId, invoiceId: invoice.invoiceId, invoiceNo: invoice.invoiceNo },
    openedAt: new Date().toISOString(),
  };
}

/** No workflow task waiting or running after this event: the worker has handled everything before it. */
export function settled(last: temporal.api.history.v1.IHistoryEvent | undefined): boolean {
  if (!last) return false;
  return !(last.workflowTaskScheduledEventAttributes ?? last.workflowTaskStartedEventAttributes ?? last.workflowExecutionSignaledEventAttributes ?? last.workflowExecutionStartedEventAttributes);
}

/** The workflow's history once the worker has handled everything in it. */
async function settledEvents(handle: WorkflowHandle) {
  const history = await eventually(
    () => handle.fetchHistory(),
    (h) => settled(h.events?.at(-1)),
  );
  return history.events ?? [];
}

export async function historyLength(handle: WorkflowHandle): Promise<number> {
  return (await settledEvents(handle)).length;
}

/** How many signals of any kind reached the workflow. */
export async function signalsReceived(handle: WorkflowHandle): Promise<number> {
  return (await settledEvents(handle)).filter((e) => e.workflowExecutionSignaledEventAttributes != null).length;
}
