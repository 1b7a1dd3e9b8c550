import got, { type Got, type Method, type Response } from 'got';
import { abortable, abortReason, currentAbortSignal } from '../abort-scope';
import { ExternalServiceError, retryAfterMs } from '../external-service-error';
import { cancelOnAbort } from '../http-client';
import type { SlidingWindowRateLimiter } from './rate-limiter';

export interface RetrySettings {
  /** 429s in a row before giving up to Temporal's retry. */
  maxThrottled: number;
  /** 5xx, timeouts and dropped connections in a row before giving up to Temporal's retry. */
  maxTransient: number;
  /** First backoff after a 5xx/timeout; doubles each time. */
  backoffMs: number;
}

export const DEFAULT_RETRY: RetrySettings = { maxThrottled: 5, maxTransient: 3, backoffMs: 500 };

/**
 * One request's timeout, and one call's whole budget (its tries, backoffs and 429 waits): both well
 * below the activities' heartbeat timeout (workflows/activity-policies.ts), so a call never holds an
 * attempt long enough for Temporal to start the next one beside it.
 */
export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_CALL_BUDGET_MS = 15_000;

/**
 * One request to PowerOffice as the metrics see it: its route family (`routeFamily`) and the
 * answer's HTTP status, or `no-answer` (timeout, dropped connection). Our own cancellations are not
 * requests PowerOffice answered and are not reported.
 */
export interface PowerOfficeRequestSeen {
  route: string;
  status: string;
}

export interface TransportOptions {
  limiter: SlidingWindowRateLimiter;
  /** Told of every request sent, each try of a call on its own (worker/poweroffice-metrics.ts). */
  observe?: (request: PowerOfficeRequestSeen) => void;
  timeoutMs: number;
  /** The most one send() may take, tries and waits included; then Temporal retries the activity. */
  callBudgetMs?: number;
  retry: RetrySettings;
  /** Headers every request carries (v2: Ocp-Apim-Subscription-Key). */
  headers: Record<string, string>;
  /** Turns a refusal body into the sentence an operator reads (v1 validation, v2 ProblemDetails). */
  explainRefusal: (status: number, body: string) => string;
  sleep?: (ms: number) => Promise<void>;
}

export interface PowerOfficeRequest {
  method: Method;
  url: URL;
  /** What the call is, for error messages: "GET Customers". */
  label: string;
  searchParams?: Record<string, string>;
  json?: Record<string, unknown>;
  form?: string;
  headers?: Record<string, string>;
  /**
   * A write that may be sent again after its answer was lost, because doing it twice changes
   * nothing (a token request). Reads always may; other writes never (a second status entry).
   */
  repeatable?: boolean;
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * One PowerOffice HTTP call, made well-behaved: waits for the shared rate limit, waits ≥ 1 s
 * (or Retry-After) after a 429, backs off on 5xx and timeouts a bounded number of times, and turns
 * every refusal into an ExternalServiceError that says whether trying again can help.
 */
export class PowerOfficeTransport {
  private readonly http: Got;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: TransportOptions) {
    this.sleep = options.sleep ?? sleepFor;
    this.http = got.extend({
      timeout: { request: options.timeoutMs },
      retry: { limit: 0 },
      throwHttpErrors: false,
      responseType: 'text',
      followRedirect: false,
      handlers: [cancelOnAbort],
    });
  }

  /**
   * Sends until an answer that is not 429/5xx/timeout, within the call budget; returns 2xx, throws
   * on anything else. When the work is aborted (adapters/abort-scope.ts) it stops at once: the
   * request in flight is cancelled and no further try is made.
   */
  async send(request: PowerOfficeRequest): Promise<Response<string>> {
    const signal = currentAbortSignal();
    const budgetMs = this.options.callBudgetMs ?? DEFAULT_CALL_BUDGET_MS;
    const deadline = Date.now() + budgetMs;
    const left = () => deadline - Date.now();
    const giveUp = (what: string, status?: number, retryAfter?: number) =>
      new ExternalServiceError('PowerOffice GO', `${request.label}: ${what} (within ${Math.round(budgetMs / 1000)} s)`, true, status, retryAfter);
    /** Waits before the next try, or gives up now when the wait would outrun the budget. */
    const waitOrGiveUp = async (ms: number, what: string, status?: number) => {
      if (ms >= left()) throw giveUp(what, status, status === 429 ? ms : undefined);
      await abortable(this.sleep(ms), signal);
    };
    let throttled = 0;
    let transient = 0;
    for (;;) {
      if (signal?.aborted) throw abortReason(signal);
      if (left() <= 0) throw giveUp(`no answer in time after ${transient + throttled} tries`);
      const release = await this.acquireSlot(signal);
      let response: Response<string>;
      try {
        response = await this.http(request.url, {
          method: request.method,
          headers: { ...this.options.headers, ...request.headers },
          timeout: { request: Math.max(1, Math.min(this.options.timeoutMs, left())) },
          ...(request.searchParams ? { searchParams: request.searchParams } : {}),
          ...(request.json !== undefined ? { json: request.json } : {}),
          ...(request.form !== undefined ? { body: request.form } : {}),
        });
        release();
      } catch (err) {
        release();
        if (signal?.aborted) throw abortReason(signal);
        this.options.observe?.({ route: routeFamily(request.label), status: 'no-answer' });
        transient += 1;
        const reason = err instanceof Error ? err.message : String(err);
        if (!request.repeatable && mayHaveBeenProcessed(request.method, err)) {
          // A write whose answer was lost may have been done: sending it again here would do it
          // twice (a second status entry). The activity's next attempt checks PowerOffice first.
          throw new ExternalServiceError('PowerOffice GO', `${request.label}: the answer was lost (${reason}); not sent again, the next attempt checks PowerOffice GO first`, true);
        }
        if (transient > this.options.retry.maxTransient) {
          throw new ExternalServiceError('PowerOffice GO', `${request.label}: no answer after ${transient} tries (${reason})`, true);
        }
        await waitOrGiveUp(this.options.retry.backoffMs * 2 ** (transient - 1), `no answer after ${transient} tries (${reason})`);
        continue;
      }
      const status = response.statusCode;
      this.options.observe?.({ route: routeFamily(request.label), status: String(status) });
      if (status >= 200 && status < 300) return response;
      if (status === 429) {
        throttled += 1;
        const wait = retryAfterMs(response.headers['retry-after']) ?? 1000;
        if (throttled > this.options.retry.maxThrottled) {
          throw new ExternalServiceError('PowerOffice GO', `${request.label}: still throttled (429) after ${throttled} tries`, true, 429, wait);
        }
        await waitOrGiveUp(wait, `throttled (429) after ${throttled} tries`, 429);
        continue;
      }
      if (status >= 500 || status === 408) {
        transient += 1;
        if (transient > this.options.retry.maxTransient) {
          throw new ExternalServiceError('PowerOffice GO', `${request.label}: HTTP ${status} after ${transient} tries`, true, status);
        }
        await waitOrGiveUp(this.options.retry.backoffMs * 2 ** (transient - 1), `HTTP ${status} after ${transient} tries`, status);
        continue;
      }
      return response; // 4xx: the caller decides (a 401 may deserve one fresh token).
    }
  }

  /**
   * A slot of the shared limit, or the abort. A slot granted after its waiter gave up is handed
   * back at once, so an aborted wait never leaks a slot.
   */
  private async acquireSlot(signal: AbortSignal | undefined): Promise<() => void> {
    const pending = this.options.limiter.acquire();
    try {
      return await abortable(pending, signal);
    } catch (err) {
      void pending.then((release) => release());
      throw err;
    }
  }

  /** A 4xx that will not change on retry, with PowerOffice's own words. */
  refusal(request: PowerOfficeRequest, response: Response<string>): ExternalServiceError {
    const status = response.statusCode;
    const hint =
      status === 401
        ? ' (the token was refused: check the keys and that they belong to the same environment, demo or production)'
        : status === 403
          ? ' (the client has not granted the privilege this call needs)'
          : '';
    return new ExternalServiceError(
      'PowerOffice GO',
      `${request.label} was refused with HTTP ${status}${hint}: ${this.options.explainRefusal(status, response.body)}`,
      false,
      status,
    );
  }
}

/**
 * "GET Factoring/InvoiceEhf/<id>/" → "GET Factoring/InvoiceEhf/:id": a request's label with every
 * path segment that is not a plain word (an invoice GUID, a customer number) replaced, so a metric
 * label takes one value per route of our code, never one per invoice.
 */
export function routeFamily(label: string): string {
  const [method = '', path = ''] = label.split(' ', 2);
  const segments = path
    .split('/')
    .filter((segment) => segment !== '')
    .map((segment) => (/^[A-Za-z]+$/.test(segment) ? segment : ':id'));
  return `${method} ${segments.join('/')}`;
}

/** Errors raised before a request left this machine: the upstream cannot have acted on it. */
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * Reads may be sent again freely; a write is sent again only when it provably never arrived (the
 * connection was refused), never after a timeout or a reset that may have followed the write.
 */
export function mayHaveBeenProcessed(method: Method, err: unknown): boolean {
  const verb = method.toUpperCase();
  if (verb === 'GET' || verb === 'HEAD') return false;
  const code = (err as { code?: string }).code;
  return !(code !== undefined && NEVER_SENT.has(code));
}
