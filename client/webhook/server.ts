import type { Client } from '@temporalio/client';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify';
import type { Logger } from 'pino';
import { answer, parseEvent, signalInvoiceOpened, type WebhookAnswer } from './invoice-opened';
import type { WebhookMetrics } from './metrics';
import { RecentEvents } from './recent-events';
import { checkSignature, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './signature';

/**
 * Our end of the partner's `invoice.opened` webhook (`POST /webhooks/invoice-opened`): verifies
 * the signature over the raw bytes, the timestamp window and the body (every id's format), checks the
 * event against the invoice, then signals the invoice's workflow. Answers: 202 accepted (also for a
 * repeated eventId), 200 already recorded (the invoice was opened before: no signal), 400 bad body
 * (names the field), 401 bad/missing signature or stale timestamp, 404 unknown invoice, 409 invoice
 * takes no opening (not sent by e-mail with link yet, or past its wait), 413 body too large, 415 not
 * JSON, 422 the event's invoiceNo or deliveryId is not this invoice's, 503 Temporal unreachable (the
 * partner retries). Never a 500 for bad input. Every request to the route logs exactly one line,
 * with identifiers only.
 */
export const INVOICE_OPENED_PATH = '/webhooks/invoice-opened';

export interface WebhookServerOptions {
  temporal: Client;
  /** The HMAC secret shared with the partner. */
  secret: string;
  logger: Logger;
  /** Default 64 KiB; an `invoice.opened` event is a few hundred bytes. */
  maxBodyBytes?: number;
  /** How far the signed timestamp may be from now, either way. Default 300 s. */
  maxSkewSeconds?: number;
  now?: () => Date;
  /** Per Temporal call. Default 10 s. */
  temporalTimeoutMs?: number;
  /** How many accepted eventIds to remember. Default 10,000. */
  recentEvents?: number;
  /** Counts every answer of the invoice-opened route by status (client/webhook/metrics.ts). */
  metrics?: WebhookMetrics;
}

export function buildWebhookServer(options: WebhookServerOptions): FastifyInstance {
  const maxSkewSeconds = options.maxSkewSeconds ?? 300;
  const now = options.now ?? (() => new Date());
  const log = options.logger.child({ component: 'invoice-opened-webhook' });
  const deps = { temporal: options.temporal, recent: new RecentEvents(options.recentEvents), temporalTimeoutMs: options.temporalTimeoutMs ?? 10_000 };
  // Fastify's own request logging is off: it would log headers (the signature) and URLs.
  const app = Fastify({ logger: false, bodyLimit: options.maxBodyBytes ?? 64 * 1024, return503OnClosing: true });

  // The signature covers the exact bytes sent, so the body stays a Buffer whatever its content type.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  const send = (reply: FastifyReply, result: WebhookAnswer) => {
    const level = result.status >= 500 ? 'error' : result.status >= 400 ? 'warn' : 'info';
    log[level](result.log, `invoice-opened webhook: ${result.log.outcome}`);
    options.metrics?.countAnswer(result.status);
    return reply.code(result.status).send(result.body);
  };

  app.setErrorHandler((error: FastifyError, _request, reply) => send(reply, fromFastifyError(error)));
  app.setNotFoundHandler((_request, reply) => reply.code(404).send({ error: 'not found' }));

  app.get('/healthz', async () => ({ status: 'ok' }));

  app.post(INVOICE_OPENED_PATH, async (request, reply) => {
    const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const signed = { timestamp: request.headers[TIMESTAMP_HEADER], signature: request.headers[SIGNATURE_HEADER], rawBody };
    const check = checkSignature(signed, options.secret, Math.floor(now().getTime() / 1000), maxSkewSeconds);
    if (!check.valid) return send(reply, answer(401, { error: check.reason }, { outcome: 'unauthorized', reason: check.reason }));
    if (!isJson(request.headers['content-type'])) {
      return send(reply, answer(415, { error: 'the body must be sent as application/json' }, { outcome: 'bad request', reason: 'content type' }));
    }
    const parsed = parseEvent(rawBody);
    if (!parsed.ok) return send(reply, parsed.answer);
    return send(reply, await signalInvoiceOpened(parsed.event, parsed.workflowIds, deps));
  });

  return app;
}

/** `application/json`, optionally with parameters (`; charset=utf-8`). */
function isJson(contentType: string | undefined): boolean {
  return contentType !== undefined && /^application\/json\s*(;|$)/i.test(contentType.trim());
}

/** Errors Fastify raises before the handler runs: a body over the limit, a broken stream. */
function fromFastifyError(error: FastifyError): WebhookAnswer {
  if (error.statusCode === 413) return answer(413, { error: 'the body is larger than this webhook accepts' }, { outcome: 'too large', reason: error.code });
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    return answer(error.statusCode, { error: error.message }, { outcome: 'bad request', reason: error.code });
  }
  // Not bad input: a bug of ours. 500 is the honest answer, and the partner retries 5xx.
  return answer(500, { error: 'internal error' }, { outcome: 'failed', reason: error.message });
}
