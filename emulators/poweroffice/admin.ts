import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { FaultInjector } from '../faults';
import { seedCompanySchema, seedInvoiceSchema } from './fixture-schema';
import { ADMIN_PREFIX } from './http/api-app';
import type { ApiName, CallLog } from './http/call-log';
import type { SlidingWindowRateLimit } from './http/rate-limit';
import type { TokenStore } from './http/tokens';
import { seedCustomerSchema } from './seed-v2';
import { type CompanyState, type EmulatorState, type InvoiceRecord, SeedError } from './state';
import { factoringInvoiceDetails } from './v1/envelope';

/**
 * The admin API under /_emulator, served on both listeners over the same state (so a test needs
 * only one base URL). The one exception: `POST /_emulator/faults` configures the listener it is
 * called on; `POST /_emulator/faults/v1|v2` names the listener. Never rate limited, faulted or
 * counted. Route list: `GET /_emulator`, and emulators/poweroffice/README.md.
 */
export interface AdminTarget {
  state: EmulatorState;
  callLog: CallLog;
  faults: Record<ApiName, FaultInjector>;
  rateLimits: Record<ApiName, SlidingWindowRateLimit>;
  tokens: Record<ApiName, TokenStore>;
}

const apiSchema = z.enum(['v1', 'v2']);
const rateSettingsSchema = z.strictObject({ limit: z.number().int().min(1).optional(), windowMs: z.number().int().min(1).max(3_600_000).optional() });
const rateLimitsSchema = z.strictObject({ v1: rateSettingsSchema.optional(), v2: rateSettingsSchema.optional() });
const privilegesSchema = z.strictObject({
  ActiveClientSubscriptions: z.array(z.string()).optional(),
  ValidPrivileges: z.array(z.string()).optional(),
  InvalidPrivileges: z.array(z.string()).optional(),
});
const callFilterSchema = z.object({ api: apiSchema.optional(), clientId: z.string().optional(), method: z.string().optional(), route: z.string().optional() });
const voucherFilterSchema = z.object({ kind: z.enum(['BankJournals', 'ManualJournals']).optional() });

export const ADMIN_ROUTES = [
  'GET    /_emulator                                   this list',
  'GET    /_emulator/calls                             counts: v1 per "METHOD path", per route × client × status, tokens issued, faults injected',
  'GET    /_emulator/calls/log?api=&clientId=&method=&route=   every recorded call',
  'DELETE /_emulator/calls                             forget recorded calls',
  'GET    /_emulator/faults                            fault settings and counts of both listeners (afterProcessing: answers lost after the write)',
  'POST   /_emulator/faults                            configure faults of the listener called',
  'POST   /_emulator/faults/v1 | /_emulator/faults/v2  configure faults of that listener',
  'GET    /_emulator/rate-limits                       limits and, per key, requests, throttled, maxRequestsInAnyWindow',
  'PUT    /_emulator/rate-limits                       {v1?: {limit?, windowMs?}, v2?: {…}}',
  'DELETE /_emulator/rate-limits                       reset the counts',
  'POST   /_emulator/tokens/expire                     every token issued so far stops working',
  'GET    /_emulator/companies                         one line per client',
  'POST   /_emulator/companies                         add a client (seed company shape)',
  'GET    /_emulator/companies/:clientId               everything about one client',
  'PUT    /_emulator/companies/:clientId/privileges    {ValidPrivileges?, InvalidPrivileges?, ActiveClientSubscriptions?}',
  'GET    /_emulator/companies/:clientId/invoices      invoices with delivery (KID, file), status history, delivered calls',
  'POST   /_emulator/companies/:clientId/invoices      add invoices (seed invoice shape, optional ehfXml)',
  'GET    /_emulator/companies/:clientId/deliveries    what Factoring/delivered recorded: KID, comment, file',
  'POST   /_emulator/companies/:clientId/customers     add customers (CustomerDto shape)',
  'GET    /_emulator/companies/:clientId/vouchers?kind= posted vouchers and the bodies received',
];

function invoiceState(record: InvoiceRecord) {
  return { ...factoringInvoiceDetails(record), delivery: record.delivery, statusHistory: record.statusHistory, deliveredCalls: record.deliveredCalls, ehfXml: record.ehfXml };
}

function deliveryOf(record: InvoiceRecord) {
  return { invoiceId: record.invoice.id, invoiceNo: record.invoice.invoiceNo, deliveredCalls: record.deliveredCalls, ...record.delivery };
}

function companySummary(company: CompanyState) {
  return {
    clientId: company.clientId,
    name: company.name,
    invoices: company.invoices.length,
    delivered: company.invoices.filter((r) => r.invoice.isDelivered).length,
    customers: company.customers.length,
    vouchers: company.vouchers.size,
  };
}

function vouchersOf(company: CompanyState, kind?: string) {
  return [...company.vouchers.values()].filter((v) => !kind || v.kind === kind).map((v) => ({ kind: v.kind, voucher: v.dto, request: v.request }));
}

/** Admin input errors: 400 with what was wrong, not a 500. */
function refused(reply: FastifyReply, err: unknown): FastifyReply {
  if (err instanceof z.ZodError) return reply.code(400).send({ error: z.prettifyError(err) });
  if (err instanceof SeedError) return reply.code(400).send({ error: err.message });
  throw err;
}

function registerCompanyRoutes(app: FastifyInstance, { state }: AdminTarget): void {
  const withCompany = (clientId: string, reply: FastifyReply, then: (company: CompanyState) => unknown) => {
    const company = state.byClientId(clientId);
    if (!company) return reply.code(404).send({ error: `unknown clientId ${clientId}` });
    try {
      return then(company);
    } catch (err) {
      return refused(reply, err);
    }
  };
  type ById = { Params: { clientId: string } };

  app.get(`${ADMIN_PREFIX}/companies`, async () => ({ companies: state.all().map(companySummary) }));
  app.post(`${ADMIN_PREFIX}/companies`, async (request, reply) => {
    try {
      return reply.code(201).send(companySummary(state.addCompany(seedCompanySchema.parse(request.body))));
    } catch (err) {
      return refused(reply, err);
    }
  });
  app.get<ById>(`${ADMIN_PREFIX}/companies/:clientId`, async (request, reply) =>
    withCompany(request.params.clientId, reply, (company) => ({
      ...companySummary(company),
      organizationNumber: company.organizationNumber,
      integration: company.integration,
      invoices: company.invoices.map(invoiceState),
      customers: company.customers,
      vouchers: vouchersOf(company),
    })),
  );
  app.put<ById>(`${ADMIN_PREFIX}/companies/:clientId/privileges`, async (request, reply) =>
    withCompany(request.params.clientId, reply, (company) => {
      company.integration = { ...company.integration, ...privilegesSchema.parse(request.body) };
      return company.integration;
    }),
  );
  app.get<ById>(`${ADMIN_PREFIX}/companies/:clientId/invoices`, async (request, reply) => withCompany(request.params.clientId, reply, (company) => ({ invoices: company.invoices.map(invoiceState) })));
  app.post<ById>(`${ADMIN_PREFIX}/companies/:clientId/invoices`, async (request, reply) =>
    withCompany(request.params.clientId, reply, (company) => reply.code(201).send({ added: company.addInvoices(seedInvoiceSchema.array().parse(request.body)).length })),
  );
  app.get<ById>(`${ADMIN_PREFIX}/companies/:clientId/deliveries`, async (request, reply) =>
    withCompany(request.params.clientId, reply, (company) => ({ deliveries: company.invoices.filter((r) => r.delivery).map(deliveryOf) })),
  );
  app.post<ById>(`${ADMIN_PREFIX}/companies/:clientId/customers`, async (request, reply) =>
    withCompany(request.params.clientId, reply, (company) => reply.code(201).send({ added: company.addCustomers(seedCustomerSchema.array().parse(request.body)) })),
  );
  app.get<ById>(`${ADMIN_PREFIX}/companies/:clientId/vouchers`, async (request, reply) =>
    withCompany(request.params.clientId, reply, (company) => ({ vouchers: vouchersOf(company, voucherFilterSchema.parse(request.query).kind) })),
  );
}

function registerTrafficRoutes(app: FastifyInstance, target: AdminTarget, ownApi: ApiName): void {
  const { callLog, faults, rateLimits, tokens } = target;
  app.get(`${ADMIN_PREFIX}/calls`, async () => ({
    calls: Object.fromEntries(callLog.v1ByPath),
    byRoute: callLog.byRoute(),
    tokensIssued: tokens.v1.issued + tokens.v2.issued,
    tokensIssuedByClient: { v1: Object.fromEntries(tokens.v1.issuedByClient), v2: Object.fromEntries(tokens.v2.issuedByClient) },
    faultsInjected: faults.v1.injected + faults.v2.injected,
    answersLostAfterProcessing: faults.v1.afterProcessing.injected + faults.v2.afterProcessing.injected,
  }));
  app.get(`${ADMIN_PREFIX}/calls/log`, async (request, reply) => {
    const filter = callFilterSchema.safeParse(request.query);
    if (!filter.success) return refused(reply, filter.error);
    const { api, clientId, method, route } = filter.data;
    const calls = callLog.entries.filter((c) => (!api || c.api === api) && (!clientId || c.clientId === clientId) && (!method || c.method === method.toUpperCase()) && (!route || c.route.toLowerCase() === route.toLowerCase()));
    return { calls };
  });
  app.delete(`${ADMIN_PREFIX}/calls`, async () => {
    callLog.reset();
    return { reset: true };
  });

  const configure = (api: ApiName, body: unknown, reply: FastifyReply) => {
    try {
      return faults[api].configure(body ?? {});
    } catch (err) {
      return refused(reply, err);
    }
  };
  app.get(`${ADMIN_PREFIX}/faults`, async () => ({ v1: faults.v1.settings, v2: faults.v2.settings, injected: { v1: faults.v1.injected, v2: faults.v2.injected },
    afterProcessing: { v1: faults.v1.afterProcessing, v2: faults.v2.afterProcessing },
  }));
  app.post(`${ADMIN_PREFIX}/faults`, async (request, reply) => configure(ownApi, request.body, reply));
  app.post<{ Params: { api: string } }>(`${ADMIN_PREFIX}/faults/:api`, async (request, reply) => {
    const api = apiSchema.safeParse(request.params.api);
    return api.success ? configure(api.data, request.body, reply) : reply.code(404).send({ error: 'faults/v1 or faults/v2' });
  });

  const limits = () => Object.fromEntries((['v1', 'v2'] as const).map((api) => [api, { ...rateLimits[api].settings, keys: rateLimits[api].stats() }]));
  app.get(`${ADMIN_PREFIX}/rate-limits`, async () => limits());
  app.put(`${ADMIN_PREFIX}/rate-limits`, async (request, reply) => {
    const parsed = rateLimitsSchema.safeParse(request.body ?? {});
    if (!parsed.success) return refused(reply, parsed.error);
    for (const api of ['v1', 'v2'] as const) rateLimits[api].settings = { ...rateLimits[api].settings, ...parsed.data[api] };
    return limits();
  });
  app.delete(`${ADMIN_PREFIX}/rate-limits`, async () => {
    rateLimits.v1.reset();
    rateLimits.v2.reset();
    return limits();
  });
  app.post(`${ADMIN_PREFIX}/tokens/expire`, async () => ({ expired: tokens.v1.expireAll() + tokens.v2.expireAll() }));
}

export function registerAdminRoutes(app: FastifyInstance, target: AdminTarget, ownApi: ApiName): void {
  app.get(ADMIN_PREFIX, async () => ({ listener: ownApi, routes: ADMIN_ROUTES }));
  registerTrafficRoutes(app, target, ownApi);
  registerCompanyRoutes(app, target);
}
