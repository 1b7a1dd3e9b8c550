import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { clientIdSchema, eventsQuerySchema, invoiceBookingSchema, invoicesByKidQuerySchema, paymentRegistrationSchema } from '../../adapters/ledger/ledger-api';
import { describeZodError } from '../../adapters/poweroffice/v1-schemas';
import type { FaultInjector } from '../faults';
import type { LedgerStore } from './ledger-store';
import type { PaymentRegister } from './payment-register';

/**
 * The ledger's API as adapters/ledger/ledger-api.ts describes it: bearer API key, booking with
 * `Idempotency-Key`, the return-data feed, and OCR giro payments (KID lookup, registration with
 * `Idempotency-Key`). Faults are injected on these routes only.
 */
export interface LedgerApiOptions {
  apiKey: string;
  store: LedgerStore;
  payments: PaymentRegister;
  faults: FaultInjector;
}

const clientParamsSchema = z.object({ clientId: clientIdSchema });

export function registerLedgerApi(app: FastifyInstance, options: LedgerApiOptions, adminPrefix: string): void {
  void app.register(async (api) => {
    options.faults.install(api, adminPrefix);
    api.addHook('onRequest', async (request, reply) => {
      if (request.headers.authorization !== `Bearer ${options.apiKey}`) await reply.code(401).send({ error: 'invalid api key' });
    });
    api.post('/v1/clients/:clientId/invoices', (request, reply) => book(request, reply, options.store));
    api.get('/v1/clients/:clientId/events', (request, reply) => events(request, reply, options.store));
    api.get('/v1/invoices', (request, reply) => invoicesByKid(request, reply, options.payments));
    api.post('/v1/clients/:clientId/payments', (request, reply) => registerPayment(request, reply, options.payments));
  });
}

async function book(request: FastifyRequest, reply: FastifyReply, store: LedgerStore): Promise<FastifyReply> {
  const parsed = idempotentWrite(request, invoiceBookingSchema);
  if (!parsed.ok) return reply.code(400).send({ error: parsed.error });
  const { clientId, key, body } = parsed;

  const result = store.book(clientId, key, body);
  switch (result.outcome) {
    case 'created':
    case 'replayed':
    case 'key-reused':
      return sendIdempotentOutcome(reply, result);
    case 'already-booked':
      return reply.code(409).send({
        error: `invoice ${body.invoiceId} of client ${clientId} is booked already, under another Idempotency-Key`,
        ledgerEntryId: result.ledgerEntryId,
      });
  }
}

async function events(request: FastifyRequest, reply: FastifyReply, store: LedgerStore): Promise<FastifyReply> {
  const params = clientParamsSchema.safeParse(request.params);
  if (!params.success) return reply.code(400).send({ error: describeZodError(params.error) });
  const query = eventsQuerySchema.safeParse(request.query);
  if (!query.success) return reply.code(400).send({ error: describeZodError(query.error) });
  const page = store.readEvents(params.data.clientId, query.data.after, query.data.limit);
  if (!page.ok) return reply.code(400).send({ error: page.error });
  return reply.code(200).send({ events: page.events, nextCursor: page.nextCursor, hasMore: page.hasMore });
}

async function invoicesByKid(request: FastifyRequest, reply: FastifyReply, payments: PaymentRegister): Promise<FastifyReply> {
  const query = invoicesByKidQuerySchema.safeParse(request.query);
  if (!query.success) return reply.code(400).send({ error: describeZodError(query.error) });
  return reply.code(200).send({ invoices: payments.invoicesByKid(query.data.kids) });
}

async function registerPayment(request: FastifyRequest, reply: FastifyReply, payments: PaymentRegister): Promise<FastifyReply> {
  const parsed = idempotentWrite(request, paymentRegistrationSchema);
  if (!parsed.ok) return reply.code(400).send({ error: parsed.error });
  const { clientId, key, body } = parsed;

  const result = payments.register(clientId, key, body);
  switch (result.outcome) {
    case 'created':
    case 'replayed':
    case 'key-reused':
      return sendIdempotentOutcome(reply, result);
    case 'unknown-invoice':
      return reply.code(404).send({ error: `invoice ${body.invoiceId} is not booked for client ${clientId}` });
    case 'wrong-kid':
      return reply.code(422).send({ error: `KID ${body.kid} is not the KID of invoice ${body.invoiceId}` });
  }
}

/** The path's client, the `Idempotency-Key` header and the body of a write (booking, payment), or what is wrong with them. */
function idempotentWrite<T extends z.ZodType>(
  request: FastifyRequest,
  bodySchema: T,
): { ok: true; clientId: string; key: string; body: z.infer<T> } | { ok: false; error: string } {
  const params = clientParamsSchema.safeParse(request.params);
  if (!params.success) return { ok: false, error: describeZodError(params.error) };
  const key = request.headers['idempotency-key'];
  if (typeof key !== 'string' || key.length === 0 || key.length > 255) return { ok: false, error: 'Idempotency-Key header (1-255 characters) is required' };
  const body = bodySchema.safeParse(request.body);
  if (!body.success) return { ok: false, error: describeZodError(body.error) };
  return { ok: true, clientId: params.data.clientId, key, body: body.data };
}

/** The answers every idempotent write shares: first time, replay of the same request, key reused for another. */
function sendIdempotentOutcome(reply: FastifyReply, result: { outcome: 'created' | 'replayed'; receipt: unknown } | { outcome: 'key-reused' }): FastifyReply {
  switch (result.outcome) {
    case 'created':
      return reply.code(201).send(result.receipt);
    case 'replayed':
      return reply.code(200).header('idempotent-replayed', 'true').send(result.receipt);
    case 'key-reused':
      return reply.code(422).send({ error: 'Idempotency-Key reused with a different request' });
  }
}
