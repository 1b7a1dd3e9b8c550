import got, { type Got, type Response } from 'got';
import { z } from 'zod';
import { ExternalServiceError, isRetryableStatus, retryAfterMs } from '../external-service-error';
import { describeZodError } from '../poweroffice/v1-schemas';
import {
  ehfDeliveryRequestSchema,
  emailDeliveryRequestSchema,
  letterDeliveryRequestSchema,
  partnerReceiptSchema,
  type DistributionPartner,
  type EhfDeliveryRequest,
  type EmailDeliveryRequest,
  type LetterDeliveryRequest,
  type PartnerChannel,
  type PartnerReceipt,
} from './partner-api';

/**
 * The distribution partner's API (EHF access point, e-mail and print). Every request carries an
 * `Idempotency-Key` derived from the invoice, so a retried or re-run send is recorded once.
 * The contract (routes, bodies, receipt, webhook) is `partner-api.ts`.
 */
export const deliveryChannelSchema = z.enum(['ehf', 'email-link', 'email-pdf', 'letter']);
export type DeliveryChannel = z.infer<typeof deliveryChannelSchema>;

/** The first, channel-less API (`POST /v1/deliveries`), still used by today's invoice workflow. */
export const deliveryRequestSchema = z.object({
  channel: deliveryChannelSchema,
  reference: z.object({
    clientId: z.string().min(1),
    invoiceId: z.string().min(1),
    invoiceNo: z.number().int().positive(),
    documentType: z.enum(['Invoice', 'CreditNote']),
  }),
  amountOre: z.number().int(),
  dueDate: z.string().optional(),
});
export type DeliveryRequest = z.infer<typeof deliveryRequestSchema>;

export const deliveryReceiptSchema = z.object({
  deliveryId: z.string().min(1),
  channel: deliveryChannelSchema,
  status: z.enum(['accepted']),
  acceptedAt: z.string().datetime({ offset: true }),
});
export type DeliveryReceipt = z.infer<typeof deliveryReceiptSchema>;

export interface DistributionPartnerPort {
  deliver(request: DeliveryRequest, idempotencyKey: string): Promise<DeliveryReceipt>;
}

const SERVICE = 'distribution partner';

/** What one POST needs: where, what (already validated), and what a good receipt looks like. */
interface PartnerCall<R> {
  path: string;
  body: Record<string, unknown>;
  idempotencyKey: string;
  receiptSchema: z.ZodType<R>;
  /** The channel the receipt must name; a receipt for another channel is the partner's mistake. */
  expectedChannel?: PartnerChannel;
}

export class DistributionPartnerClient implements DistributionPartnerPort, DistributionPartner {
  private readonly http: Got;

  constructor(
    private readonly baseUrl: string,
    private readonly apiKey: string,
    options: { timeoutMs?: number } = {},
  ) {
    this.http = got.extend({
      timeout: { request: options.timeoutMs ?? 30_000 },
      // Temporal retries the activity with backoff; a second retry loop here would hide attempts.
      retry: { limit: 0 },
      throwHttpErrors: false,
      responseType: 'text',
    });
  }

  async deliver(request: DeliveryRequest, idempotencyKey: string): Promise<DeliveryReceipt> {
    return this.post({ path: 'v1/deliveries', body: request, idempotencyKey, receiptSchema: deliveryReceiptSchema });
  }

  async sendEhf(request: EhfDeliveryRequest, idempotencyKey: string): Promise<PartnerReceipt> {
    const body = validRequest(ehfDeliveryRequestSchema, request, 'EHF');
    return this.post({ path: 'v1/ehf', body, idempotencyKey, receiptSchema: partnerReceiptSchema, expectedChannel: 'ehf' });
  }

  async sendEmail(request: EmailDeliveryRequest, idempotencyKey: string): Promise<PartnerReceipt> {
    const body = validRequest(emailDeliveryRequestSchema, request, 'e-mail');
    const expectedChannel = body.kind === 'link' ? 'email-link' : 'email-pdf';
    return this.post({ path: 'v1/emails', body, idempotencyKey, receiptSchema: partnerReceiptSchema, expectedChannel });
  }

  async sendLetter(request: LetterDeliveryRequest, idempotencyKey: string): Promise<PartnerReceipt> {
    const body = validRequest(letterDeliveryRequestSchema, request, 'letter');
    return this.post({ path: 'v1/letters', body, idempotencyKey, receiptSchema: partnerReceiptSchema, expectedChannel: 'letter' });
  }

  private async post<R extends { channel: string }>(call: PartnerCall<R>): Promise<R> {
    const response = await this.send(call);
    const status = response.statusCode;
    if (status < 200 || status > 299) throw refusal(response, call.idempotencyKey);
    const receipt = parseReceipt(response.body, call.receiptSchema);
    if (call.expectedChannel && receipt.channel !== call.expectedChannel) {
      throw new ExternalServiceError(SERVICE, `delivery ${call.idempotencyKey}: receipt names channel ${receipt.channel}, expected ${call.expectedChannel}`, false);
    }
    return receipt;
  }

  private async send(call: PartnerCall<unknown>): Promise<Response<string>> {
    try {
      return await this.http.post(new URL(call.path, this.baseUrl), {
        headers: { authorization: `Bearer ${this.apiKey}`, 'idempotency-key': call.idempotencyKey },
        json: call.body,
      });
    } catch (err) {
      // No answer at all (refused, reset, timed out): the partner may or may not have it; the
      // idempotency key makes the retry safe either way.
      throw new ExternalServiceError(SERVICE, `no response (${err instanceof Error ? err.message : String(err)})`, true);
    }
  }
}

/** Our own request is checked before it leaves: a bad one would be refused on every retry. */
function validRequest<T>(schema: z.ZodType<T>, request: T, what: string): T {
  const parsed = schema.safeParse(request);
  if (!parsed.success) throw new ExternalServiceError(SERVICE, `${what} request not sent, it is invalid: ${describeZodError(parsed.error)}`, false);
  return parsed.data;
}

function refusal(response: Response<string>, idempotencyKey: string): ExternalServiceError {
  const status = response.statusCode;
  const retryable = isRetryableStatus(status);
  const waitMs = retryable ? retryAfterMs(response.headers['retry-after']) : undefined;
  return new ExternalServiceError(
    SERVICE,
    `delivery ${idempotencyKey} answered HTTP ${status}: ${partnerErrorText(response.body)}`,
    retryable,
    status,
    // 429 without Retry-After still means "slow down": wait at least a second.
    waitMs ?? (status === 429 ? 1000 : undefined),
  );
}

const partnerErrorSchema = z.object({ error: z.string() });

/** The partner answers `{ error }`; anything else (a proxy's HTML page) is shown shortened. */
function partnerErrorText(body: string): string {
  try {
    const parsed = partnerErrorSchema.safeParse(JSON.parse(body));
    if (parsed.success) return parsed.data.error.slice(0, 300);
  } catch {
    // not JSON: fall through to the raw text
  }
  return body.slice(0, 300);
}

function parseReceipt<R>(body: string, schema: z.ZodType<R>): R {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new ExternalServiceError(SERVICE, 'the receipt was not JSON', false);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new ExternalServiceError(SERVICE, `unexpected receipt: ${describeZodError(parsed.error)}`, false);
  return parsed.data;
}
