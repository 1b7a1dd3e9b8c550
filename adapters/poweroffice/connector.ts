import { createHash } from 'node:crypto';
import { AuthenticatedApi } from './authenticated-api';
import { SlidingWindowRateLimiter } from './rate-limiter';
import { TokenCache } from './token-cache';
import { DEFAULT_CALL_BUDGET_MS, DEFAULT_RETRY, DEFAULT_TIMEOUT_MS, PowerOfficeTransport, type RetrySettings } from './transport';
import { explainV1Refusal, PowerOfficeV1Client } from './v1-client';
import { explainV2Refusal, PowerOfficeV2Client } from './v2-client';

export interface PowerOfficeSettings {
  v1BaseUrl: string;
  v2BaseUrl: string;
  v2TokenUrl: string;
  applicationKey: string;
  subscriptionKey: string;
  /** v1: 50 requests/s per application key; v2: 10 requests/s per subscription key (reference). */
  v1RequestsPerSecond: number;
  v2RequestsPerSecond: number;
  /** One request's timeout and one call's whole budget (tries and waits); see transport.ts. */
  timeoutMs?: number;
  callBudgetMs?: number;
  retry?: RetrySettings;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Everything PowerOffice GO for the whole worker: one rate limiter per API key and one token cache,
 * shared by every client company and every concurrent activity, so the limits hold for the sum.
 */
export class PowerOfficeConnector {
  private readonly tokens = new TokenCache();
  private readonly v1Transport: PowerOfficeTransport;
  private readonly v2Transport: PowerOfficeTransport;
  private readonly clients = new Map<string, { v1: PowerOfficeV1Client; v2: PowerOfficeV2Client }>();

  constructor(private readonly settings: PowerOfficeSettings) {
    const common = {
      timeoutMs: settings.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      callBudgetMs: settings.callBudgetMs ?? DEFAULT_CALL_BUDGET_MS,
      retry: settings.retry ?? DEFAULT_RETRY,
      ...(settings.sleep ? { sleep: settings.sleep } : {}),
    };
    this.v1Transport = new PowerOfficeTransport({
      ...common,
      limiter: new SlidingWindowRateLimiter(settings.v1RequestsPerSecond),
      headers: {},
      explainRefusal: explainV1Refusal,
    });
    this.v2Transport = new PowerOfficeTransport({
      ...common,
      limiter: new SlidingWindowRateLimiter(settings.v2RequestsPerSecond),
      headers: { 'ocp-apim-subscription-key': settings.subscriptionKey },
      explainRefusal: explainV2Refusal,
    });
  }

  v1(clientKey: string): PowerOfficeV1Client {
    return this.forClient(clientKey).v1;
  }

  v2(clientKey: string): PowerOfficeV2Client {
    return this.forClient(clientKey).v2;
  }

  private forClient(clientKey: string) {
    const id = createHash('sha256').update(clientKey).digest('hex');
    let clients = this.clients.get(id);
    if (!clients) {
      const credentials = { applicationKey: this.settings.applicationKey, clientKey };
      const v1Api = new AuthenticatedApi(this.v1Transport, this.tokens, new URL('OAuth/Token', this.settings.v1BaseUrl), credentials);
      const v2Api = new AuthenticatedApi(this.v2Transport, this.tokens, new URL(this.settings.v2TokenUrl), credentials);
      clients = { v1: new PowerOfficeV1Client(v1Api, this.settings.v1BaseUrl), v2: new PowerOfficeV2Client(v2Api, this.settings.v2BaseUrl) };
      this.clients.set(id, clients);
    }
    return clients;
  }
}
