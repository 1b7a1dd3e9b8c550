import type { FastifyInstance } from 'fastify';
import { FaultInjector } from '../../faults';
import { createApiApp, isAdmin } from '../http/api-app';
import type { CallLog } from '../http/call-log';
import type { SlidingWindowRateLimit } from '../http/rate-limit';
import { clientIdFromHeaders, registerTokenRoute } from '../http/token-route';
import { bearerToken, parseBasicAuth, type TokenStore } from '../http/tokens';
import { V1_FACTORING_PRIVILEGE } from '../seed-defaults';
import type { EmulatorState } from '../state';
import { registerFactoringRoutes } from './factoring-routes';

/**
 * The v1 listener (api.poweroffice.net): token endpoint and the Factoring service. 401 for a
 * missing or expired token, 403 when the client has blocked the Factoring privilege (the token's
 * `goInvalidPrivileges`, v1 reference §1), 429 above 50 requests/s per application key.
 */
export interface V1Dependencies {
  state: EmulatorState;
  tokens: TokenStore;
  callLog: CallLog;
  rateLimit: SlidingWindowRateLimit;
  /** Kept from the previous listener on a restart (settings and counts); a new injector otherwise. */
  faults?: FaultInjector;
  logger: boolean;
}

/** APIM's throttling body as the reference quotes it (reference §2); v1 documents none of its own. */
export const throttledBody = (seconds: number) => ({ statusCode: '429', message: `Rate limit is exceeded. Try again in ${seconds} seconds.` });

const v1FaultBody = (status: number, retryAfterSeconds: number) => (status === 429 ? throttledBody(retryAfterSeconds) : { message: 'An error has occurred.' });

export function buildV1App(deps: V1Dependencies): { app: FastifyInstance; faults: FaultInjector } {
  const { state, tokens } = deps;
  const faults = deps.faults ?? new FaultInjector(Math.random, v1FaultBody);
  const app = createApiApp({
    api: 'v1',
    logger: deps.logger,
    callLog: deps.callLog,
    faults,
    rateLimit: deps.rateLimit,
    throttledBody,
    identify: (request) => {
      const token = bearerToken(request.headers.authorization);
      const applicationKey = token ? tokens.find(token)?.applicationKey : parseBasicAuth(request.headers.authorization)?.applicationKey;
      return {
        clientId: clientIdFromHeaders(state, tokens, request.headers.authorization),
        rateKey: applicationKey === state.applicationKey ? applicationKey : null,
      };
    },
  });

  app.addHook('preHandler', async (request, reply) => {
    if (isAdmin(request) || request.routeOptions.config.tokenEndpoint) return;
    const token = bearerToken(request.headers.authorization);
    const session = token ? tokens.find(token) : undefined;
    const company = session && tokens.isLive(session) ? state.byClientId(session.clientId) : undefined;
    if (!company) return reply.code(401).send({ message: 'Authorization has been denied for this request.' });
    if (company.integration.InvalidPrivileges.includes(V1_FACTORING_PRIVILEGE)) {
      return reply.code(403).send({ message: `Unauthorized access: the integration lacks the privilege ${V1_FACTORING_PRIVILEGE} on this client.` });
    }
    request.company = company;
  });

  // A body that is not JSON at all is not a "well-formed request": plain 400, as ASP.NET Web API answers.
  app.setErrorHandler(async (error: { statusCode?: number; message: string }, _request, reply) => {
    const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 500;
    return reply.code(status).send({ message: status < 500 ? 'The request is invalid.' : 'An error has occurred.', messageDetail: error.message });
  });

  registerTokenRoute(app, state, tokens, (company) => ({ goInvalidPrivileges: company.integration.InvalidPrivileges }));
  registerFactoringRoutes(app);
  return { app, faults };
}
