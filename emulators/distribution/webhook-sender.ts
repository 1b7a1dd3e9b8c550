import { createHmac } from 'node:crypto';
import got, { type CancelableRequest, type Response } from 'got';
import { invoiceOpenedEventSchema, type InvoiceOpenedEvent } from '../../adapters/distribution/partner-api';
import type { WebhookLog } from './deliveries';

/**
 * The partner's side of the `invoice.opened` webhook: a signed POST to our webhook, retried with
 * doubling backoff on any non-2xx answer or no answer, every attempt recorded in the delivery's
 * WebhookLog. Each attempt is signed afresh (new timestamp), so a late retry is not refused as a
 * replay; the body, and with it the eventId, stays the same, so the receiver can deduplicate.
 * It runs in the background: the end customer's page never waits for our webhook.
 */
export interface WebhookRetryPolicy {
  attempts: number;
  initialDelayMs: number;
  /** The doubling stops here. */
  maxDelayMs: number;
  timeoutMs: number;
}

/**
 * A real partner keeps retrying a webhook for hours (commonly a day or more). The 4 attempts this
 * emulator used to make gave up about 23 s after the opening (each timing out at 5 s: with the
 * Temporal server down our webhook answers 503 only after its own 10 s), shorter than a server
 * restart on a loaded 2-core machine (measured: 5 s to 35 s from the kill to answering), so the
 * opening was lost where a real partner would have delivered it. 12 attempts, doubling from 0.5 s
 * up to a minute apart, last about 6 minutes: a restart with room to spare, yet a test or demo is
 * not left retrying for hours.
 */
export const DEFAULT_WEBHOOK_RETRY: WebhookRetryPolicy = { attempts: 12, initialDelayMs: 500, maxDelayMs: 60_000, timeoutMs: 5_000 };

export interface WebhookTarget {
  url: string;
  secret: string;
}

/** Header names and signature format of the contract (partner-api.ts, invoiceOpenedEventSchema). */
export function signedHeaders(secret: string, rawBody: string, unixSeconds: number): Record<string, string> {
  const timestamp = String(unixSeconds);
  const signature = createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex');
  return { 'content-type': 'application/json', 'x-ff-timestamp': timestamp, 'x-ff-signature': `sha256=${signature}` };
}

export class WebhookSender {
  private closed = false;
  private readonly running = new Set<Promise<void>>();
  private readonly requests = new Set<CancelableRequest<Response<string>>>();
  private readonly sleeps = new Set<() => void>();

  constructor(
    private readonly target: WebhookTarget,
    private readonly policy: WebhookRetryPolicy = DEFAULT_WEBHOOK_RETRY,
  ) {}

  /** Starts delivering `event`; progress lands in `log` (which the admin API shows). */
  send(event: InvoiceOpenedEvent, log: WebhookLog): void {
    const body = JSON.stringify(invoiceOpenedEventSchema.parse(event));
    Object.assign(log, { outcome: 'pending', eventId: event.eventId, url: this.target.url });
    const run = this.deliver(body, log).finally(() => this.running.delete(run));
    this.running.add(run);
  }

  /** Resolves when every delivery started so far has succeeded or given up. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  /** Stops retries and cancels calls in flight, so closing the emulator never hangs. */
  async close(): Promise<void> {
    this.closed = true;
    for (const request of this.requests) request.cancel();
    for (const wake of this.sleeps) wake();
    await this.idle();
  }

  private async deliver(body: string, log: WebhookLog): Promise<void> {
    for (let attempt = 1; attempt <= this.policy.attempts && !this.closed; attempt += 1) {
      if (attempt > 1) await this.sleep(Math.min(this.policy.maxDelayMs, this.policy.initialDelayMs * 2 ** (attempt - 2)));
      if (this.closed) break;
      const at = new Date().toISOString();
      const answer = await this.attempt(body);
      log.attempts.push({ attempt, at, ...answer });
      if (answer.status !== null && answer.status >= 200 && answer.status < 300) {
        log.outcome = 'delivered';
        return;
      }
    }
    log.outcome = this.closed ? 'stopped' : 'gave up';
  }

  private async attempt(body: string): Promise<{ status: number | null; error?: string }> {
    const request = got.post(this.target.url, {
      headers: signedHeaders(this.target.secret, body, Math.floor(Date.now() / 1000)),
      body,
      throwHttpErrors: false,
      retry: { limit: 0 },
      followRedirect: false,
      timeout: { request: this.policy.timeoutMs },
      responseType: 'text',
    });
    this.requests.add(request);
    try {
      const response = await request;
      return { status: response.statusCode };
    } catch (err) {
      return { status: null, error: err instanceof Error ? err.message : String(err) };
    } finally {
      this.requests.delete(request);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleeps.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleeps.add(wake);
    });
  }
}
