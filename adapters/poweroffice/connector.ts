import { createHash } from 'node:crypto';
import { AuthenticatedApi } from './authenticated-api';
import { SlidingWindowRateLimiter } from './rate-limiter';
import { TokenCache } from './token-cache';
import { DEFAULT_CALL_BUDGET_MS, DEFAULT_RETRY, DEFAULT_TIMEOUT_MS, PowerOfficeTransport, type PowerOfficeRequestSeen, type RetrySettings } from './transport';
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
  /** Told of every request sent, with the API it went to (the worker counts them: worker/poweroffice-metrics.ts). */
  observeRequest?: (request: PowerOfficeRequestSeen & { api: 'v1' | 'v2' }) => void;
}

/** No second try inside a call: a 429, a 5xx or a timeout ends the attempt, and Temporal retries it. */
const NO_TRIES_WITHIN_A_CALL: RetrySettings = { maxThrottled: 0, maxTransient: 0, backoffMs: 0 };

interface Shared {
  tokens: TokenCache;
  v1Limiter: SlidingWindowRateLimiter;
  v2Limiter: SlidingWindowRateLimiter;
}

/**
 * Everything PowerOffice GO for the whole worker process: one token cache and one rate limiter per
 * API key, shared by every client company and every concurrent activity.
 *
 * PowerOffice's limits (v1 50/s per application key, v2 10/s per subscription key) hold for the
 * whole deployment, however many workers run. That is enforced by Temporal: the calls on the hot
 * path run as activities on their own task queues with a server-side rate limit (worker/
 * create-worker.ts), one request per attempt (`oneRequestPerCall()`). The in-process
 * limiter here is a backstop at the full rate: it keeps one process from going over on its own
 * (a burst of retries within one worker), not the fleet. Every PowerOffice request of the service
 * goes through that view: the main queue's activities get no connector at all.
 */
export class PowerOfficeConnector {
  private readonly v1Transport: PowerOfficeTransport;
  private readonly v2Transport: PowerOfficeTransport;
  private readonly clients = new Map<string, { v1: PowerOfficeV1Client; v2: PowerOfficeV2Client }>();
  private readonly shared: Shared;
  private oneRequestView: (PowerOfficeConnector & { readonly requestsPerCall: 1 }) | undefined;
  /** 1 on the oneRequestPerCall() view: the brand the PowerOffice queues' activities require (activities/poweroffice-access.ts). */
  readonly requestsPerCall: 1 | 'with tries';

  constructor(
    private readonly settings: PowerOfficeSettings,
    shared?: Shared,
    private readonly oneRequest = false,
  ) {
    this.requestsPerCall = oneRequest ? 1 : 'with tries';
    this.shared = shared ?? {
      tokens: new TokenCache(),
      v1Limiter: new SlidingWindowRateLimiter(settings.v1RequestsPerSecond),
      v2Limiter: new SlidingWindowRateLimiter(settings.v2RequestsPerSecond),
    };
    const common = {
      timeoutMs: settings.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      callBudgetMs: settings.callBudgetMs ?? DEFAULT_CALL_BUDGET_MS,
      retry: oneRequest ? NO_TRIES_WITHIN_A_CALL : (settings.retry ?? DEFAULT_RETRY),
      ...(settings.sleep ? { sleep: settings.sleep } : {}),
    };
    const observe = settings.observeRequest;
    this.v1Transport = new PowerOfficeTransport({
      ...common,
      ...(observe ? { observe: (seen: PowerOfficeRequestSeen) => observe({ api: 'v1', ...seen }) } : {}),
      limiter: this.shared.v1Limiter,
      headers: {},
      explainRefusal: explainV1Refusal,
    });
    this.v2Transport = new PowerOfficeTransport({
      ...common,
      ...(observe ? { observe: (seen: PowerOfficeRequestSeen) => observe({ api: 'v2', ...seen }) } : {}),
      limiter: this.shared.v2Limiter,
      headers: { 'ocp-apim-subscription-key': settings.subscriptionKey },
      explainRefusal: explainV2Refusal,
    });
  }

  /**
   * The same PowerOffice (tokens and backstop limiters shared) where every call makes exactly one
   * HTTP request or fails retryably: for activities on the rate-limited PowerOffice task queues,
   * where each attempt must be one request so the server's limit counts requests.
   */
  oneRequestPerCall(): PowerOfficeConnector & { readonly requestsPerCall: 1 } {
    if (this.oneRequest) return this as PowerOfficeConnector & { readonly requestsPerCall: 1 };
    this.oneRequestView ??= new PowerOfficeConnector(this.settings, this.shared, true) as PowerOfficeConnector & { readonly requestsPerCall: 1 };
    return this.oneRequestView;
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
      const v1Api = new AuthenticatedApi(this.v1Transport, this.shared.tokens, new URL('OAuth/Token', this.settings.v1BaseUrl), credentials, this.oneRequest);
      const v2Api = new AuthenticatedApi(this.v2Transport, this.shared.tokens, new URL(this.settings.v2TokenUrl), credentials, this.oneRequest);
      clients = { v1: new PowerOfficeV1Client(v1Api, this.settings.v1BaseUrl), v2: new PowerOfficeV2Client(v2Api, this.settings.v2BaseUrl) };
      this.clients.set(id, clients);
    }
    return clients;
  }
}
