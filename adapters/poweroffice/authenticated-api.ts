import { createHash } from 'node:crypto';
import type { Response } from 'got';
import { z } from 'zod';
import { ExternalServiceError } from '../external-service-error';
import type { TokenCache } from './token-cache';
import type { PowerOfficeRequest, PowerOfficeTransport } from './transport';

export interface ClientCredentials {
  applicationKey: string;
  clientKey: string;
}

const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string().regex(/^bearer$/i),
  expires_in: z.coerce.number().int().positive(),
});

const tokenErrorSchema = z.object({ error: z.string(), error_description: z.string().optional() });

/**
 * A PowerOffice API as one client company sees it: OAuth2 client credentials with
 * Basic(applicationKey:clientKey) at the token URL, then Bearer calls through the shared transport.
 */
export class AuthenticatedApi {
  private readonly cacheKey: string;

  constructor(
    private readonly transport: PowerOfficeTransport,
    private readonly tokens: TokenCache,
    private readonly tokenUrl: URL,
    private readonly credentials: ClientCredentials,
    /**
     * Every call is exactly one request (the PowerOffice task queues, worker/create-worker.ts):
     * the server's rate limit dispatches one activity attempt per request it allows, so an attempt
     * that finds no token spends its request on the token and fails retryably; the next attempt,
     * dispatched through the rate limit again, makes the call. A 401 likewise ends the attempt.
     */
    private readonly oneRequestPerCall = false,
  ) {
    // The cache key must not hold the client key itself.
    this.cacheKey = createHash('sha256').update(`${tokenUrl.href}\n${credentials.applicationKey}\n${credentials.clientKey}`).digest('hex');
  }

  /** Sends with a valid token; one fresh token after a 401; any other 4xx is a refusal. */
  async call(request: PowerOfficeRequest): Promise<Response<string>> {
    if (this.oneRequestPerCall) return this.callWithOneRequest(request);
    let response = await this.transport.send(await this.withToken(request));
    if (response.statusCode === 401) {
      this.tokens.forget(this.cacheKey);
      response = await this.transport.send(await this.withToken(request));
    }
    if (response.statusCode >= 400) throw this.transport.refusal(request, response);
    return response;
  }

  private async callWithOneRequest(request: PowerOfficeRequest): Promise<Response<string>> {
    const token = this.tokens.peek(this.cacheKey);
    if (token === undefined) {
      await this.accessToken();
      throw new ExternalServiceError('PowerOffice GO', `${request.label}: this attempt obtained the access token; the call follows in the next attempt (one request per attempt)`, true, undefined, TOKEN_THEN_CALL_DELAY_MS, true);
    }
    const response = await this.transport.send({ ...request, headers: { ...request.headers, authorization: `Bearer ${token}` } });
    if (response.statusCode === 401) {
      this.tokens.forget(this.cacheKey);
      throw new ExternalServiceError('PowerOffice GO', `${request.label}: the access token was refused (401); the next attempt obtains a fresh one`, true, 401, TOKEN_THEN_CALL_DELAY_MS);
    }
    if (response.statusCode >= 400) throw this.transport.refusal(request, response);
    return response;
  }

  /** Obtains (or reuses) this client's token; used by onboarding to verify a key. */
  accessToken(): Promise<string> {
    return this.tokens.get(this.cacheKey, () => this.requestToken());
  }

  private async withToken(request: PowerOfficeRequest): Promise<PowerOfficeRequest> {
    const token = await this.accessToken();
    return { ...request, headers: { ...request.headers, authorization: `Bearer ${token}` } };
  }

  private async requestToken() {
    const basic = Buffer.from(`${this.credentials.applicationKey}:${this.credentials.clientKey}`).toString('base64');
    const request: PowerOfficeRequest = {
      method: 'POST',
      url: this.tokenUrl,
      label: 'POST OAuth/Token',
      form: 'grant_type=client_credentials',
      // A second token request only issues a second token.
      repeatable: true,
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    };
    const response = await this.transport.send(request);
    if (response.statusCode >= 400) {
      const parsed = tokenErrorSchema.safeParse(safeJson(response.body));
      const reason = parsed.success ? [parsed.data.error, parsed.data.error_description].filter(Boolean).join(': ') : `HTTP ${response.statusCode}`;
      throw new ExternalServiceError(
        'PowerOffice GO',
        `the client key was not accepted (${reason}). Check the client key, the application key, and that both belong to the same environment (demo or production)`,
        false,
        response.statusCode,
      );
    }
    const token = tokenResponseSchema.safeParse(safeJson(response.body));
    if (!token.success) {
      throw new ExternalServiceError('PowerOffice GO', `OAuth/Token answered in an unexpected shape: ${token.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, false);
    }
    return { value: token.data.access_token, lifetimeMs: token.data.expires_in * 1000 };
  }
}

/** The attempt after a token request is due at once: the queue's rate limit spaces it anyway. */
const TOKEN_THEN_CALL_DELAY_MS = 100;

export function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
