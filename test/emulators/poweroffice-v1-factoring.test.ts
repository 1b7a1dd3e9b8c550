import { admin, adminSend, DEMO, http, jsonOf, startPowerOffice, tokenRequest, v1Session, type ApiSession, type PowerOfficeUnderTest } from './harness';

/** The PowerOffice v1 Factoring API as the emulator serves it (../shared/reference/poweroffice-v1-factoring.md). */
const INVOICE_10023 = '3f2c7a8e-1b4d-4c5e-9f60-7a8b9c0d1e21';
const INVOICE_10024 = '6b1d2e3f-4a5b-4c6d-8e7f-901a2b3c4d52';
const PDF = Buffer.from('%PDF-1.7\n% Factoring Finans test\n').toString('base64');

interface V1List {
  data: Record<string, unknown>[];
  count: number;
  success: true;
}
interface V1Failure {
  success: false;
  validation: { errorLogReference: string; summary: string; exception: string };
}
interface Delivery {
  invoiceId: string;
  invoiceCid: string;
  comment: string;
  deliveredCalls: number;
  file: { fileName: string; base64EncodedData: string; bytes: number };
}

describe('PowerOffice v1 Factoring emulator', () => {
  let po: PowerOfficeUnderTest;
  let client1001: ApiSession;

  beforeEach(async () => {
    po = await startPowerOffice();
    client1001 = await v1Session(po, DEMO.clientKey1001);
  });
  afterEach(async () => {
    await po.close();
  });

  const invoiceNos = (list: V1List) => list.data.map((i) => i.invoiceNo);
  const deliver = (session: ApiSession, factoringInvoiceId: string, invoiceCid = '0001002300057') =>
    session.post('Factoring/delivered/', { factoringInvoiceId, invoiceCid, file: { base64EncodedData: PDF, fileName: '10023.pdf' }, comment: 'Sendt som brev 2026-11-30' });

  test('the token endpoint gives a bearer token for a known application key and client key', async () => {
    const response = await tokenRequest(`${po.v1}OAuth/Token`, DEMO.clientKey1001);

    expect(response.statusCode).toBe(200);
    expect(jsonOf(response)).toEqual({ access_token: expect.any(String), token_type: 'bearer', expires_in: 1200 });
  });

  test('an unknown client key gets invalid_client instead of a token', async () => {
    const response = await tokenRequest(`${po.v1}OAuth/Token`, 'no-such-client-key');

    expect(response.statusCode).toBe(400);
    expect(jsonOf(response)).toMatchObject({ error: 'invalid_client', error_description: expect.stringContaining('Client integration not found') });
  });

  test('each client key sees only its own company\'s available invoices', async () => {
    const client1002 = await v1Session(po, DEMO.clientKey1002);

    const of1001 = jsonOf<V1List>(await client1001.get('Factoring/AvailableInvoices/'));
    const of1002 = jsonOf<V1List>(await client1002.get('Factoring/AvailableInvoices/'));

    expect(of1001).toMatchObject({ success: true, count: 3 });
    expect(invoiceNos(of1001)).toEqual([10023, 10024, 10025]);
    expect(invoiceNos(of1002)).toEqual([30001, 30002]);
  });

  test('available invoices page by invoice number with the documented OData options; count is the filtered total', async () => {
    const page = jsonOf<V1List>(await client1001.get('Factoring/AvailableInvoices/', { $filter: '(InvoiceNo gt 10023)', $orderby: 'InvoiceNo asc', $top: '1' }));

    expect(invoiceNos(page)).toEqual([10024]);
    expect(page.count).toBe(2);
  });

  test('an OData query v1 cannot run is refused with HTTP 200, success false and exception OData', async () => {
    const response = await client1001.get('Factoring/AvailableInvoices/', { $skip: '1' });

    expect(response.statusCode).toBe(200);
    expect(jsonOf<V1Failure>(response)).toEqual({ success: false, validation: { errorLogReference: expect.any(String), summary: '$skip requires $top and $orderby', exception: 'OData' } });
  });

  test('an empty list is 204 with no body', async () => {
    const response = await client1001.get('Factoring/AvailableInvoices/', { $filter: '(InvoiceNo gt 99999)' });

    expect(response.statusCode).toBe(204);
    expect(response.body).toBe('');
  });

  test('null properties are left out of an invoice, camelCase keys only', async () => {
    const list = jsonOf<V1List>(await client1001.get('Factoring/AvailableInvoices/', { $filter: '(InvoiceNo eq 10024)' }));

    expect(list.data[0]).toEqual({
      id: INVOICE_10024,
      customerCode: 10011,
      totalAmount: 4375.5,
      invoiceNo: 10024,
      invoiceDate: '2026-11-27T00:00:00',
      dueDate: '2026-12-11T00:00:00',
      createdDate: '2026-11-27T14:05:42.100+01:00',
      isDelivered: false,
      factoringInvoiceStatus: 1,
      projectCode: 'P-17',
      projectName: 'Bad Ålesund',
    });
  });

  test('without a token, and with an expired token, the API answers 401', async () => {
    const anonymous = await http.get(`${po.v1}Factoring/AvailableInvoices/`);
    await adminSend(po, 'POST', 'tokens/expire');
    const expired = await client1001.get('Factoring/AvailableInvoices/');

    expect(anonymous.statusCode).toBe(401);
    expect(expired.statusCode).toBe(401);
  });

  test('the EHF of an invoice is its raw XML, not wrapped in JSON', async () => {
    const response = await client1001.get(`Factoring/InvoiceEhf/${INVOICE_10023}/`);

    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/xml/);
    expect(response.body).toMatch(/^<\?xml/);
    expect(response.body).toContain('<cbc:ID>10023</cbc:ID>');
  });

  test('the EHF of an invoice another client owns, or of an unknown id, is a v1 failure', async () => {
    const client1002 = await v1Session(po, DEMO.clientKey1002);

    const response = await client1002.get(`Factoring/InvoiceEhf/${INVOICE_10023}/`);

    expect(response.statusCode).toBe(200);
    expect(jsonOf<V1Failure>(response)).toMatchObject({ success: false, validation: { summary: expect.stringContaining(INVOICE_10023) } });
  });

  test('delivering an invoice stores KID, PDF and comment, and moves it from AvailableInvoices to InvoicesDelivered', async () => {
    const response = await deliver(client1001, INVOICE_10023);

    expect(jsonOf(response)).toMatchObject({ success: true, data: { id: INVOICE_10023, invoiceNo: 10023, isDelivered: true, factoringInvoiceStatus: 1 } });
    expect(invoiceNos(jsonOf<V1List>(await client1001.get('Factoring/AvailableInvoices/')))).toEqual([10024, 10025]);
    expect(invoiceNos(jsonOf<V1List>(await client1001.get('Factoring/InvoicesDelivered/')))).toEqual([10023]);
    const { deliveries } = await admin<{ deliveries: Delivery[] }>(po, 'companies/1001/deliveries');
    expect(deliveries).toEqual([
      expect.objectContaining({
        invoiceId: INVOICE_10023,
        invoiceCid: '0001002300057',
        comment: 'Sendt som brev 2026-11-30',
        deliveredCalls: 1,
        file: { fileName: '10023.pdf', base64EncodedData: PDF, bytes: Buffer.from(PDF, 'base64').length },
      }),
    ]);
  });

  test('a second delivered call for the same invoice is refused and the first KID stays', async () => {
    await deliver(client1001, INVOICE_10023, '0001002300057');

    const second = await deliver(client1001, INVOICE_10023, '9999999999999');

    expect(jsonOf<V1Failure>(second)).toMatchObject({ success: false, validation: { summary: 'Invoice 10023 is already delivered.' } });
    const { deliveries } = await admin<{ deliveries: Delivery[] }>(po, 'companies/1001/deliveries');
    expect(deliveries).toEqual([expect.objectContaining({ invoiceCid: '0001002300057', deliveredCalls: 2 })]);
  });

  test('delivered is refused for an invoice whose factoring status is not Active', async () => {
    const forfeitId = 'a7d3c6b1-2e4f-4a5b-9c8d-7e6f5a4b3c21';
    await adminSend(po, 'POST', 'companies/1001/invoices', [{ id: forfeitId, invoiceNo: 10030, totalAmount: 500, factoringInvoiceStatus: 2 }]);

    const response = await deliver(client1001, forfeitId);

    expect(jsonOf<V1Failure>(response).validation.summary).toBe('Invoice 10030 has factoring status Forfeit (2); delivered is only allowed while it is Active (1).');
  });

  test('a delivered body without a valid factoringInvoiceId is refused the v1 way, HTTP 200 and success false', async () => {
    const response = await client1001.post('Factoring/delivered/', { invoiceCid: '123' });

    expect(response.statusCode).toBe(200);
    expect(jsonOf<V1Failure>(response)).toMatchObject({ success: false, validation: { summary: expect.stringContaining('factoringInvoiceId') } });
  });

  test('a factoring status can be set only after delivery, and each change is recorded', async () => {
    const statusUpdate = { factoringInvoiceId: INVOICE_10023, factoringInvoiceStatus: 5, factoringInvoiceStatusDescription: 'Sendt til skyldner' };

    const tooEarly = await client1001.post('Factoring/updatefactoringinvoicestatus/', statusUpdate);
    await deliver(client1001, INVOICE_10023);
    const afterDelivery = await client1001.post('Factoring/updatefactoringinvoicestatus/', statusUpdate);

    expect(jsonOf<V1Failure>(tooEarly)).toMatchObject({ success: false, validation: { summary: expect.stringContaining('has not been delivered') } });
    expect(jsonOf(afterDelivery)).toMatchObject({ success: true, data: { factoringInvoiceStatus: 5, factoringInvoiceStatusDescription: 'Sendt til skyldner' } });
    const { invoices } = await admin<{ invoices: { id: string; statusHistory: unknown[] }[] }>(po, 'companies/1001/invoices');
    expect(invoices.find((i) => i.id === INVOICE_10023)?.statusHistory).toEqual([{ factoringInvoiceStatus: 5, factoringInvoiceStatusDescription: 'Sendt til skyldner', at: expect.any(String) }]);
  });

  test('the factoring settings list the client\'s account codes; a client without settings gets 204', async () => {
    const client1002 = await v1Session(po, DEMO.clientKey1002);

    const settings = jsonOf<V1List>(await client1001.get('Factoring/'));
    const none = await client1002.get('Factoring/');

    expect(settings).toEqual({ data: [{ id: expect.any(String), interestAccountCode: 8150, expenseAccountCode: 6970, factoringCompanySupplierAccountCode: 20050 }], count: 1, success: true });
    expect(none.statusCode).toBe(204);
  });

  test('a client that blocked the Factoring privilege gets 403 on the Factoring routes', async () => {
    await adminSend(po, 'PUT', 'companies/1001/privileges', { InvalidPrivileges: ['Factoring'] });

    const response = await client1001.get('Factoring/AvailableInvoices/');

    expect(response.statusCode).toBe(403);
  });

  test('routes match whatever the path casing and trailing slash, as ASP.NET routes do', async () => {
    const response = await client1001.get('factoring/availableinvoices');

    expect(response.statusCode).toBe(200);
  });
});
