import type { Got, Response } from 'got';
import { z } from 'zod';
import { ExternalServiceError, httpRefusal } from '../external-service-error';
import { createHttpClient } from '../http-client';
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

/** Below the activities' heartbeat timeout, so a hung request ends the attempt before Temporal starts another. */
const REQUEST_TIMEOUT_MS = 10_000;

/**
 * The distribution partner's API (EHF access point, e-mail and print). Every request carries an
 * `Idempotency-Key` derived from the invoice, so a retried or re-run send is recorded once.
 * The contract (routes, bodies, receipt, webhook) is `partner-api.ts`.
 */
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

export class DistributionPartnerClient implements DistributionPartner {
  private readonly http: Got;

  constructor(
    private readonly baseUrl: string,
    private readonly apiKey: string,
    options: { timeoutMs?: number } = {},
  ) {
    this.http = createHttpClient(options.timeoutMs ?? REQUEST_TIMEOUT_MS);
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
  return httpRefusal(SERVICE, `delivery ${idempotencyKey}`, response, partnerErrorText(response.body));
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
