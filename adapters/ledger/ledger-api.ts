import { z } from 'zod';
import { clientIdSchema } from '../../domain/client-settings';
import { KID_MAX_LENGTH, KID_MIN_LENGTH } from '../../domain/kid';

/**
 * Factoring Finans' own factoring ledger ("fakturareskontro"): where a bought invoice is booked,
 * and where payments, fees, payouts and balance changes arise that return data posts back into the
 * client's PowerOffice GO. There is no public reference for it; this file is its contract, shared
 * by our HTTP adapter (ledger-client.ts) and the emulator (emulators/ledger/).
 *
 * General rules
 * - Every /v1 request carries `Authorization: Bearer <api key>`; otherwise 401 `{ error }`.
 * - Every error answer is JSON `{ error: string }` (409 adds `ledgerEntryId`).
 * - 429 with `Retry-After` (seconds) when throttled; 5xx when the ledger is unwell. Both are
 *   worth another try; other 4xx are not.
 * - Money is integer øre (a safe integer) everywhere, never a decimal: 1 234,50 kr is 123450.
 * - Dates are `YYYY-MM-DD` (Norwegian calendar dates); instants ISO 8601 with an offset.
 *
 * POST /v1/clients/{clientId}/invoices: book one bought invoice or credit note
 * - Header `Idempotency-Key` (1-255 characters), required; we send `book:<clientId>:<invoiceId>`.
 * - Body: `invoiceBookingSchema`. 400 `{ error }` names the first fields that are wrong.
 * - 201 `{ ledgerEntryId, bookedAt }` the first time.
 * - Same key, same body again: 200 with the first answer and header `Idempotent-Replayed: true`.
 *   Keys are kept as long as the entry, so a retry days later is still a replay.
 * - Same key, another body: 422 (the key names one request, not a slot to overwrite).
 * - The invoiceId already booked for this client under another key: 409
 *   `{ error, ledgerEntryId }`, whatever the body. An invoice is booked once; the ledger cannot tell
 *   a harmless duplicate from a correction, so it refuses and names the entry that exists.
 *
 * GET /v1/clients/{clientId}/events?after=<cursor>&limit=<n>: the return-data feed
 * - The client's ledger events in the order the ledger recorded them. The log is append-only: an
 *   event never changes and never disappears; a correction is a new event.
 * - `after`: a cursor from an earlier page; without it the feed starts at the first event.
 *   Cursors are opaque: store `nextCursor`, pass it back, compare nothing. An unknown or malformed
 *   cursor is 400.
 * - `limit`: 1-500, default 100.
 * - 200 `{ events, nextCursor, hasMore }`: `nextCursor` is the position after the last event
 *   returned (after the given `after` when the page is empty; null only when the client has no
 *   events yet and no `after` was given), so a consumer always stores it and asks again later.
 *   `hasMore` says whether more events are there right now.
 * - Each event has a unique, stable `eventId`: the key for posting it into PowerOffice once.
 *
 * GET /v1/invoices?kids=<kid>,<kid>,…: booked invoices by KID, across clients (OCR giro matching)
 * - 1-100 KIDs (each 4-25 digits, the last may be "-"), comma-separated; otherwise 400.
 * - 200 `{ invoices }` (`kidInvoicesAnswerSchema`): every booked invoice (credit notes are not
 *   paid) whose KID is one of those asked, with its client. An unknown KID is simply absent. A KID
 *   holds the client's KID client number, so normally it names one invoice; more than one is an
 *   ambiguity for a person, which the ledger reports rather than resolves.
 *
 * POST /v1/clients/{clientId}/payments: register an end customer's payment of a booked invoice
 * - Header `Idempotency-Key` (1-255 characters), required; we send the OCR giro transaction's
 *   identity (`ocr:<date>:<account>:<archive ref>:<number>:<amount>:<KID>`), so the same
 *   transaction, in however many files, is registered once.
 * - Body: `paymentRegistrationSchema`. 400 `{ error }` names the fields that are wrong.
 * - `importId` in the body names the import that sends the payment (we send the OCR import's
 *   workflow id, one per file). The ledger keeps the first one with the payment and answers it in
 *   every receipt for the key; it is not part of the payment, so it is left out when a repeat is
 *   compared with the first request. A replay then tells our own retry (same importId: the
 *   answer to our first attempt was lost) from another file carrying the same transaction.
 * - 201 `{ paymentId, eventId, registeredAt, importId? }` the first time; the ledger then appends
 *   a `payment` event (with that `eventId`) to the client's return-data feed.
 * - Same key, same payment again (whichever importId): 200 with the first answer, and so the first
 *   `importId`, and header `Idempotent-Replayed: true`; nothing is appended.
 * - Same key, another body: 422. An invoiceId not booked for this client: 404. A KID that is not
 *   the invoice's: 422 (the payment would be applied to the wrong invoice).
 */

export const isoDateSchema = z.iso.date();
/**
 * A KID as the ledger keeps it: 4-25 characters, digits, of which the last may be "-". That is the
 * MOD11 check character for remainder 1 (domain/kid.ts); Factoring Finans never issues it, but a
 * payer's KID or an invoice bought with its own KID may carry it, and the ledger takes it like any.
 */
export const ledgerKidSchema = z
  .string()
  .regex(new RegExp(`^\\d{${KID_MIN_LENGTH - 1},${KID_MAX_LENGTH - 1}}[0-9-]$`), `must be ${KID_MIN_LENGTH}-${KID_MAX_LENGTH} digits, of which the last may be "-" (MOD11)`);
const instantSchema = z.iso.datetime({ offset: true });
/** Amounts travel as whole øre; JSON numbers beyond 2^53 would lose øre silently. */
const oreSchema = z.number().int().refine(Number.isSafeInteger, 'must be a safe integer (øre)');
const nonZeroOre = oreSchema.refine((ore) => ore !== 0, 'must not be 0');
const positiveOre = oreSchema.refine((ore) => ore > 0, 'must be positive');

export const LEDGER_DOCUMENT_TYPES = ['Invoice', 'CreditNote'] as const;

/** The body of POST /v1/clients/{clientId}/invoices. */
export const invoiceBookingSchema = z
  .strictObject({
    /** PowerOffice's Guid for the invoice: the ledger's natural key within a client. */
    invoiceId: z.guid(),
    invoiceNo: z.number().int().positive(),
    documentType: z.enum(LEDGER_DOCUMENT_TYPES),
    /** The invoice a credit note credits, when PowerOffice names it. Invoices carry none. */
    originalInvoiceNo: z.number().int().positive().optional(),
    /** The end customer's customer number in the client's PowerOffice GO. */
    customerNo: z.number().int().positive(),
    /** Positive for an invoice, negative for a credit note. */
    amountOre: nonZeroOre,
    currency: z.literal('NOK'),
    invoiceDate: isoDateSchema,
    dueDate: isoDateSchema,
    /** The KID Factoring Finans generated: the end customer pays with it. */
    kid: ledgerKidSchema,
  })
  .superRefine((booking, ctx) => {
    const sign = booking.documentType === 'Invoice' ? 1 : -1;
    if (Math.sign(booking.amountOre) !== sign) {
      ctx.addIssue({ code: 'custom', path: ['amountOre'], message: `must be ${sign > 0 ? 'positive for an invoice' : 'negative for a credit note'}` });
    }
    if (booking.documentType === 'Invoice' && booking.originalInvoiceNo !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['originalInvoiceNo'], message: 'only a credit note names an original invoice' });
    }
    // ISO dates compare correctly as text.
    if (booking.dueDate < booking.invoiceDate) {
      ctx.addIssue({ code: 'custom', path: ['dueDate'], message: 'must not be before invoiceDate' });
    }
  });
export type InvoiceBooking = z.infer<typeof invoiceBookingSchema>;

/** What our port takes: the booking and the client it belongs to (which goes into the path). */
export type BookInvoiceRequest = InvoiceBooking & { clientId: string };

export const bookingReceiptSchema = z.object({
  ledgerEntryId: z.string().min(1).max(100),
  bookedAt: instantSchema,
});
export type BookingReceipt = z.infer<typeof bookingReceiptSchema>;

export const ledgerErrorSchema = z.object({ error: z.string(), ledgerEntryId: z.string().optional() });

/** Our idempotency key for a booking: one invoice of one client is booked once, however often asked. */
export function bookingIdempotencyKey(clientId: string, invoiceId: string): string {
  return `book:${clientId}:${invoiceId}`;
}

export { clientIdSchema };

// ---- the return-data feed ----
// Answers are parsed leniently (fields we do not know are dropped), so the ledger may add fields;
// an event type we do not know still fails the parse: money must never be skipped silently.

const eventBase = {
  /** Unique and stable: the same event always has the same id. */
  eventId: z.string().min(1).max(100),
  /** When the ledger recorded it; the feed's order. */
  recordedAt: instantSchema,
};

/** Money from an end customer, matched to an invoice by its KID. */
export const paymentEventSchema = z.object({
  ...eventBase,
  type: z.literal('payment'),
  /** Read leniently (the feed must never stop on a KID): digits, the last may be "-" (MOD11). */
  kid: z.string().regex(/^\d+-?$/),
  invoiceNo: z.number().int().positive(),
  customerNo: z.number().int().positive(),
  amountOre: positiveOre,
  paidOn: isoDateSchema,
});

/** A fee Factoring Finans charges the client: positive when charged, negative when refunded. */
const feeFields = {
  amountOre: nonZeroOre,
  chargedOn: isoDateSchema,
  description: z.string().min(1).max(200),
  /** The invoice the fee is about, when it is about one. */
  invoiceNo: z.number().int().positive().optional(),
};
export const administrativeFeeEventSchema = z.object({ ...eventBase, type: z.literal('administrative-fee'), ...feeFields });
export const financialFeeEventSchema = z.object({ ...eventBase, type: z.literal('financial-fee'), ...feeFields });

/** Money Factoring Finans paid to the client's bank account. */
export const payoutEventSchema = z.object({
  ...eventBase,
  type: z.literal('payout'),
  amountOre: positiveOre,
  paidOn: isoDateSchema,
});

/** A change of the client's balance (debt) with Factoring Finans: positive raises it. */
export const balanceChangeEventSchema = z.object({
  ...eventBase,
  type: z.literal('balance-change'),
  amountOre: nonZeroOre,
  changedOn: isoDateSchema,
  description: z.string().min(1).max(200),
});

export const ledgerEventSchema = z.discriminatedUnion('type', [
  paymentEventSchema,
  administrativeFeeEventSchema,
  financialFeeEventSchema,
  payoutEventSchema,
  balanceChangeEventSchema,
]);
export type LedgerEvent = z.infer<typeof ledgerEventSchema>;
export type LedgerEventType = LedgerEvent['type'];

export const EVENTS_DEFAULT_LIMIT = 100;
export const EVENTS_MAX_LIMIT = 500;

export const eventsQuerySchema = z.strictObject({
  after: z.string().min(1).max(200).optional(),
  limit: z.coerce.number().int().min(1).max(EVENTS_MAX_LIMIT).default(EVENTS_DEFAULT_LIMIT),
});

export const eventsPageSchema = z.object({
  events: z.array(ledgerEventSchema),
  nextCursor: z.string().min(1).nullable(),
  hasMore: z.boolean(),
});
export type EventsPage = z.infer<typeof eventsPageSchema>;

// ---- OCR giro payments ----

const kidSchema = ledgerKidSchema;
export const INVOICES_BY_KID_MAX = 100;

/** The query of GET /v1/invoices: `kids` comma-separated. */
export const invoicesByKidQuerySchema = z.strictObject({
  kids: z
    .string()
    .transform((text) => text.split(','))
    .pipe(z.array(kidSchema).min(1).max(INVOICES_BY_KID_MAX)),
});

/** A booked invoice as the KID lookup answers it: identifiers and amount only. */
export const kidInvoiceSchema = z.object({
  clientId: clientIdSchema,
  invoiceId: z.guid(),
  invoiceNo: z.number().int().positive(),
  customerNo: z.number().int().positive(),
  kid: kidSchema,
  amountOre: positiveOre,
});
export type KidInvoice = z.infer<typeof kidInvoiceSchema>;

export const kidInvoicesAnswerSchema = z.object({ invoices: z.array(kidInvoiceSchema) });

/** The body of POST /v1/clients/{clientId}/payments. */
export const paymentRegistrationSchema = z.strictObject({
  invoiceId: z.guid(),
  kid: kidSchema,
  amountOre: positiveOre,
  /** The day the money reached Factoring Finans' account (the OCR file's Nets date). */
  paidOn: isoDateSchema,
  /** The import that sends it (see above); optional, so a registration without one still works. */
  importId: z.string().min(1).max(255).optional(),
});
export type PaymentRegistration = z.infer<typeof paymentRegistrationSchema>;

export const paymentReceiptSchema = z.object({
  paymentId: z.string().min(1).max(100),
  /** The `payment` event appended to the client's feed. */
  eventId: z.string().min(1).max(100),
  registeredAt: instantSchema,
  /** The import that registered the payment first; absent when it named none. */
  importId: z.string().min(1).max(255).optional(),
});
export type PaymentReceipt = z.infer<typeof paymentReceiptSchema>;
