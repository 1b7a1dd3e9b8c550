import { createHash } from 'node:crypto';
import type {
  EhfDeliveryRequest,
  EmailDeliveryRequest,
  LetterDeliveryRequest,
  PartnerChannel,
  PartnerReceipt,
} from '../../adapters/distribution/partner-api';
import type { DocumentSummary, PdfSummary } from './documents';

/**
 * Everything the partner emulator was asked to deliver, keyed by `Idempotency-Key` (the contract's
 * deduplication key) and by delivery id (what receipts, the link page and the admin API name).
 */
export type PartnerEndpoint = '/v1/ehf' | '/v1/emails' | '/v1/letters';

/** The request as listed by the admin API: base64 bodies replaced by their size and SHA-256. */
type WithPdfSummary<T> = T extends { pdf: unknown } ? Omit<T, 'pdf'> & { pdf: PdfSummary } : never;
export type EhfRequestSummary = Omit<EhfDeliveryRequest, 'ubl'> & { ubl: DocumentSummary };
export type EmailRequestSummary = WithPdfSummary<EmailDeliveryRequest>;
export type LetterRequestSummary = WithPdfSummary<LetterDeliveryRequest>;
export type RequestSummary = EhfRequestSummary | EmailRequestSummary | LetterRequestSummary;

export interface WebhookAttempt {
  attempt: number;
  at: string;
  /** null: no answer (refused, reset, timed out). */
  status: number | null;
  error?: string;
}

export interface WebhookLog {
  /** `not configured`: the emulator was built without webhookUrl/webhookSecret, nobody was told. */
  outcome: 'not configured' | 'pending' | 'delivered' | 'gave up' | 'stopped';
  eventId: string | null;
  url: string | null;
  attempts: WebhookAttempt[];
}

/** The state of a link e-mail's page: the end customer's attempts and the "opened" event. */
export interface LinkPageState {
  path: string;
  failedAttempts: number;
  locked: boolean;
  lockedAt: string | null;
  /** The first time the right code was entered. */
  openedAt: string | null;
  /** How many times the right code was entered (the PDF was served). */
  opens: number;
  /** null until the invoice is opened. */
  webhook: WebhookLog | null;
}

/** What the admin API shows of one delivery. */
export interface RecordedDelivery {
  deliveryId: string;
  endpoint: PartnerEndpoint;
  channel: PartnerChannel;
  receipt: PartnerReceipt;
  request: RequestSummary;
  idempotencyKey: string;
  /** How many requests carried this key (1 = sent once, more = deduplicated retries). */
  requestsWithKey: number;
  /** Link e-mails only. */
  link?: LinkPageState;
}

/** What the emulator keeps besides: the request's fingerprint and the documents themselves. */
export interface StoredDelivery extends RecordedDelivery {
  /** SHA-256 of endpoint and full request: another body under the same key is a 422. */
  bodyHash: string;
  pdf?: { fileName: string; content: Buffer };
  ubl?: string;
  /** Link e-mails only: the code the partner e-mailed to the end customer. */
  accessCode?: string;
}

export type Admission = { outcome: 'created' | 'replayed'; delivery: StoredDelivery } | { outcome: 'conflict' };

export function requestFingerprint(endpoint: PartnerEndpoint, request: unknown): string {
  return createHash('sha256').update(endpoint).update('\n').update(JSON.stringify(request)).digest('hex');
}

export class DeliveryStore {
  /** Keyed by Idempotency-Key; this is the emulator's `deliveries` map. */
  readonly byKey = new Map<string, StoredDelivery>();
  private readonly byId = new Map<string, StoredDelivery>();

  /** First request with a key creates the delivery; a repeat replays it, another body conflicts. */
  admit(idempotencyKey: string, bodyHash: string, create: () => StoredDelivery): Admission {
    const existing = this.byKey.get(idempotencyKey);
    if (existing) {
      if (existing.bodyHash !== bodyHash) return { outcome: 'conflict' };
      existing.requestsWithKey += 1;
      return { outcome: 'replayed', delivery: existing };
    }
    const delivery = create();
    this.byKey.set(idempotencyKey, delivery);
    this.byId.set(delivery.deliveryId, delivery);
    return { outcome: 'created', delivery };
  }

  get(deliveryId: string): StoredDelivery | undefined {
    return this.byId.get(deliveryId);
  }

  list(): StoredDelivery[] {
    return [...this.byKey.values()];
  }
}

/** The admin view: no fingerprint, no document bytes (they have their own routes). */
export function recorded(delivery: StoredDelivery): RecordedDelivery {
  const { bodyHash: _hash, pdf: _pdf, ubl: _ubl, accessCode: _code, ...shown } = delivery;
  return shown;
}
