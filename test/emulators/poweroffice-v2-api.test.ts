import { adminSend, DEMO, http, jsonOf, startPowerOffice, tokenRequest, v1Session, v2Session, type ApiSession, type PowerOfficeUnderTest } from './harness';

/** The PowerOffice v2 API as the emulator serves it (../shared/reference/poweroffice.md §2–5, the v2 spec). */
type Row = Record<string, unknown>;
interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
}

describe('PowerOffice v2 emulator', () => {
  let po: PowerOfficeUnderTest;
  let client1001: ApiSession;

  beforeEach(async () => {
    po = await startPowerOffice();
    client1001 = await v2Session(po, DEMO.clientKey1001);
  });
  afterEach(async () => {
    await po.close();
  });

  const numbers = (rows: Row[], key = 'Number') => rows.map((r) => r[key]);

  test('the v2 token endpoint wants the subscription key, and refuses a missing or wrong one as the gateway does', async () => {
    const missing = await tokenRequest(po.v2Token, DEMO.clientKey1001);
    const wrong = await tokenRequest(po.v2Token, DEMO.clientKey1001, { 'ocp-apim-subscription-key': 'not-our-key' });
    const right = await tokenRequest(po.v2Token, DEMO.clientKey1001, { 'ocp-apim-subscription-key': DEMO.subscriptionKey });

    expect([missing.statusCode, wrong.statusCode, right.statusCode]).toEqual([401, 401, 200]);
    expect(jsonOf(missing)).toEqual({ statusCode: '401', message: expect.stringContaining('missing subscription key') });
    expect(jsonOf(wrong)).toEqual({ statusCode: '401', message: expect.stringContaining('invalid subscription key') });
    expect(jsonOf(right)).toEqual({ access_token: expect.any(String), token_type: 'bearer', expires_in: 1200 });
  });

  test('a data call without the subscription key is refused even with a valid token', async () => {
    const response = await http.get(`${po.v2}Customers`, { headers: { authorization: `Bearer ${client1001.token}` } });

    expect(response.statusCode).toBe(401);
  });

  test('a v1 token does not open v2, and an expired v2 token is a 401 with a Bearer challenge', async () => {
    const v1 = await v1Session(po, DEMO.clientKey1001);
    const withV1Token = await http.get(`${po.v2}Customers`, { headers: { authorization: `Bearer ${v1.token}`, 'ocp-apim-subscription-key': DEMO.subscriptionKey } });
    await adminSend(po, 'POST', 'tokens/expire');
    const expired = await client1001.get('Customers');

    expect(withV1Token.statusCode).toBe(401);
    expect(expired.statusCode).toBe(401);
    expect(expired.headers['www-authenticate']).toMatch(/^Bearer error="invalid_token"/);
    expect(expired.body).toBe('');
  });

  test('ClientIntegrationInformation names the client behind the token and its privileges', async () => {
    const info = jsonOf(await client1001.get('ClientIntegrationInformation'));

    expect(info).toEqual({
      ClientId: '1001',
      ClientName: 'Fjordkraft Rørlegger AS',
      ActiveClientSubscriptions: ['Accounting'],
      ValidPrivileges: expect.arrayContaining(['Customer', 'GeneralLedgerAccount', 'CommonServices', 'BankVoucher_Full', 'ManualVoucher_Full']),
      InvalidPrivileges: [],
    });
  });

  test('customers are filtered by customer numbers and ranges', async () => {
    const listed = jsonOf<Row[]>(await client1001.get('Customers', { customerNos: '10010, 10012' }));
    const ranged = jsonOf<Row[]>(await client1001.get('Customers', { customerNos: '10011-' }));

    expect(numbers(listed)).toEqual([10010, 10012]);
    expect(numbers(ranged)).toEqual([10011, 10012]);
  });

  test('a customer comes in the spec\'s PascalCase shape with its e-mail, postal address, delivery type and sub-ledger account', async () => {
    const [customer] = jsonOf<Row[]>(await client1001.get('Customers', { customerNos: '10011' }));

    expect(customer).toMatchObject({
      Id: 3010011,
      Number: 10011,
      SubledgerAccountId: 5010011,
      Name: 'Sunnmøre Eiendom AS',
      OrganizationNumber: '914883741',
      InvoiceEmailAddress: 'printonly@factoringfinans.no',
      InvoiceDeliveryType: 'PdfByEmail',
      MailAddress: { AddressLine1: 'Keiser Wilhelms gate 22', ZipCode: '6003', City: 'Ålesund', CountryCode: 'NO' },
      NationalIdNumber: null,
    });
  });

  test('the customer without a postal address has a MailAddress with no lines, as the spec\'s non-nullable address allows', async () => {
    const [customer] = jsonOf<Row[]>(await client1001.get('Customers', { customerNos: '10012' }));

    expect(customer?.MailAddress).toMatchObject({ AddressLine1: null, AddressLine2: null, ZipCode: null, City: null, CountryCode: 'NO' });
  });

  test('a malformed number filter is a ProblemDetails 400 "Unable to cast object(s)"', async () => {
    const response = await client1001.get('Customers', { customerNos: '10010,abc' });

    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(jsonOf<Problem>(response)).toMatchObject({ title: 'Unable to cast object(s)', status: 400, detail: expect.stringContaining("'abc'") });
  });

  test('OData $top and $skip are refused with 400: v2 pages with PageNumber and PageSize', async () => {
    const response = await client1001.get('Customers', { $top: '1', $skip: '1' });

    expect(response.statusCode).toBe(400);
    expect(jsonOf<Problem>(response).detail).toContain('PageNumber and PageSize');
  });

  test('customers come one page at a time; the page after the last is 204', async () => {
    const second = await client1001.get('Customers', { PageNumber: '2', PageSize: '2' });
    const beyond = await client1001.get('Customers', { PageNumber: '3', PageSize: '2' });

    expect(numbers(jsonOf<Row[]>(second))).toEqual([10012]);
    expect(JSON.parse(second.headers['x-pagination'] as string)).toMatchObject({ totalCount: 3, pageSize: 2, currentPage: 2, totalPages: 2, nextPageLink: null });
    expect(beyond.statusCode).toBe(204);
    expect(beyond.body).toBe('');
  });

  test('a PageSize above the maximum of 20 000 is a validation 400 naming the parameter', async () => {
    const response = await client1001.get('Customers', { pagesize: '20001' });

    expect(response.statusCode).toBe(400);
    expect(jsonOf<Problem & { errors: Record<string, string[]> }>(response).errors).toHaveProperty('PageSize');
  });

  test('a customer is found by its contact id; an unknown id is a ProblemDetails 404', async () => {
    const found = await client1001.get('Customers/3010010');
    const missing = await client1001.get('Customers/42');

    expect(jsonOf(found)).toMatchObject({ Id: 3010010, Number: 10010 });
    expect(missing.statusCode).toBe(404);
    expect(jsonOf<Problem>(missing)).toMatchObject({ title: 'Object(s) not found', status: 404, detail: 'Customer with id = 42 not found.' });
  });

  test('each client key sees its own company: 1002\'s customers are not 1001\'s', async () => {
    const client1002 = await v2Session(po, DEMO.clientKey1002);

    const seenBy1001 = await client1001.get('Customers', { customerNos: '20010' });
    const seenBy1002 = jsonOf<Row[]>(await client1002.get('Customers', { customerNos: '20010' }));

    expect(seenBy1001.statusCode).toBe(204);
    expect(seenBy1002).toEqual([expect.objectContaining({ Name: 'Bergen Kulturhus AS', InvoiceDeliveryType: 'EHF' })]);
  });

  test('customers changed after a timestamp are found with the exclusive lastChanged filter', async () => {
    const changed = jsonOf<Row[]>(await client1001.get('Customers', { lastChangedDateTimeOffsetGreaterThan: '2025-06-11T13:40:12.0000000+02:00' }));

    expect(numbers(changed)).toEqual([10012]);
  });

  test('general ledger accounts are filtered by account numbers, an inactive one shows IsActive false', async () => {
    const accounts = jsonOf<Row[]>(await client1001.get('GeneralLedgerAccounts', { accountNos: '1510,1920,2990,6970,6975,6976' }));

    expect(numbers(accounts, 'AccountNo')).toEqual([1510, 1920, 2990, 6970, 6975, 6976]);
    expect(accounts.find((a) => a.AccountNo === 6976)).toMatchObject({ Id: 4006976, IsActive: false });
  });

  test('VAT codes leave expired codes out unless includeExpired=true', async () => {
    const current = jsonOf<Row[]>(await client1001.get('VatCodes'));
    const all = jsonOf<Row[]>(await client1001.get('VatCodes', { includeExpired: 'true' }));

    expect(current.find((v) => v.Code === '0')).toMatchObject({ Rate: 0 });
    expect(current.find((v) => v.Code === '3')).toMatchObject({ Id: 201600, Rate: 0.25 });
    expect(current.filter((v) => v.Code === '33').map((v) => v.Rate)).toEqual([0.12]);
    expect(all.filter((v) => v.Code === '33').map((v) => v.Rate)).toEqual([0.1, 0.12]);
  });

  test('a call whose privilege the client lacks is a 403 ProblemDetails; ClientIntegrationInformation still answers', async () => {
    await adminSend(po, 'PUT', 'companies/1001/privileges', { ValidPrivileges: ['CommonServices'] });

    const customers = await client1001.get('Customers');
    const info = await client1001.get('ClientIntegrationInformation');

    expect(customers.statusCode).toBe(403);
    expect(jsonOf<Problem>(customers)).toMatchObject({ title: 'Missing privilege', status: 403, detail: expect.stringContaining('Customer or Customer_Full') });
    expect(info.statusCode).toBe(200);
  });

  test('a privilege listed as invalid is refused even when it is also listed as valid', async () => {
    await adminSend(po, 'PUT', 'companies/1001/privileges', { InvalidPrivileges: ['GeneralLedgerAccount', 'GeneralLedgerAccount_Full'] });

    const response = await client1001.get('GeneralLedgerAccounts');

    expect(response.statusCode).toBe(403);
  });
});
