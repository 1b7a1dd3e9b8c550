import { createHash, randomUUID } from 'node:crypto';
import { paymentEventSchema, type KidInvoice, type PaymentReceipt, type PaymentRegistration } from '../../adapters/ledger/ledger-api';
import { osloIso } from '../../domain/oslo-time';
import type { LedgerStore } from './ledger-store';

/**
 * The ledger emulator's side of OCR giro payments: finding booked invoices by KID, and registering
 * a payment once per Idempotency-Key, which appends a `payment` event to the client's feed (so
 * return data posts it, as the real ledger would).
 */
export type PaymentOutcome =
  | { outcome: 'created' | 'replayed'; receipt: PaymentReceipt }
  | { outcome: 'key-reused' }
  | { outcome: 'unknown-invoice' }
  | { outcome: 'wrong-kid'; invoiceKid: string };

/** A registered payment as the admin API lists it. */
export interface RegisteredPayment extends PaymentReceipt {
  clientId: string;
  idempotencyKey: string;
  payment: PaymentRegistration;
  /** Requests that named this key: the first and its replays. */
  requests: number;
}

interface StoredPayment extends RegisteredPayment {
  bodyHash: string;
}

export class PaymentRegister {
  private readonly byKey = new Map<string, StoredPayment>();

  constructor(private readonly store: LedgerStore) {}

  /** Invoices only: a credit note is never paid with its KID. */
  invoicesByKid(kids: readonly string[]): KidInvoice[] {
    const wanted = new Set(kids);
    return this.store
      .bookedInvoices()
      .filter(({ booking }) => booking.documentType === 'Invoice' && wanted.has(booking.kid))
      .map(({ clientId, booking }) => ({
        clientId,
        invoiceId: booking.invoiceId,
        invoiceNo: booking.invoiceNo,
        customerNo: booking.customerNo,
        kid: booking.kid,
        amountOre: booking.amountOre,
      }));
  }

  register(clientId: string, idempotencyKey: string, payment: PaymentRegistration): PaymentOutcome {
    // The payment only: `importId` says who sends it, so another file with the same transaction is a replay, not a reused key.
    const bodyHash = createHash('sha256').update(JSON.stringify([clientId, payment.invoiceId, payment.kid, payment.amountOre, payment.paidOn])).digest('hex');
    const scopedKey = `${clientId}\n${idempotencyKey}`;
    const earlier = this.byKey.get(scopedKey);
    if (earlier) {
      if (earlier.bodyHash !== bodyHash) return { outcome: 'key-reused' };
      earlier.requests += 1;
      return { outcome: 'replayed', receipt: receiptOf(earlier) };
    }
    const invoice = this.store.bookedInvoices(clientId).find(({ booking }) => booking.invoiceId === payment.invoiceId && booking.documentType === 'Invoice');
    if (!invoice) return { outcome: 'unknown-invoice' };
    if (invoice.booking.kid !== payment.kid) return { outcome: 'wrong-kid', invoiceKid: invoice.booking.kid };

    const registeredAt = osloIso(new Date());
    const event = paymentEventSchema.parse({
      type: 'payment',
      eventId: `ev_${randomUUID()}`,
      recordedAt: registeredAt,
      kid: payment.kid,
      invoiceNo: invoice.booking.invoiceNo,
      customerNo: invoice.booking.customerNo,
      amountOre: payment.amountOre,
      paidOn: payment.paidOn,
    });
    const appended = this.store.appendEvents(clientId, [event]);
    if (!appended.ok) throw new Error(appended.error);
    const stored: StoredPayment = {
      clientId,
      idempotencyKey,
      payment,
      paymentId: `pm_${randomUUID()}`,
      eventId: event.eventId,
      registeredAt,
      ...(payment.importId === undefined ? {} : { importId: payment.importId }),
      requests: 1,
      bodyHash,
    };
    this.byKey.set(scopedKey, stored);
    return { outcome: 'created', receipt: receiptOf(stored) };
  }

  registeredPayments(clientId?: string): RegisteredPayment[] {
    return [...this.byKey.values()].filter((p) => clientId === undefined || p.clientId === clientId).map(({ bodyHash: _hash, ...shown }) => shown);
  }
}

/** Every answer for the key, replays included, names the import that registered the payment first. */
function receiptOf(payment: StoredPayment): PaymentReceipt {
  const { importId } = payment;
  return { paymentId: payment.paymentId, eventId: payment.eventId, registeredAt: payment.registeredAt, ...(importId === undefined ? {} : { importId }) };
}
