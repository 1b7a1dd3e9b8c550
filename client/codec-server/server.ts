import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { z } from 'zod';

/**
 * The codec server the Temporal Web UI (and `temporal --codec-endpoint`) asks to decode payloads,
 * in Temporal's codec-server protocol: `POST /decode` and `POST /encode` with `{"payloads": [...]}`,
 * each payload's metadata values and data base64 (protobuf JSON). Only for those allowed: either
 * `Authorization: Bearer <CODEC_SERVER_AUTH_TOKEN>` (the CLI, a proxy that adds it) or the session
 * cookie `/login` sets after the same token was typed once (the Web UI sends it when it includes
 * credentials; it sends an Authorization header only with its own OIDC login, over https).
 * Answers: 200, 400 bad body (names what), 401 not signed in, 403 preflight from an origin not
 * allowed, 413 body too large, 415 not JSON, 422 a payload it cannot decrypt (names the key id).
 * One log line per request, without payloads or tokens.
 */

export interface CodecServerOptions {
  codec: PayloadCodec;
  /** CODEC_SERVER_AUTH_TOKEN. */
  authToken: string;
  /** The Web UI origins allowed to call from the browser (CODEC_SERVER_CORS_ORIGINS). */
  corsOrigins: readonly string[];
  logger: Logger;
  /** Default 4 MiB: the UI decodes a workflow's whole history page in one request. */
  maxBodyBytes?: number;
  /** How long a login lasts; default 8 hours (a working day). */
  sessionSeconds?: number;
  now?: () => Date;
}

export const SESSION_COOKIE = 'codec-session';
const PROTOCOL_HEADERS = 'Content-Type, X-Namespace, Authorization, Authorization-Extras';

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'expected base64');
const payloadsSchema = z.object({
  payloads: z.array(z.object({ metadata: z.record(z.string(), base64).optional(), data: base64.optional() }), 'expected {"payloads": [...]}'),
});
type JsonPayload = z.infer<typeof payloadsSchema>['payloads'][number];

class BadRequest extends Error {}

export function buildCodecServer(options: CodecServerOptions): FastifyInstance {
  const log = options.logger.child({ component: 'codec-server' });
  const now = options.now ?? (() => new Date());
  const sessionSeconds = options.sessionSeconds ?? 8 * 3600;
  const allowedOrigins = new Set(options.corsOrigins);
  // Tokens are compared as HMACs under a key of this process: equal lengths, constant time.
  const compareKey = randomBytes(32);
  const digest = (value: string) => createHmac('sha256', compareKey).update(value).digest();
  const expectedToken = digest(options.authToken);
  const sameToken = (given: string) => timingSafeEqual(digest(given), expectedToken);
  const sessionMac = (expires: number) => createHmac('sha256', options.authToken).update(`codec-session:${expires}`).digest('base64url');

  // Fastify's own request logging is off: it would log headers (the token, the cookie).
  const app = Fastify({ logger: false, bodyLimit: options.maxBodyBytes ?? 4 * 1024 * 1024, return503OnClosing: true });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, JSON.parse(String(body)) as unknown);
    } catch {
      done(new BadRequest('the body is not valid JSON'), undefined);
    }
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => done(null, new URLSearchParams(String(body))));

  const finish = (request: FastifyRequest, reply: FastifyReply, status: number, body: unknown, extra: Record<string, unknown> = {}) => {
    const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
    log[level]({ method: request.method, path: request.url.split('?')[0], status, namespace: request.headers['x-namespace'], ...extra }, 'codec request');
    return reply.code(status).send(body);
  };

  const corsHeaders = (request: FastifyRequest, reply: FastifyReply): boolean => {
    const origin = request.headers.origin;
    if (origin === undefined || !allowedOrigins.has(origin)) return false;
    reply.header('Access-Control-Allow-Origin', origin).header('Access-Control-Allow-Credentials', 'true').header('Vary', 'Origin');
    return true;
  };

  const signedIn = (request: FastifyRequest): boolean => {
    const authorization = request.headers.authorization;
    if (authorization !== undefined) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
      return match?.[1] !== undefined && sameToken(match[1]);
    }
    const cookie = cookieValue(request.headers.cookie, SESSION_COOKIE);
    const [expires, mac] = cookie?.split('.') ?? [];
    if (!expires || !mac || !/^\d+$/.test(expires) || Number(expires) * 1000 < now().getTime()) return false;
    const expected = Buffer.from(sessionMac(Number(expires)));
    const given = Buffer.from(mac);
    return given.length === expected.length && timingSafeEqual(given, expected);
  };

  app.setErrorHandler((error: FastifyError, request, reply) => {
    corsHeaders(request, reply);
    if (error instanceof BadRequest) return finish(request, reply, 400, { error: error.message });
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return finish(request, reply, 413, { error: 'the body is too large' });
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return finish(request, reply, 415, { error: 'the body must be sent as application/json' });
    if (error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || (error.statusCode !== undefined && error.statusCode < 500)) {
      return finish(request, reply, error.statusCode ?? 400, { error: 'bad request' });
    }
    log.error({ err: { message: error.message, code: error.code } }, 'codec server error');
    return finish(request, reply, 500, { error: 'internal error' });
  });
  app.setNotFoundHandler((request, reply) => finish(request, reply, 404, { error: 'not found: POST /decode or /encode' }));

  app.get('/healthz', async () => ({ status: 'ok' }));

  // The browser's preflight carries no credentials: it is answered for the allowed origins only.
  app.options('/*', (request, reply) => {
    if (!corsHeaders(request, reply)) return finish(request, reply, 403, { error: 'origin not allowed' });
    reply
      .header('Access-Control-Allow-Methods', 'POST, OPTIONS')
      .header('Access-Control-Allow-Headers', PROTOCOL_HEADERS)
      .header('Access-Control-Max-Age', '600');
    // Chrome asks before a public page calls a private address (Private Network Access).
    if (request.headers['access-control-request-private-network'] === 'true') reply.header('Access-Control-Allow-Private-Network', 'true');
    return finish(request, reply, 204, '');
  });

  // The protocol asks only the last part of the path: behind a proxy at /codec/decode, or one path
  // per namespace, it answers all the same.
  app.post('/*', async (request, reply) => {
    const direction = /\/(decode|encode)$/.exec(request.url.split('?')[0] ?? '')?.[1];
    if (direction === undefined) return finish(request, reply, 404, { error: 'not found: POST /decode or /encode' });
    corsHeaders(request, reply);
    if (!signedIn(request)) {
      reply.header('WWW-Authenticate', 'Bearer');
      return finish(request, reply, 401, { error: 'not signed in: send Authorization: Bearer <token>, or sign in at /login' });
    }
    const parsed = payloadsSchema.safeParse(request.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return finish(request, reply, 400, { error: `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}` });
    }
    const payloads = parsed.data.payloads.map(fromJson);
    let result: Payload[];
    try {
      result = direction === 'decode' ? await options.codec.decode(payloads) : await options.codec.encode(payloads);
    } catch (err) {
      // The codec's sentence names a key id at most, never key material or payload content.
      return finish(request, reply, 422, { error: err instanceof Error ? err.message : String(err) }, { count: payloads.length });
    }
    return finish(request, reply, 200, { payloads: result.map(toJson) }, { count: payloads.length });
  });

  app.get('/login', (request, reply) => {
    reply.type('text/html; charset=utf-8');
    return finish(request, reply, 200, loginPage(''));
  });

  app.post('/login', (request, reply) => {
    const token = request.body instanceof URLSearchParams ? request.body.get('token') ?? '' : '';
    reply.type('text/html; charset=utf-8');
    if (!sameToken(token)) return finish(request, reply, 401, loginPage('That is not the codec server token.'));
    const expires = Math.floor(now().getTime() / 1000) + sessionSeconds;
    const secure = request.protocol === 'https' ? '; Secure' : '';
    // SameSite=Lax: the UI on another port of the same host is the same site, so its fetches carry it.
    reply.header('Set-Cookie', `${SESSION_COOKIE}=${expires}.${sessionMac(expires)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${sessionSeconds}${secure}`);
    return finish(request, reply, 200, loginPage('Signed in: the Web UI now shows decoded payloads (for 8 hours).'));
  });

  return app;
}

function fromJson(payload: JsonPayload): Payload {
  const metadata: Record<string, Uint8Array> = {};
  for (const [name, value] of Object.entries(payload.metadata ?? {})) metadata[name] = new Uint8Array(Buffer.from(value, 'base64'));
  return { metadata, data: new Uint8Array(Buffer.from(payload.data ?? '', 'base64')) };
}

function toJson(payload: Payload): JsonPayload {
  const metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(payload.metadata ?? {})) metadata[name] = Buffer.from(value).toString('base64');
  return { metadata, data: Buffer.from(payload.data ?? new Uint8Array()).toString('base64') };
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

function loginPage(message: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Codec server: sign in</title></head><body>
<h1>Temporal codec server</h1>
<p>Sign in to let the Temporal Web UI in this browser show decoded payloads.</p>
<form method="post" action="/login"><label>Token <input type="password" name="token" autocomplete="current-password" required></label> <button type="submit">Sign in</button></form>
<p role="status">${message}</p>
</body></html>`;
}
