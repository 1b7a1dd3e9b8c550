import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { z } from 'zod';
import { FaultInjector, type FaultBody } from '../faults';
import { registerLedgerAdmin } from './admin-routes';
import { registerLedgerApi } from './api-routes';
import { LedgerStore } from './ledger-store';
import { PaymentRegister } from './payment-register';

/**
 * A stand-in for Factoring Finans' ledger over real HTTP, speaking the contract in
 * adapters/ledger/ledger-api.ts: booking (/v1/clients/:clientId/invoices, Idempotency-Key honoured:
 * same key and body replays, other body 422, same invoice under another key 409) and the
 * return-data feed (/v1/clients/:clientId/events, cursor-paged), the KID lookup (/v1/invoices?kids=) and
 * payment registration (/v1/clients/:clientId/payments, Idempotency-Key honoured). Tests feed events, read the
 * bookings and order faults through the admin API (/_emulator).
 */
export const LEDGER_ADMIN_PREFIX = '/_emulator';

export type { BookedInvoice } from './ledger-store';

export interface LedgerEmulatorOptions {
  apiKey: string;
  logger?: boolean;
}

export interface LedgerEmulator {
  app: FastifyInstance;
  faults: FaultInjector;
  /** Bookings and event logs, for tests that look without HTTP. */
  store: LedgerStore;
  /** Payments registered from OCR giro files. */
  payments: PaymentRegister;
}

/** What a restart keeps (emulators/start.ts): bookings, events, payments, fault settings and counts. */
export type LedgerRecords = Pick<LedgerEmulator, 'store' | 'payments' | 'faults'>;

const optionsSchema = z.object({ apiKey: z.string().min(1), logger: z.boolean().default(false) });

/** The ledger's error dialect, for injected faults too. */
const ledgerFaultBody: FaultBody = (status) => ({ error: status === 429 ? 'Too Many Requests' : `Injected fault (HTTP ${status})` });

/** A fresh app; around `kept`, the records of an instance that was closed, for a restart on the same data. */
export function buildLedgerEmulator(input: LedgerEmulatorOptions, kept?: LedgerRecords): LedgerEmulator {
  const options = optionsSchema.parse(input);
  // An injected hang must not hold close() up.
  const app = Fastify({ logger: options.logger, forceCloseConnections: true });
  const { faults, store, payments } = kept ?? newLedgerRecords();

  app.setErrorHandler((error: FastifyError, _request, reply) => {
    const status = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
    return reply.code(status).send({ error: status === 500 ? 'internal error in the emulator' : error.message });
  });

  registerLedgerApi(app, { apiKey: options.apiKey, store, payments, faults }, LEDGER_ADMIN_PREFIX);
  registerLedgerAdmin(app, LEDGER_ADMIN_PREFIX, store, payments, faults);
  return { app, faults, store, payments };
}

function newLedgerRecords(): LedgerRecords {
  const store = new LedgerStore();
  return { store, payments: new PaymentRegister(store), faults: new FaultInjector(Math.random, ledgerFaultBody) };
}
