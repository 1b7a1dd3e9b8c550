import got, { type Got, type Response } from 'got';
import type { z } from 'zod';
import { ExternalServiceError, isRetryableStatus, retryAfterMs } from '../external-service-error';
import {
  camelizeKeys,
  describeZodError,
  factoringInvoiceDetailsSchema,
  tokenResponseSchema,
  v1FailureSchema,
  v1ListSchema,
  type FactoringInvoiceDetails,
} from './v1-schemas';

export interface PowerOfficeV1Credentials {
  applicationKey: string;
  clientKey: string;
}

export interface AvailableInvoicesPage {
  invoices: FactoringInvoiceDetails[];
  /** Size of the whole filtered set, as PowerOffice reports it in `count`. */
  total: number;
}

/** The part of PowerOffice GO v1 the workflows use; tests of single functions can fake it. */
export interface PowerOfficeV1Port {
  availableInvoices(page: { afterInvoiceNo?: number; top: number }): Promise<AvailableInvoicesPage>;
}

const availableInvoicesSchema = v1ListSchema(factoringInvoiceDetailsSchema);

/** Renew a little before PowerOffice says the token expires, so no call races the expiry. */
const TOKEN_RENEWAL_MARGIN_MS = 60_000;

/**
 * PowerOffice GO v1 for one client company: OAuth2 client credentials with
 * Basic(applicationKey:clientKey), then Bearer calls (reference §1–2).
 */
export class PowerOfficeV1Client implements PowerOfficeV1Port {
  private token?: { value: string; renewAt: number };
  private readonly http: Got;

  constructor(
    private readonly baseUrl: string,
    private readonly credentials: PowerOfficeV1Credentials,
    options: { timeoutMs?: number; now?: () => number } = {},
  ) {
    this.now = options.now ?? Date.now;
    this.http = got.extend({
      timeout: { request: options.timeoutMs ?? 30_000 },
      retry: { limit: 0 }, // Temporal's activity retry policy owns retries.
      throwHttpErrors: false,
      responseType: 'text',
    });
  }

  private readonly now: () => number;

  async availableInvoices(page: { afterInvoiceNo?: number; top: number }): Promise<AvailableInvoicesPage> {
    const searchParams: Record<string, string> = { $orderby: 'InvoiceNo asc', $top: String(page.top), $skip: '0' };
    if (page.afterInvoiceNo !== undefined) searchParams.$filter = `(InvoiceNo gt ${page.afterInvoiceNo})`;
    const body = await this.getJson('Factoring/AvailableInvoices/', searchParams);
    if (body === undefined) return { invoices: [], total: 0 };
    const list = this.parse(availableInvoicesSchema, body, 'Factoring/AvailableInvoices');
    return { invoices: list.data, total: list.count };
  }

  private async getJson(path: string, searchParams: Record<string, string>): Promise<unknown> {
    const url = new URL(path, this.baseUrl);
    const get = async () => {
      const token = await this.accessToken();
      return this.send(() => this.http.get(url, { searchParams, headers: { authorization: `Bearer ${token}` } }));
    };
    let response = await get();
    if (response.statusCode === 401) {
      this.token = undefined; // revoked or expired early: one fresh token, then give up.
      response = await get();
    }
    return this.unwrap(response, path);
  }

  private async accessToken(): Promise<string> {
    if (this.token && this.now() < this.token.renewAt) return this.token.value;
    const basic = Buffer.from(`${this.credentials.applicationKey}:${this.credentials.clientKey}`).toString('base64');
    const response = await this.send(() =>
      this.http.post(new URL('OAuth/Token', this.baseUrl), {
        headers: {
          authorization: `Basic ${basic}`,
          'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
        },
        body: 'grant_type=client_credentials',
      }),
    );
    if (response.statusCode === 400 || response.statusCode === 401) {
      throw new ExternalServiceError('PowerOffice GO', 'the application key or client key was refused (check the key and the environment: demo or production)', false, response.statusCode);
    }
    const token = this.parse(tokenResponseSchema, this.json(this.unwrapStatus(response, 'OAuth/Token'), 'OAuth/Token'), 'OAuth/Token');
    this.token = {
      value: token.access_token,
      renewAt: this.now() + Math.max(0, token.expires_in * 1000 - TOKEN_RENEWAL_MARGIN_MS),
    };
    return token.access_token;
  }

  private async send(call: () => Promise<Response<string>>): Promise<Response<string>> {
    try {
      return await call();
    } catch (err) {
      if (err instanceof ExternalServiceError) throw err;
      const reason = err instanceof Error ? err.message : String(err);
      throw new ExternalServiceError('PowerOffice GO', `no response (${reason})`, true);
    }
  }

  /** Status check, then the v1 wrapper: errors come back as HTTP 200 with `success: false`. */
  private unwrap(response: Response<string>, path: string): unknown {
    const text = this.unwrapStatus(response, path);
    if (response.statusCode === 204 || text.trim() === '') return undefined;
    const body = this.json(text, path);
    const failure = v1FailureSchema.safeParse(body);
    if (failure.success) {
      const v = failure.data.validation;
      const detail = [v?.summary, v?.exception && `(${v.exception})`, v?.errorLogReference && `log reference ${v.errorLogReference}`]
        .filter(Boolean)
        .join(' ');
      throw new ExternalServiceError('PowerOffice GO', `${path} was refused: ${detail || 'no reason given'}`, false, 200);
    }
    return body;
  }

  private unwrapStatus(response: Response<string>, path: string): string {
    const status = response.statusCode;
    if (status >= 200 && status < 300) return response.body;
    const hint = status === 403 ? ' (the client has not granted the privilege this call needs)' : '';
    throw new ExternalServiceError(
      'PowerOffice GO',
      `${path} answered HTTP ${status}${hint}`,
      isRetryableStatus(status),
      status,
      status === 429 ? retryAfterMs(response.headers['retry-after']) ?? 1000 : undefined,
    );
  }

  private json(text: string, path: string): unknown {
    try {
      return camelizeKeys(JSON.parse(text));
    } catch {
      throw new ExternalServiceError('PowerOffice GO', `${path} did not answer with JSON`, false);
    }
  }

  private parse<T extends z.ZodType>(schema: T, body: unknown, path: string): z.infer<T> {
    const result = schema.safeParse(body);
    if (!result.success) {
      throw new ExternalServiceError('PowerOffice GO', `${path} answered in an unexpected shape: ${describeZodError(result.error)}`, false);
    }
    return result.data;
  }
}
