import got, { type Got } from 'got';
import { z } from 'zod';
import { ExternalServiceError, isRetryableStatus, retryAfterMs } from '../external-service-error';
import { describeZodError } from '../poweroffice/v1-schemas';

/**
 * The distribution partner's API (EHF access point, e-mail and print). Every request carries an
 * `Idempotency-Key` derived from the invoice, so a retried or re-run send is recorded once.
 */
export const deliveryChannelSchema = z.enum(['ehf', 'email-link', 'email-pdf', 'letter']);
export type DeliveryChannel = z.infer<typeof deliveryChannelSchema>;

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

export class DistributionPartnerClient implements DistributionPartnerPort {
  private readonly http: Got;

  constructor(
    private readonly baseUrl: string,
    private readonly apiKey: string,
    options: { timeoutMs?: number } = {},
  ) {
    this.http = got.extend({
      timeout: { request: options.timeoutMs ?? 30_000 },
      retry: { limit: 0 },
      throwHttpErrors: false,
      responseType: 'text',
    });
  }

  async deliver(request: DeliveryRequest, idempotencyKey: string): Promise<DeliveryReceipt> {
    let response;
    try {
      response = await this.http.post(new URL('v1/deliveries', this.baseUrl), {
        headers: { authorization: `Bearer ${this.apiKey}`, 'idempotency-key': idempotencyKey },
        json: request,
      });
    } catch (err) {
      throw new ExternalServiceError('distribution partner', `no response (${err instanceof Error ? err.message : String(err)})`, true);
    }
    const status = response.statusCode;
    if (status !== 200 && status !== 201) {
      throw new ExternalServiceError(
        'distribution partner',
        `delivery ${idempotencyKey} answered HTTP ${status}: ${response.body.slice(0, 300)}`,
        isRetryableStatus(status),
        status,
        status === 429 ? retryAfterMs(response.headers['retry-after']) ?? 1000 : undefined,
      );
    }
    let body: unknown;
    try {
      body = JSON.parse(response.body);
    } catch {
      throw new ExternalServiceError('distribution partner', 'the receipt was not JSON', false);
    }
    const parsed = deliveryReceiptSchema.safeParse(body);
    if (!parsed.success) {
      throw new ExternalServiceError('distribution partner', `unexpected receipt: ${describeZodError(parsed.error)}`, false);
    }
    return parsed.data;
  }
}
