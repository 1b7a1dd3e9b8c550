import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  administrativeFeeEventSchema,
  balanceChangeEventSchema,
  clientIdSchema,
  financialFeeEventSchema,
  paymentEventSchema,
  payoutEventSchema,
  ledgerEventSchema,
} from '../../adapters/ledger/ledger-api';
import { describeZodError } from '../../adapters/poweroffice/v1-schemas';
import { osloIso } from '../../domain/oslo-time';
import type { FaultInjector } from '../faults';
import type { LedgerStore } from './ledger-store';
import type { PaymentRegister } from './payment-register';

/**
 * The ledger emulator's admin API under /_emulator: what was booked (with how many requests each
 * invoice got, so a test can prove "booked exactly once"), events to feed, and faults. Never faulted.
 */
export const ADMIN_ROUTES = [
  'GET  /_emulator                            this list',
  'GET  /_emulator/invoices?clientId=         booked invoices, with bookingRequests / replays / duplicatesRefused',
  'POST /_emulator/clients/:clientId/events   append events to the feed: { events: [{ type, ... }] } (eventId optional)',
  'GET  /_emulator/clients/:clientId/events   the whole feed of one client',
  'GET  /_emulator/payments?clientId=         registered payments, with requests (first + replays)',
  'GET  /_emulator/faults                     fault settings and counts (afterProcessing.byRoute: answers lost after the write)',
  'POST /_emulator/faults                     configure faults of the ledger API (/v1/…)',
];

/** An event as a test writes it: the ledger stamps `recordedAt` and, unless given, `eventId`. */
function eventInput<S extends z.ZodObject>(schema: S) {
  return z.strictObject({ ...schema.omit({ eventId: true, recordedAt: true }).shape, eventId: z.string().min(1).max(100).optional() });
}
const eventInputSchema = z.discriminatedUnion('type', [
  eventInput(paymentEventSchema),
  eventInput(administrativeFeeEventSchema),
  eventInput(financialFeeEventSchema),
  eventInput(payoutEventSchema),
  eventInput(balanceChangeEventSchema),
]);
const appendEventsSchema = z.strictObject({ events: z.array(eventInputSchema).min(1).max(1000) });
const clientParamsSchema = z.object({ clientId: clientIdSchema });
const invoicesQuerySchema = z.object({ clientId: clientIdSchema.optional() });

export function registerLedgerAdmin(app: FastifyInstance, prefix: string, store: LedgerStore, payments: PaymentRegister, faults: FaultInjector): void {
  app.get(prefix, async () => ({ routes: ADMIN_ROUTES }));

  app.get(`${prefix}/invoices`, async (request, reply) => {
    const query = invoicesQuerySchema.safeParse(request.query);
    if (!query.success) return reply.code(400).send({ error: describeZodError(query.error) });
    return { invoices: store.bookedInvoices(query.data.clientId) };
  });

  app.post(`${prefix}/clients/:clientId/events`, async (request, reply) => {
    const params = clientParamsSchema.safeParse(request.params);
    const body = appendEventsSchema.safeParse(request.body);
    if (!params.success) return reply.code(400).send({ error: describeZodError(params.error) });
    if (!body.success) return reply.code(400).send({ error: describeZodError(body.error) });
    const recordedAt = osloIso(new Date());
    // Stamped, the input is a feed event; parsing it again gives it the feed's type.
    const events = body.data.events.map((input) => ledgerEventSchema.parse({ ...input, eventId: input.eventId ?? `ev_${randomUUID()}`, recordedAt }));
    const appended = store.appendEvents(params.data.clientId, events);
    if (!appended.ok) return reply.code(409).send({ error: appended.error });
    return reply.code(201).send({ events });
  });

  app.get(`${prefix}/clients/:clientId/events`, async (request, reply) => {
    const params = clientParamsSchema.safeParse(request.params);
    if (!params.success) return reply.code(400).send({ error: describeZodError(params.error) });
    const read = store.readEvents(params.data.clientId, undefined, Number.MAX_SAFE_INTEGER);
    return { events: read.ok ? read.events : [] };
  });

  app.get(`${prefix}/payments`, async (request, reply) => {
    const query = invoicesQuerySchema.safeParse(request.query);
    if (!query.success) return reply.code(400).send({ error: describeZodError(query.error) });
    return { payments: payments.registeredPayments(query.data.clientId) };
  });

  app.get(`${prefix}/faults`, async () => faults.report());
  app.post(`${prefix}/faults`, async (request, reply) => {
    try {
      return faults.configure(request.body ?? {});
    } catch (err) {
      if (err instanceof z.ZodError) return reply.code(400).send({ error: describeZodError(err) });
      throw err;
    }
  });
}
