import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { companyOf } from '../http/api-app';
import { isAfter, parseInstantFilter, parseNumberRanges, parsePositiveIds } from './filters';
import { sendList } from './list-response';
import { notFound, sendValidationProblem } from './problem';
import { bindQuery, booleanParam, resourceParametersShape, withFilters } from './query';

/**
 * The v2 read routes the service uses: ClientIntegrationInformation, Customers, GeneralLedgerAccounts
 * and VatCodes, with the filters the spec lists for them. Privileges are each operation's
 * "Auth roles" in the spec (reference §3); any one of them grants access.
 */
export const READ_PRIVILEGES = {
  customers: ['Customer', 'Customer_Full'],
  accounts: ['GeneralLedgerAccount', 'GeneralLedgerAccount_Full'],
  vatCodes: ['CommonServices', 'CommonServices_Full'],
} as const;

const customersQuery = {
  customerNos: z.string().optional(),
  externalNos: z.string().optional(),
  externalImportReference: z.string().optional(),
  contactGroupIds: z.string().optional(),
  lastChangedDateTimeOffsetGreaterThan: z.string().optional(),
  customerCreatedDateTimeOffsetGreaterThan: z.string().optional(),
  ...resourceParametersShape,
};

const accountsQuery = {
  accountNos: z.string().optional(),
  agricultureDepartments: z.string().optional(),
  lastChangedDateTimeOffsetGreaterThan: z.string().optional(),
  ...resourceParametersShape,
};

const vatCodesQuery = {
  includeExpired: booleanParam('includeExpired').optional(),
  isActive: booleanParam('isActive').optional(),
  ...resourceParametersShape,
};

const byNumber = <T>(key: keyof T) => (a: T, b: T) => Number(a[key]) - Number(b[key]);

/** A path id that must bind to int64; otherwise ASP.NET's 400. */
function int64Param(request: FastifyRequest, reply: FastifyReply): number | undefined {
  const { id } = request.params as { id: string };
  if (/^\d{1,18}$/.test(id)) return Number(id);
  sendValidationProblem(request, reply, { id: [`The value '${id}' is not valid.`] });
  return undefined;
}

async function listCustomers(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const query = bindQuery(request, reply, customersQuery);
  if (!query) return reply;
  const filters = withFilters(request, reply, () => ({
    numbers: parseNumberRanges('customerNos', query.customerNos),
    externalNos: parseNumberRanges('externalNos', query.externalNos),
    groups: parsePositiveIds('contactGroupIds', query.contactGroupIds),
    changedAfter: parseInstantFilter('lastChangedDateTimeOffsetGreaterThan', query.lastChangedDateTimeOffsetGreaterThan),
    createdAfter: parseInstantFilter('customerCreatedDateTimeOffsetGreaterThan', query.customerCreatedDateTimeOffsetGreaterThan),
  }));
  if (!filters) return reply;
  const customers = companyOf(request).customers;
  const knownGroups = new Set(customers.flatMap((c) => c.ContactGroupIds ?? []));
  const unknownGroups = (filters.groups ?? []).filter((g) => !knownGroups.has(g));
  if (unknownGroups.length > 0) return notFound(request, reply, `Could not find contact group(s) with id = ${unknownGroups.join(', ')}.`);
  const reference = query.externalImportReference?.trim();
  const rows = customers
    .filter((c) => !filters.numbers || (c.Number !== null && filters.numbers(c.Number)))
    .filter((c) => !filters.externalNos || (c.ExternalNumber !== null && filters.externalNos(c.ExternalNumber)))
    .filter((c) => !reference || c.ExternalImportReference === reference)
    .filter((c) => !filters.groups || (c.ContactGroupIds ?? []).some((g) => filters.groups?.includes(g)))
    .filter((c) => !filters.changedAfter || isAfter(c.LastChangedDateTimeOffset, filters.changedAfter))
    .filter((c) => !filters.createdAfter || isAfter(c.CustomerCreatedDateTimeOffset, filters.createdAfter))
    .sort(byNumber('Number'));
  return sendList(request, reply, rows, query);
}

async function listAccounts(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const query = bindQuery(request, reply, accountsQuery);
  if (!query) return reply;
  const filters = withFilters(request, reply, () => ({
    numbers: parseNumberRanges('accountNos', query.accountNos),
    changedAfter: parseInstantFilter('lastChangedDateTimeOffsetGreaterThan', query.lastChangedDateTimeOffsetGreaterThan),
  }));
  if (!filters) return reply;
  const departments = query.agricultureDepartments?.split(',').map((d) => d.trim().toLowerCase()).filter((d) => d !== '');
  const rows = companyOf(request)
    .accounts.filter((a) => !filters.numbers || filters.numbers(a.AccountNo))
    .filter((a) => !filters.changedAfter || isAfter(a.LastChangedDateTimeOffset, filters.changedAfter))
    .filter((a) => !departments?.length || departments.includes(String(a.AgricultureDepartment).toLowerCase()))
    .sort(byNumber('AccountNo'));
  return sendList(request, reply, rows, query);
}

async function listVatCodes(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const query = bindQuery(request, reply, vatCodesQuery);
  if (!query) return reply;
  const today = new Date().toISOString().slice(0, 10);
  const rows = companyOf(request)
    .vatCodes.filter((v) => query.includeExpired || !v.ValidTo || v.ValidTo >= today)
    .filter((v) => query.isActive === undefined || (v.IsActive ?? true) === query.isActive)
    .sort(byNumber('Id'));
  return sendList(request, reply, rows, query);
}

export function registerReadRoutes(app: FastifyInstance): void {
  // Needs no privilege, only a valid token: PowerOffice's own advice for diagnosing 403s (reference §3).
  app.get('/ClientIntegrationInformation', async (request, reply) => {
    const company = companyOf(request);
    return reply.send({ ClientId: company.clientId, ClientName: company.name, ...company.integration });
  });

  app.get('/Customers', { config: { privileges: READ_PRIVILEGES.customers } }, listCustomers);
  app.get('/Customers/:id', { config: { privileges: READ_PRIVILEGES.customers } }, async (request, reply) => {
    const id = int64Param(request, reply);
    if (id === undefined) return reply;
    const customer = companyOf(request).customers.find((c) => c.Id === id);
    return customer ? reply.send(customer) : notFound(request, reply, `Customer with id = ${id} not found.`);
  });

  app.get('/GeneralLedgerAccounts', { config: { privileges: READ_PRIVILEGES.accounts } }, listAccounts);
  app.get('/GeneralLedgerAccounts/:id', { config: { privileges: READ_PRIVILEGES.accounts } }, async (request, reply) => {
    const id = int64Param(request, reply);
    if (id === undefined) return reply;
    const account = companyOf(request).accounts.find((a) => a.Id === id);
    return account ? reply.send(account) : notFound(request, reply, `General ledger account with id = ${id} not found.`);
  });

  app.get('/VatCodes', { config: { privileges: READ_PRIVILEGES.vatCodes } }, listVatCodes);
}
