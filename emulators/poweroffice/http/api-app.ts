import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { FaultInjector } from '../../faults';
import type { CompanyState } from '../state';
import type { ApiName, CallLog, RecordedCall } from './call-log';
import type { SlidingWindowRateLimit } from './rate-limit';

/**
 * What both PowerOffice listeners (v1, v2) share: ASP.NET-like routing (paths case-insensitive,
 * trailing slash optional), the call log, the rate limit and fault injection, in that order, on
 * every request outside the admin API.
 */
export const ADMIN_PREFIX = '/_emulator';

/** Who is calling, as far as the headers tell before authentication proper. */
export interface Identity {
  clientId: string | null;
  /** The rate-limit bucket: v2 subscription key, v1 application key; null when not a known key. */
  rateKey: string | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    emulatorCall: RecordedCall | null;
    /** The authenticated client company; set by the API's auth hook. */
    company: CompanyState | null;
  }
  interface FastifyContextConfig {
    /** v2 "Auth roles": any one of them grants access (spec operation summaries). */
    privileges?: readonly string[];
    /** The OAuth token route: no bearer token expected. */
    tokenEndpoint?: boolean;
  }
}

export interface ApiAppOptions {
  api: ApiName;
  logger: boolean;
  callLog: CallLog;
  faults: FaultInjector;
  rateLimit: SlidingWindowRateLimit;
  identify: (request: FastifyRequest) => Identity;
  /** The 429 body; the `Retry-After` header is set for it. */
  throttledBody: (retryAfterSeconds: number) => unknown;
}

export function isAdmin(request: FastifyRequest): boolean {
  return request.url.startsWith(ADMIN_PREFIX);
}

export function companyOf(request: FastifyRequest): CompanyState {
  if (!request.company) throw new Error(`${request.method} ${request.url} reached its handler without an authenticated company`);
  return request.company;
}

export function createApiApp(options: ApiAppOptions): FastifyInstance {
  const app = Fastify({
    logger: options.logger,
    routerOptions: { ignoreTrailingSlash: true, caseSensitive: false },
    // An injected hang must not hold close() up; the emulator's own connections only.
    forceCloseConnections: true,
    // Delivered PDFs travel base64 in JSON.
    bodyLimit: 50 * 1024 * 1024,
  });
  app.decorateRequest('emulatorCall', null);
  app.decorateRequest('company', null);

  app.addHook('onRequest', async (request, reply) => {
    if (isAdmin(request)) return;
    const identity = options.identify(request);
    request.emulatorCall = options.callLog.record({
      api: options.api,
      method: request.method,
      route: request.routeOptions.url ?? '(no route)',
      path: request.url.split('?')[0] ?? request.url,
      clientId: identity.clientId,
    });
    if (identity.rateKey === null) return;
    const decision = options.rateLimit.hit(identity.rateKey);
    if (decision.allowed) return;
    await throttled(reply, decision.retryAfterSeconds, options.throttledBody);
  });
  options.faults.install(app, ADMIN_PREFIX);
  app.addHook('onResponse', async (request, reply) => {
    if (request.emulatorCall) request.emulatorCall.status = reply.statusCode;
  });

  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });
  return app;
}

async function throttled(reply: FastifyReply, retryAfterSeconds: number, body: (seconds: number) => unknown): Promise<void> {
  await reply.code(429).header('retry-after', String(retryAfterSeconds)).send(body(retryAfterSeconds));
}
