import { adminSend, DEMO, http, jsonOf, startPowerOffice, v2Session, type ApiSession, type HttpResponse, type PowerOfficeUnderTest } from './harness';
import { authRoles, checkRequestBody, checkResponse, v2Contract } from './openapi-contract';

/**
 * Contract tests: what the v2 emulator answers and accepts, judged by the v2 OpenAPI spec
 * (../shared/reference/poweroffice-v2-openapi.yaml) through ajv, so the emulator and our client
 * cannot drift away from the real API together. Every `/v2` route the emulator serves must be in
 * the spec, with the spec's "Auth roles", and must be exercised here.
 */
const ACCOUNT_1920 = 4001920;
const ACCOUNT_2990 = 4002990;
const SUBLEDGER_10010 = 5010010;
const VAT_NONE = 201590;
const NO_PRIVILEGES = { clientId: '1009', clientKey: 'key-1009-no-privileges', name: 'Uten Rettigheter AS', organizationNumber: '921100345', clientIntegrationInformation: { ValidPrivileges: [] } };

/** A bank voucher using every member BankVoucherPostDto and BankVoucherLinePostDto define. */
const everyBankMember = {
  VoucherDate: '2026-12-01',
  CurrencyCode: 'NOK',
  Description: 'Innbetaling faktura 10023',
  ExternalImportReference: 'contract-bank-every-member',
  ImportedVoucherNo: 77001,
  SaftBatchId: 'batch-1',
  SaftSourceId: 'FactoringFinans',
  VoucherLines: [
    {
      AccountId: ACCOUNT_2990,
      Cid: null,
      CurrencyAmount: 12500,
      CurrencyCode: 'NOK',
      CurrencyExchangeRate: 1,
      CustomMatchingReference: 'ffas-10023',
      DepartmentId: null,
      Description: 'Innbetaling',
      Dim1Id: null,
      Dim2Id: null,
      Dim3Id: null,
      ExternalLineReference: 'line-1',
      InvoiceNo: null,
      LocationId: null,
      PostingDate: '2026-12-01',
      ProductId: null,
      ProjectId: null,
      Quantity: null,
      Quantity2: null,
      VatId: VAT_NONE,
      VatReturnSpecification: 'None',
    },
    { AccountId: SUBLEDGER_10010, CurrencyAmount: -12500, PostingDate: '2026-12-01', VatId: VAT_NONE, InvoiceNo: '10023', Cid: '0001002300057' },
  ],
};

function manualVoucher(reference: string, lines = [[ACCOUNT_1920, 100], [ACCOUNT_2990, -100]]) {
  return { VoucherDate: '2026-12-01', CurrencyCode: 'NOK', ExternalImportReference: reference, VoucherLines: lines.map(([AccountId, CurrencyAmount]) => ({ AccountId, CurrencyAmount, PostingDate: '2026-12-01', VatId: VAT_NONE })) };
}

/** Bodies the spec refuses; the emulator must refuse each with 400 as well. */
const bodiesTheSpecRefuses: [string, object][] = [
  ['a member the spec does not define', { ...manualVoucher('x1'), Amount: 1 }],
  ['no CurrencyCode', { VoucherDate: '2026-12-01', VoucherLines: manualVoucher('x2').VoucherLines }],
  ['no VoucherDate', { CurrencyCode: 'NOK', VoucherLines: manualVoucher('x3').VoucherLines }],
  ['a line without VatId', { ...manualVoucher('x4'), VoucherLines: [{ AccountId: ACCOUNT_1920, CurrencyAmount: 1, PostingDate: '2026-12-01' }] }],
  ['an amount as text', { ...manualVoucher('x5'), VoucherLines: [{ AccountId: ACCOUNT_1920, CurrencyAmount: '1', PostingDate: '2026-12-01', VatId: VAT_NONE }] }],
  ['a date that is not a date', { ...manualVoucher('x6'), VoucherDate: '01.12.2026' }],
  ['a currency code longer than 3', { ...manualVoucher('x7'), CurrencyCode: 'NOKK' }],
];

interface Case {
  name: string;
  method: 'GET' | 'POST';
  /** The operation's path in the spec. */
  specPath: string;
  status: number;
  call: () => Promise<HttpResponse>;
}

describe('v2 emulator against the v2 OpenAPI spec', () => {
  let po: PowerOfficeUnderTest;
  let client: ApiSession;
  let unprivileged: ApiSession;
  let bankVoucherId: string;
  let manualVoucherId: string;

  beforeAll(async () => {
    v2Contract();
    po = await startPowerOffice();
    // These tests send calls back to back; the throttle is not what they are about.
    await adminSend(po, 'PUT', 'rate-limits', { v2: { limit: 100_000 } });
    await adminSend(po, 'POST', 'companies', NO_PRIVILEGES);
    client = await v2Session(po, DEMO.clientKey1001);
    unprivileged = await v2Session(po, NO_PRIVILEGES.clientKey);
    bankVoucherId = jsonOf<{ Id: string }>(await client.post('Vouchers/BankJournals', { ...everyBankMember, ExternalImportReference: 'contract-setup-bank' })).Id;
    manualVoucherId = jsonOf<{ Id: string }>(await client.post('Vouchers/ManualJournals', manualVoucher('contract-setup-manual'))).Id;
  });
  afterAll(async () => {
    await po?.close();
  });

  const get = (specPath: string, status: number, name: string, call: () => Promise<HttpResponse>): Case => ({ name, method: 'GET', specPath, status, call });
  const post = (specPath: string, status: number, name: string, call: () => Promise<HttpResponse>): Case => ({ name, method: 'POST', specPath, status, call });
  const cases: Case[] = [
    get('/ClientIntegrationInformation', 200, 'the integration information', () => client.get('ClientIntegrationInformation')),
    get('/ClientIntegrationInformation', 401, 'no token', () => http.get(`${po.v2}ClientIntegrationInformation`, { headers: { 'ocp-apim-subscription-key': DEMO.subscriptionKey } })),
    get('/Customers', 200, 'all customers', () => client.get('Customers')),
    get('/Customers', 200, 'customers by number, two fields', () => client.get('Customers', { customerNos: '10010-10011', Fields: 'Id,Number' })),
    get('/Customers', 204, 'no customer matches', () => client.get('Customers', { customerNos: '99999' })),
    get('/Customers', 400, 'a malformed customerNos', () => client.get('Customers', { customerNos: 'ten' })),
    get('/Customers', 400, 'a range in contactGroupIds', () => client.get('Customers', { contactGroupIds: '1-5' })),
    get('/Customers', 400, 'OData $top', () => client.get('Customers', { $top: '10' })),
    get('/Customers', 400, 'PageSize 0', () => client.get('Customers', { PageSize: '0' })),
    get('/Customers', 404, 'an unknown contact group', () => client.get('Customers', { contactGroupIds: '41345' })),
    get('/Customers', 403, 'no Customer privilege', () => unprivileged.get('Customers')),
    get('/Customers/{id}', 200, 'a customer by id', () => client.get('Customers/3010012')),
    get('/Customers/{id}', 404, 'an unknown customer id', () => client.get('Customers/1')),
    get('/Customers/{id}', 400, 'an id that is not a number', () => client.get('Customers/abc')),
    get('/GeneralLedgerAccounts', 200, 'accounts by number', () => client.get('GeneralLedgerAccounts', { accountNos: '1510,1920,2990,6970,6975,6976' })),
    get('/GeneralLedgerAccounts', 204, 'no account matches', () => client.get('GeneralLedgerAccounts', { accountNos: '9999' })),
    get('/GeneralLedgerAccounts', 400, 'a malformed accountNos', () => client.get('GeneralLedgerAccounts', { accountNos: '19x0' })),
    get('/GeneralLedgerAccounts', 403, 'no GeneralLedgerAccount privilege', () => unprivileged.get('GeneralLedgerAccounts')),
    get('/GeneralLedgerAccounts/{id}', 200, 'an account by id', () => client.get(`GeneralLedgerAccounts/${ACCOUNT_1920}`)),
    get('/GeneralLedgerAccounts/{id}', 404, 'an unknown account id', () => client.get('GeneralLedgerAccounts/1')),
    get('/VatCodes', 200, 'VAT codes, expired ones too', () => client.get('VatCodes', { includeExpired: 'true' })),
    get('/VatCodes', 204, 'no inactive VAT codes', () => client.get('VatCodes', { isActive: 'false' })),
    get('/VatCodes', 400, 'includeExpired that is no boolean', () => client.get('VatCodes', { includeExpired: 'maybe' })),
    get('/VatCodes', 403, 'no CommonServices privilege', () => unprivileged.get('VatCodes')),
    post('/Vouchers/BankJournals', 201, 'a bank voucher with every member', () => client.post('Vouchers/BankJournals', everyBankMember)),
    post('/Vouchers/BankJournals', 400, 'an unbalanced bank voucher', () => client.post('Vouchers/BankJournals', manualVoucher('contract-unbalanced', [[ACCOUNT_1920, 100], [ACCOUNT_2990, -99]]))),
    post('/Vouchers/BankJournals', 400, 'a duplicate ExternalImportReference', () => client.post('Vouchers/BankJournals', { ...everyBankMember, ExternalImportReference: 'contract-setup-bank' })),
    post('/Vouchers/BankJournals', 400, 'a body with an unknown member', () => client.post('Vouchers/BankJournals', { ...everyBankMember, Bogus: true })),
    post('/Vouchers/BankJournals', 404, 'an unknown account', () => client.post('Vouchers/BankJournals', manualVoucher('contract-unknown', [[1, 100], [ACCOUNT_2990, -100]]))),
    post('/Vouchers/BankJournals', 403, 'no BankVoucher_Full privilege', () => unprivileged.post('Vouchers/BankJournals', manualVoucher('contract-forbidden'))),
    post('/Vouchers/ManualJournals', 201, 'a manual voucher', () => client.post('Vouchers/ManualJournals', manualVoucher('contract-manual'))),
    post('/Vouchers/ManualJournals', 400, 'a manual voucher with a zero line', () => client.post('Vouchers/ManualJournals', manualVoucher('contract-zero', [[ACCOUNT_1920, 0], [ACCOUNT_2990, 0]]))),
    post('/Vouchers/ManualJournals', 404, 'a manual voucher on an unknown VAT code', () => client.post('Vouchers/ManualJournals', { ...manualVoucher('contract-vat'), VoucherLines: manualVoucher('contract-vat').VoucherLines.map((l) => ({ ...l, VatId: 1 })) })),
    get('/Vouchers/BankJournals/{id}', 200, 'a posted bank voucher', () => client.get(`Vouchers/BankJournals/${bankVoucherId}`)),
    get('/Vouchers/BankJournals/{id}', 404, 'a manual voucher asked for as a bank voucher', () => client.get(`Vouchers/BankJournals/${manualVoucherId}`)),
    get('/Vouchers/ManualJournals/{id}', 200, 'a posted manual voucher', () => client.get(`Vouchers/ManualJournals/${manualVoucherId}`)),
    get('/Vouchers/ManualJournals/{id}', 404, 'an unknown manual voucher', () => client.get('Vouchers/ManualJournals/00000000-0000-4000-8000-000000000000')),
  ];

  test.each(cases.map((c) => [`${c.method} ${c.specPath} ${c.status}: ${c.name}`, c] as const))('%s', async (_label, c) => {
    const response = await c.call();

    expect(response.statusCode).toBe(c.status);
    expect(checkResponse(c.method, c.specPath, response.statusCode, response.body).problems).toEqual([]);
    // The spec's ProblemDetails has only optional members; RFC 7807 asks for a title and the status.
    if (c.status >= 400 && response.body !== '') expect(jsonOf(response)).toMatchObject({ title: expect.any(String), status: c.status });
  });

  test('an injected server error is still a ProblemDetails, as the spec\'s default response says', async () => {
    await adminSend(po, 'POST', 'faults/v2', { failNext: [{ status: 500 }] });

    const response = await client.get('VatCodes');

    expect(response.statusCode).toBe(500);
    expect(checkResponse('GET', '/VatCodes', 500, response.body)).toEqual({ documentedAs: 'default', problems: [] });
  });

  test('every /v2 route the emulator serves is in the spec, asks for the spec\'s Auth roles, and is exercised above', () => {
    const served = po.running.powerOffice.v2Routes.map((r) => ({ method: r.method, specPath: r.url.replace(/^\/v2/, '').replace(/:(\w+)/g, '{$1}'), privileges: [...r.privileges] }));

    expect(served.length).toBeGreaterThanOrEqual(9);
    for (const route of served) expect({ ...route, privileges: route.privileges.sort() }).toEqual({ ...route, privileges: authRoles(route.method, route.specPath).sort() });
    const exercised = new Set(cases.map((c) => `${c.method} ${c.specPath}`));
    expect(served.map((r) => `${r.method} ${r.specPath}`).filter((r) => !exercised.has(r))).toEqual([]);
  });

  test.each([
    ['BankVoucherPostDto', 'POST', '/Vouchers/BankJournals', everyBankMember],
    ['ManualVoucherPostDto', 'POST', '/Vouchers/ManualJournals', manualVoucher('contract-request')],
  ] as const)('the voucher bodies posted above are valid %s', (_schema, method, path, body) => {
    expect(checkRequestBody(method, path, body)).toEqual([]);
  });

  test('the every-member body really names every member of the spec\'s bank voucher and bank line', () => {
    const schemas = v2Contract().spec.components.schemas;
    const members = (name: string) => Object.keys(schemas[name]?.properties as object).sort();

    expect(Object.keys(everyBankMember).sort()).toEqual(members('BankVoucherPostDto'));
    expect(Object.keys(everyBankMember.VoucherLines[0]!).sort()).toEqual(members('BankVoucherLinePostDto'));
  });

  test.each(bodiesTheSpecRefuses)('a body with %s is refused by the spec and by the emulator', async (_what, body) => {
    const response = await client.post('Vouchers/ManualJournals', body);

    expect(checkRequestBody('POST', '/Vouchers/ManualJournals', body)).not.toEqual([]);
    expect(response.statusCode).toBe(400);
  });
});
