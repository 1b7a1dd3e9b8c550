import type { Got, Response } from 'got';
import type { z } from 'zod';
import { ExternalServiceError, httpRefusal } from '../external-service-error';
import { createHttpClient } from '../http-client';
import { describeZodError } from '../poweroffice/v1-schemas';
import {
  bookingReceiptSchema,
  clientIdSchema,
  eventsPageSchema,
  eventsQuerySchema,
  invoiceBookingSchema,
  invoicesByKidQuerySchema,
  kidInvoicesAnswerSchema,
  ledgerErrorSchema,
  paymentReceiptSchema,
  paymentRegistrationSchema,
  type BookInvoiceRequest,
  type BookingReceipt,
  type EventsPage,
  type KidInvoice,
  type PaymentReceipt,
  type PaymentRegistration,
} from './ledger-api';

/** Below the activities' heartbeat timeout, so a hung request ends the attempt before Temporal starts another. */
const REQUEST_TIMEOUT_MS = 10_000;

/** What the activities use; LedgerClient implements it against the ledger (or its emulator). */
export interface FactoringLedger {
  /** Books the invoice once per key; a repeat with the same key answers the first receipt. */
  bookInvoice(request: BookInvoiceRequest, idempotencyKey: string): Promise<BookingReceipt>;
  /** One page of the client's return-data feed, after `after` (from the start without it). */
  events(clientId: string, page: { after?: string; limit: number }): Promise<EventsPage>;
  /** Booked invoices (not credit notes) whose KID is one of `kids` (at most 100), across clients. */
  invoicesByKid(kids: readonly string[]): Promise<KidInvoice[]>;
  /**
   * Registers a payment once per key; a repeat answers the first receipt with `replayed: true`,
   * which tells a transaction imported before from a new one.
   */
  registerPayment(clientId: string, payment: PaymentRegistration, idempotencyKey: string): Promise<PaymentReceipt & { replayed: boolean }>;
}

const SERVICE = 'Factoring Finans ledger' as const;

/**
 * The HTTP adapter for Factoring Finans' ledger; the contract is ledger-api.ts. No retries here:
 * Temporal retries the activity with backoff, and the idempotency key makes a retried booking safe.
 */
export class LedgerClient implements FactoringLedger {
  private readonly http: Got;

  constructor(
    private readonly baseUrl: string,
    private readonly apiKey: string,
    options: { timeoutMs?: number } = {},
  ) {
    this.http = createHttpClient(options.timeoutMs ?? REQUEST_TIMEOUT_MS, { authorization: `Bearer ${apiKey}` });
  }

  async bookInvoice(request: BookInvoiceRequest, idempotencyKey: string): Promise<BookingReceipt> {
    const { clientId, ...booking } = request;
    const body = validOrThrow(invoiceBookingSchema, booking, `booking of invoice ${request.invoiceNo}`);
    const what = `booking ${idempotencyKey}`;
    const response = await this.call(what, () =>
      this.http.post(this.url(`v1/clients/${pathClientId(clientId)}/invoices`), { headers: { 'idempotency-key': idempotencyKey }, json: body }),
    );
    return answerOf(response, bookingReceiptSchema, what);
  }

  async events(clientId: string, page: { after?: string; limit: number }): Promise<EventsPage> {
    const query = validOrThrow(eventsQuerySchema, page, 'events query');
    const searchParams: Record<string, string | number> = { limit: query.limit, ...(query.after === undefined ? {} : { after: query.after }) };
    const what = `events of client ${clientId}`;
    const response = await this.call(what, () => this.http.get(this.url(`v1/clients/${pathClientId(clientId)}/events`), { searchParams }));
    return answerOf(response, eventsPageSchema, what);
  }

  async invoicesByKid(kids: readonly string[]): Promise<KidInvoice[]> {
    const query = validOrThrow(invoicesByKidQuerySchema, { kids: kids.join(',') }, 'KID lookup');
    const what = `invoices of ${query.kids.length} KIDs`;
    const response = await this.call(what, () => this.http.get(this.url('v1/invoices'), { searchParams: { kids: query.kids.join(',') } }));
    return answerOf(response, kidInvoicesAnswerSchema, what).invoices;
  }

  async registerPayment(clientId: string, payment: PaymentRegistration, idempotencyKey: string): Promise<PaymentReceipt & { replayed: boolean }> {
    const body = validOrThrow(paymentRegistrationSchema, payment, `payment of invoice ${payment.invoiceId}`);
    const what = `payment ${idempotencyKey}`;
    const response = await this.call(what, () =>
      this.http.post(this.url(`v1/clients/${pathClientId(clientId)}/payments`), { headers: { 'idempotency-key': idempotencyKey }, json: body }),
    );
    const receipt = answerOf(response, paymentReceiptSchema, what);
    return { ...receipt, replayed: response.headers['idempotent-replayed'] === 'true' };
  }

  private url(path: string): URL {
    return new URL(path, this.baseUrl);
  }

  private async call(what: string, send: () => Promise<Response<string>>): Promise<Response<string>> {
    try {
      return await send();
    } catch (err) {
      // No answer (refused, reset, timed out): the ledger may or may not have it; a retry with
      // the same idempotency key is safe either way.
      throw new ExternalServiceError(SERVICE, `${what}: no response (${err instanceof Error ? err.message : String(err)})`, true);
    }
  }
}

/** A client id goes into the path: a bad one would be refused on every retry, so it never leaves. */
function pathClientId(clientId: string): string {
  return encodeURIComponent(validOrThrow(clientIdSchema, clientId, 'client id'));
}

function validOrThrow<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ExternalServiceError(SERVICE, `${what} not sent, it is invalid: ${describeZodError(parsed.error)}`, false);
  return parsed.data;
}

function answerOf<T>(response: Response<string>, schema: z.ZodType<T>, what: string): T {
  const status = response.statusCode;
  if (status < 200 || status > 299) throw refusal(response, what);
  let json: unknown;
  try {
    json = JSON.parse(response.body);
  } catch {
    throw new ExternalServiceError(SERVICE, `${what}: the answer (HTTP ${status}) was not JSON`, false, status);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new ExternalServiceError(SERVICE, `${what}: unexpected answer: ${describeZodError(parsed.error)}`, false, status);
  return parsed.data;
}

function refusal(response: Response<string>, what: string): ExternalServiceError {
  return httpRefusal(SERVICE, what, response, ledgerErrorText(response.body));
}

/** The ledger answers `{ error }` (409 names the existing entry); anything else is shown shortened. */
function ledgerErrorText(body: string): string {
  try {
    const parsed = ledgerErrorSchema.safeParse(JSON.parse(body));
    if (parsed.success) {
      const entry = parsed.data.ledgerEntryId === undefined ? '' : ` (ledger entry ${parsed.data.ledgerEntryId})`;
      return `${parsed.data.error.slice(0, 300)}${entry}`;
    }
  } catch {
    // not JSON: fall through to the raw text
  }
  return body.slice(0, 300);
}
