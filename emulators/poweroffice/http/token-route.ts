import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { CompanyState, EmulatorState } from '../state';
import { parseBasicAuth, type TokenStore } from './tokens';

/**
 * `POST /OAuth/Token`, OAuth 2.0 client credentials (RFC 6749 §4.4): Basic
 * base64(applicationKey:clientKey), form body `grant_type=client_credentials`. Errors are RFC 6749
 * §5.2 bodies with PowerOffice's wording (reference §2).
 */
const tokenFormSchema = z.object({ grant_type: z.string().optional() }).loose();

export function registerTokenRoute(app: FastifyInstance, state: EmulatorState, tokens: TokenStore, claims: (company: CompanyState) => Record<string, unknown>): void {
  app.post('/OAuth/Token', { config: { tokenEndpoint: true } }, async (request, reply) => {
    const form = tokenFormSchema.safeParse(request.body ?? {});
    const grantType = form.success ? form.data.grant_type : undefined;
    if (!grantType) return reply.code(400).send({ error: 'invalid_request', error_description: 'The grant_type parameter is missing (form body grant_type=client_credentials).' });
    if (grantType !== 'client_credentials') return reply.code(400).send({ error: 'unsupported_grant_type' });
    const keys = parseBasicAuth(request.headers.authorization);
    const company = keys && keys.applicationKey === state.applicationKey ? state.byClientKey(keys.clientKey) : undefined;
    if (!keys || !company) {
      return reply.code(400).send({ error: 'invalid_client', error_description: 'Client integration not found. Please ensure the provided keys are matching the desired environment.' });
    }
    return reply.send(tokens.issue({ clientId: company.clientId, clientKey: company.clientKey, applicationKey: keys.applicationKey }, claims(company)));
  });
}

/** The client a token or Basic header names, for counting calls before authentication. */
export function clientIdFromHeaders(state: EmulatorState, tokens: TokenStore, authorization: string | undefined): string | null {
  const [scheme, credential] = (authorization ?? '').split(' ');
  if (scheme?.toLowerCase() === 'bearer' && credential) return tokens.find(credential)?.clientId ?? null;
  const keys = parseBasicAuth(authorization);
  return keys ? (state.byClientKey(keys.clientKey)?.clientId ?? null) : null;
}
