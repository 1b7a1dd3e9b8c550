import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { FaultInjector } from '../../faults';
import { createApiApp, isAdmin } from '../http/api-app';
import type { CallLog } from '../http/call-log';
import type { SlidingWindowRateLimit } from '../http/rate-limit';
import { clientIdFromHeaders, registerTokenRoute } from '../http/token-route';
import { bearerToken, type TokenStore } from '../http/tokens';
import type { CompanyState, EmulatorState } from '../state';
import { throttledBody } from '../v1/app';
import { problemBody, sendProblem, sendValidationProblem } from './problem';
import { registerReadRoutes } from './read-routes';
import { registerVoucherRoutes } from './voucher-routes';

/**
 * The v2 listener (goapi.poweroffice.net): `/OAuth/Token` and the API under `/v2`. In front of it,
 * like Azure API Management in front of the real one: the `Ocp-Apim-Subscription-Key` (header, or
 * `subscription-key` in the query) on every call, the token call included, and 10 requests/s per
 * subscription key across all client keys. Then the API: 401 for a missing or expired token, 403
 * when none of the operation's "Auth roles" is a valid privilege of the client.
 */
export interface V2Dependencies {
  state: EmulatorState;
  tokens: TokenStore;
  callLog: CallLog;
  rateLimit: SlidingWindowRateLimit;
  /** Kept from the previous listener on a restart (settings and counts); a new injector otherwise. */
  faults?: FaultInjector;
  logger: boolean;
}

export const V2_PREFIX = '/v2';

/** A v2 API route as served, for contract tests: every one must exist in the spec with the same Auth roles. */
export interface ServedRoute {
  method: string;
  /** Fastify pattern, e.g. `/v2/Customers/:id`. */
  url: string;
  privileges: readonly string[];
}

/** APIM's own 401 bodies; the `statusCode` string follows the reference's quoted 429 body. */
const MISSING_KEY = { statusCode: '401', message: 'Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.' };
const INVALID_KEY = { statusCode: '401', message: 'Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.' };

export function subscriptionKeyOf(request: FastifyRequest): string | undefined {
  const header = request.headers['ocp-apim-subscription-key'];
  if (typeof header === 'string' && header !== '') return header;
  const query = (request.query ?? {}) as Record<string, unknown>;
  return typeof query['subscription-key'] === 'string' ? query['subscription-key'] : undefined;
}

function isAllowed(company: CompanyState, privileges: readonly string[]): boolean {
  const { ValidPrivileges, InvalidPrivileges } = company.integration;
  return privileges.some((p) => ValidPrivileges.includes(p) && !InvalidPrivileges.includes(p));
}

async function authenticate(deps: V2Dependencies, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
  if (isAdmin(request)) return undefined;
  const key = subscriptionKeyOf(request);
  if (!key) return reply.code(401).send(MISSING_KEY);
  if (key !== deps.state.subscriptionKey) return reply.code(401).send(INVALID_KEY);
  if (request.routeOptions.config.tokenEndpoint) return undefined;
  const token = bearerToken(request.headers.authorization);
  const session = token ? deps.tokens.find(token) : undefined;
  const company = session && deps.tokens.isLive(session) ? deps.state.byClientId(session.clientId) : undefined;
  if (!company) {
    const challenge = session ? 'Bearer error="invalid_token", error_description="The token expired"' : 'Bearer';
    return reply.code(401).header('www-authenticate', challenge).send();
  }
  const privileges = request.routeOptions.config.privileges;
  if (privileges && !isAllowed(company, privileges)) {
    return sendProblem(request, reply, 403, 'Missing privilege', `The integration does not have the required privilege (${privileges.join(' or ')}) on client ${company.clientId}.`);
  }
  request.company = company;
  return undefined;
}

const v2FaultBody = (status: number, retryAfterSeconds: number) => (status === 429 ? throttledBody(retryAfterSeconds) : { type: 'about:blank', title: 'An error occurred while processing your request.', status });

export function buildV2App(deps: V2Dependencies): { app: FastifyInstance; faults: FaultInjector; routes: ServedRoute[] } {
  const { state, tokens } = deps;
  const faults = deps.faults ?? new FaultInjector(Math.random, v2FaultBody);
  const app = createApiApp({
    api: 'v2',
    logger: deps.logger,
    callLog: deps.callLog,
    faults,
    rateLimit: deps.rateLimit,
    throttledBody,
    identify: (request) => {
      const key = subscriptionKeyOf(request);
      return { clientId: clientIdFromHeaders(state, tokens, request.headers.authorization), rateKey: key === state.subscriptionKey ? key : null };
    },
  });
  // The spec lists these request content types for every JSON body.
  app.addContentTypeParser(['text/json', 'application/json-patch+json'], { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'));
  app.addContentTypeParser(/^application\/[\w.-]+\+json$/, { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'));
  app.addHook('preHandler', async (request, reply) => authenticate(deps, request, reply));

  app.setErrorHandler(async (error: { statusCode?: number; message: string }, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status === 400) return sendValidationProblem(request, reply, { $: [error.message] });
    if (status < 500) return sendProblem(request, reply, status, 'Bad request', error.message);
    return reply.code(500).type('application/problem+json; charset=utf-8').send(problemBody(request, 500, 'An error occurred while processing your request.'));
  });

  const routes: ServedRoute[] = [];
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods.filter((m) => m !== 'HEAD')) {
      if (route.url.startsWith(`${V2_PREFIX}/`)) routes.push({ method, url: route.url, privileges: route.config?.privileges ?? [] });
    }
  });

  registerTokenRoute(app, state, tokens, () => ({}));
  void app.register(
    async (api) => {
      registerReadRoutes(api);
      registerVoucherRoutes(api);
    },
    { prefix: V2_PREFIX },
  );
  return { app, faults, routes };
}
