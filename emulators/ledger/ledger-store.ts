import { createHash, randomUUID } from 'node:crypto';
import type { BookingReceipt, InvoiceBooking, LedgerEvent } from '../../adapters/ledger/ledger-api';
import { osloIso } from '../../domain/oslo-time';

/**
 * What the ledger emulator keeps: per client, the booked invoices (by invoiceId, the ledger's
 * natural key, and by Idempotency-Key) and the append-only event log that the feed pages through.
 */

/** A booked invoice as the admin API lists it. */
export interface BookedInvoice {
  clientId: string;
  ledgerEntryId: string;
  bookedAt: string;
  idempotencyKey: string;
  booking: InvoiceBooking;
  /** Every booking request that named this invoice: the first, its replays and refused duplicates. */
  bookingRequests: number;
  /** Requests answered with the first receipt (same key, same body). */
  replays: number;
  /** Requests refused with 409 (another key). */
  duplicatesRefused: number;
}

interface StoredBooking extends BookedInvoice {
  bodyHash: string;
}

export type BookingOutcome =
  | { outcome: 'created' | 'replayed'; receipt: BookingReceipt }
  /** The key was used before with another body: 422. */
  | { outcome: 'key-reused' }
  /** The invoice is booked already, under another key: 409. */
  | { outcome: 'already-booked'; ledgerEntryId: string };

/** The log's position is a sequence number; the cursor hides it behind an opaque text. */
const CURSOR = /^c1\.(\d{1,12})$/;
const cursorOf = (position: number) => `c1.${position.toString().padStart(12, '0')}`;

export type EventsRead =
  | { ok: true; events: LedgerEvent[]; nextCursor: string | null; hasMore: boolean }
  | { ok: false; error: string };

export class LedgerStore {
  private readonly bookingsByKey = new Map<string, StoredBooking>();
  private readonly bookingsByInvoice = new Map<string, StoredBooking>();
  private readonly eventLogs = new Map<string, LedgerEvent[]>();

  book(clientId: string, idempotencyKey: string, booking: InvoiceBooking): BookingOutcome {
    const bodyHash = fingerprint(clientId, booking);
    const sameKey = this.bookingsByKey.get(scoped(clientId, idempotencyKey));
    if (sameKey) {
      if (sameKey.bodyHash !== bodyHash) return { outcome: 'key-reused' };
      sameKey.bookingRequests += 1;
      sameKey.replays += 1;
      return { outcome: 'replayed', receipt: receiptOf(sameKey) };
    }
    const sameInvoice = this.bookingsByInvoice.get(scoped(clientId, booking.invoiceId));
    if (sameInvoice) {
      sameInvoice.bookingRequests += 1;
      sameInvoice.duplicatesRefused += 1;
      return { outcome: 'already-booked', ledgerEntryId: sameInvoice.ledgerEntryId };
    }
    const stored: StoredBooking = {
      clientId,
      ledgerEntryId: `le_${randomUUID()}`,
      // A Norwegian ledger answers in Oslo time, with the offset.
      bookedAt: osloIso(new Date()),
      idempotencyKey,
      booking,
      bookingRequests: 1,
      replays: 0,
      duplicatesRefused: 0,
      bodyHash,
    };
    this.bookingsByKey.set(scoped(clientId, idempotencyKey), stored);
    this.bookingsByInvoice.set(scoped(clientId, booking.invoiceId), stored);
    return { outcome: 'created', receipt: receiptOf(stored) };
  }

  bookedInvoices(clientId?: string): BookedInvoice[] {
    return [...this.bookingsByInvoice.values()]
      .filter((b) => clientId === undefined || b.clientId === clientId)
      .map(({ bodyHash: _hash, ...shown }) => shown);
  }

  /** Appends to the client's log; an event id already used (by any client) is refused. */
  appendEvents(clientId: string, events: LedgerEvent[]): { ok: true } | { ok: false; error: string } {
    const known = new Set([...this.eventLogs.values()].flat().map((e) => e.eventId));
    for (const event of events) {
      if (known.has(event.eventId)) return { ok: false, error: `eventId ${event.eventId} is used already` };
      known.add(event.eventId);
    }
    this.logOf(clientId).push(...events);
    return { ok: true };
  }

  readEvents(clientId: string, after: string | undefined, limit: number): EventsRead {
    const log = this.logOf(clientId);
    let start = 0;
    if (after !== undefined) {
      const match = CURSOR.exec(after);
      const position = match ? Number(match[1]) : NaN;
      if (!Number.isInteger(position) || position < 1 || position > log.length) return { ok: false, error: `unknown cursor: ${after.slice(0, 60)}` };
      start = position;
    }
    const events = log.slice(start, start + limit);
    const end = start + events.length;
    return { ok: true, events, nextCursor: end === 0 ? null : cursorOf(end), hasMore: end < log.length };
  }

  private logOf(clientId: string): LedgerEvent[] {
    let log = this.eventLogs.get(clientId);
    if (!log) {
      log = [];
      this.eventLogs.set(clientId, log);
    }
    return log;
  }
}

/** Keys and invoice ids are unique within a client, not across clients. */
function scoped(clientId: string, id: string): string {
  return `${clientId}\n${id}`;
}

function fingerprint(clientId: string, booking: InvoiceBooking): string {
  const canonical = Object.keys(booking)
    .sort()
    .map((key) => [key, booking[key as keyof InvoiceBooking]]);
  return createHash('sha256').update(clientId).update('\n').update(JSON.stringify(canonical)).digest('hex');
}

function receiptOf(booking: StoredBooking): BookingReceipt {
  return { ledgerEntryId: booking.ledgerEntryId, bookedAt: booking.bookedAt };
}
