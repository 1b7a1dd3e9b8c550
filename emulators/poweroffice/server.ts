import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { FaultInjector } from '../faults';
import { type PowerOfficeSeed, type SeedCompany, type SeedInvoice, seedInvoiceSchema } from './fixture-schema';
import { applyOData, ODataError } from './odata';

/**
 * A stand-in for PowerOffice GO that speaks the v1 Factoring contract over real HTTP
 * (../shared/reference/poweroffice-v1-factoring.md): OAuth2 client credentials, the `{data,
 * success}` wrapper, errors as HTTP 200 with `success: false`, 204 for nothing, 401 for a bad token.
 * Each client key sees its own company. Admin routes under /_emulator let tests and the demo
 * seed data, inject faults and count calls.
 */
export const ADMIN_PREFIX = '/_emulator';

interface Company extends SeedCompany {
  availableInvoices: SeedInvoice[];
}

export interface PowerOfficeEmulatorOptions {
  seed: PowerOfficeSeed;
  /** Seconds a token lives; PowerOffice says 599 or 1200 depending on the page, so tests vary it. */
  tokenLifetimeSeconds?: number;
  logger?: boolean;
}

export interface PowerOfficeEmulator {
  app: FastifyInstance;
  faults: FaultInjector;
  /** Calls per "METHOD path" (query string left out), admin routes excluded. */
  calls: Map<string, number>;
  tokensIssued: number;
}

function v1Failure(reply: FastifyReply, summary: string, exception: string) {
  return reply.code(200).send({ success: false, validation: { errorLogReference: randomBytes(8).toString('hex'), summary, exception } });
}

export function buildPowerOfficeEmulator(options: PowerOfficeEmulatorOptions): PowerOfficeEmulator {
  const app = Fastify({ logger: options.logger ?? false });
  const faults = new FaultInjector();
  const companies = new Map<string, Company>(options.seed.companies.map((c) => [c.clientKey, structuredClone(c)]));
  const tokens = new Map<string, { clientKey: string; expiresAt: number }>();
  const lifetime = options.tokenLifetimeSeconds ?? 1200;
  const emulator: PowerOfficeEmulator = { app, faults, calls: new Map(), tokensIssued: 0 };

  app.addHook('onRequest', async (request) => {
    if (request.url.startsWith(ADMIN_PREFIX)) return;
    const key = `${request.method} ${request.url.split('?')[0]}`;
    emulator.calls.set(key, (emulator.calls.get(key) ?? 0) + 1);
  });
  faults.install(app, ADMIN_PREFIX);

  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  app.post('/OAuth/Token', async (request, reply) => {
    const form = (request.body ?? {}) as Record<string, string>;
    if (form.grant_type !== 'client_credentials') return reply.code(400).send({ error: 'unsupported_grant_type' });
    const [scheme, encoded] = (request.headers.authorization ?? '').split(' ');
    const [applicationKey, clientKey] = Buffer.from(encoded ?? '', 'base64').toString('utf8').split(':');
    if (scheme !== 'Basic' || applicationKey !== options.seed.applicationKey || !clientKey || !companies.has(clientKey)) {
      return reply.code(400).send({ error: 'invalid_client' });
    }
    const token = randomBytes(24).toString('base64url');
    tokens.set(token, { clientKey, expiresAt: Date.now() + lifetime * 1000 });
    emulator.tokensIssued += 1;
    return reply.send({ access_token: token, token_type: 'bearer', expires_in: lifetime });
  });

  function companyOf(request: FastifyRequest, reply: FastifyReply): Company | undefined {
    const [scheme, token] = (request.headers.authorization ?? '').split(' ');
    const session = scheme === 'Bearer' && token ? tokens.get(token) : undefined;
    if (!session || session.expiresAt <= Date.now()) {
      void reply.code(401).send({ message: 'Authorization has been denied for this request.' });
      return undefined;
    }
    return companies.get(session.clientKey);
  }

  app.get('/Factoring/AvailableInvoices/', async (request, reply) => {
    const company = companyOf(request, reply);
    if (!company) return reply;
    const available = company.availableInvoices.filter((i) => !i.isDelivered && i.factoringInvoiceStatus === 1);
    try {
      const { page, count } = applyOData(available, request.query as Record<string, string>);
      if (page.length === 0) return reply.code(204).send();
      return reply.send({ data: page, count, success: true });
    } catch (err) {
      if (err instanceof ODataError) return v1Failure(reply, err.message, 'OData');
      throw err;
    }
  });

  app.post(`${ADMIN_PREFIX}/companies/:clientId/invoices`, async (request, reply) => {
    const company = [...companies.values()].find((c) => c.clientId === (request.params as { clientId: string }).clientId);
    if (!company) return reply.code(404).send({ error: 'unknown clientId' });
    const invoices = seedInvoiceSchema.array().parse(request.body);
    company.availableInvoices.push(...invoices);
    return reply.code(201).send({ added: invoices.length });
  });
  app.post(`${ADMIN_PREFIX}/faults`, async (request) => faults.configure(request.body ?? {}));
  app.get(`${ADMIN_PREFIX}/calls`, async () => ({ calls: Object.fromEntries(emulator.calls), tokensIssued: emulator.tokensIssued, faultsInjected: faults.injected }));

  return emulator;
}
