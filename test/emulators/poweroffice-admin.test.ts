import { admin, adminSend, DEMO, http, jsonOf, startPowerOffice, v1Session, v2Session, type PowerOfficeUnderTest } from './harness';

/** The admin API under /_emulator: what tests and the demo add, read back and count. */
const INVOICE_10023 = '3f2c7a8e-1b4d-4c5e-9f60-7a8b9c0d1e21';
const INVOICE_30001 = '63cd3b6f-e7e2-4436-a124-3579cbe30fb9';

interface RouteCounts {
  total: number;
  byClient: Record<string, number>;
  byStatus: Record<string, number>;
}
interface Calls {
  calls: Record<string, number>;
  byRoute: Record<string, RouteCounts>;
  tokensIssued: number;
}

describe('the PowerOffice emulator\'s admin API', () => {
  let po: PowerOfficeUnderTest;

  beforeEach(async () => {
    po = await startPowerOffice();
  });
  afterEach(async () => {
    await po.close();
  });

  test('calls are counted per route pattern, per client and per status, so a test can prove "exactly once"', async () => {
    const client1001 = await v1Session(po, DEMO.clientKey1001);
    const client1002 = await v1Session(po, DEMO.clientKey1002);

    await client1001.get(`Factoring/InvoiceEhf/${INVOICE_10023}/`);
    await client1001.get(`Factoring/InvoiceEhf/${INVOICE_10023}/`);
    await client1002.get(`Factoring/InvoiceEhf/${INVOICE_30001}/`);

    const { calls, byRoute, tokensIssued } = await admin<Calls>(po, 'calls');
    expect(byRoute['v1 GET /Factoring/InvoiceEhf/:invoiceId/']).toEqual({ total: 3, byClient: { 1001: 2, 1002: 1 }, byStatus: { 200: 3 } });
    expect(byRoute['v1 POST /OAuth/Token']).toEqual({ total: 2, byClient: { 1001: 1, 1002: 1 }, byStatus: { 200: 2 } });
    expect(calls[`GET /Factoring/InvoiceEhf/${INVOICE_10023}/`]).toBe(2);
    expect(tokensIssued).toBe(2);
  });

  test('calls to the v2 listener are counted too, and the admin API answers the same on both listeners', async () => {
    const client = await v2Session(po, DEMO.clientKey1001);
    await client.get('Customers');

    const viaV2Listener = jsonOf<Calls>(await http.get(`${new URL('/_emulator/calls', po.v2).href}`));

    expect(viaV2Listener.byRoute['v2 GET /v2/Customers']).toEqual({ total: 1, byClient: { 1001: 1 }, byStatus: { 200: 1 } });
    expect(viaV2Listener).toEqual(await admin<Calls>(po, 'calls'));
  });

  test('the call log lists each call and can be filtered by client and forgotten', async () => {
    const client1001 = await v1Session(po, DEMO.clientKey1001);
    await client1001.get('Factoring/AvailableInvoices/');
    await (await v1Session(po, DEMO.clientKey1002)).get('Factoring/AvailableInvoices/');

    const of1001 = await admin<{ calls: { method: string; route: string; status: number }[] }>(po, 'calls/log?clientId=1001&route=/Factoring/AvailableInvoices/');
    await adminSend(po, 'DELETE', 'calls');

    expect(of1001.calls).toEqual([expect.objectContaining({ api: 'v1', method: 'GET', route: '/Factoring/AvailableInvoices/', clientId: '1001', status: 200 })]);
    expect((await admin<{ calls: unknown[] }>(po, 'calls/log')).calls).toEqual([]);
  });

  test('an invoice added with its EHF is offered in AvailableInvoices and serves that EHF', async () => {
    const id = '0b7e1c2d-3f4a-4b5c-8d9e-0f1a2b3c4d5e';
    const ehfXml = '<?xml version="1.0" encoding="UTF-8"?><Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>';
    const client = await v1Session(po, DEMO.clientKey1001);

    const added = await adminSend(po, 'POST', 'companies/1001/invoices', [{ id, invoiceNo: 10026, customerCode: 10012, totalAmount: 990, ehfXml }]);

    expect(added.statusCode).toBe(201);
    const list = jsonOf<{ data: { invoiceNo: number }[] }>(await client.get('Factoring/AvailableInvoices/', { $filter: '(InvoiceNo eq 10026)' }));
    expect(list.data).toEqual([expect.objectContaining({ id, invoiceNo: 10026, isDelivered: false, factoringInvoiceStatus: 1 })]);
    expect(list.data[0]).not.toHaveProperty('ehfXml');
    expect((await client.get(`Factoring/InvoiceEhf/${id}/`)).body).toBe(ehfXml);
  });

  test('an invoice added without an EHF gets a made-up EHF 3 document naming its customer and its total', async () => {
    const id = '1c8f2d3e-4a5b-4c6d-9e0f-1a2b3c4d5e6f';
    const client = await v1Session(po, DEMO.clientKey1001);
    await adminSend(po, 'POST', 'companies/1001/invoices', [{ id, invoiceNo: 10027, customerCode: 10012, totalAmount: 1001.1, invoiceDate: '2026-11-28T00:00:00' }]);

    const ehf = (await client.get(`Factoring/InvoiceEhf/${id}/`)).body;

    expect(ehf).toContain('<cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0</cbc:CustomizationID>');
    expect(ehf).toContain('<cbc:ID>10027</cbc:ID>');
    expect(ehf).toContain('<cbc:Name>Hav og Fjell Catering AS</cbc:Name>');
    expect(ehf).toContain('<cbc:PayableAmount currencyID="NOK">1001.10</cbc:PayableAmount>');
  });

  test('customers added through the admin API get ids and a sub-ledger account, and are served by v2', async () => {
    const added = await adminSend(po, 'POST', 'companies/1001/customers', [{ Number: 10020, Name: 'Ny Kunde AS', EmailAddress: 'post@nykunde.no' }]);
    const client = await v2Session(po, DEMO.clientKey1001);

    const [customer] = jsonOf<Record<string, unknown>[]>(await client.get('Customers', { customerNos: '10020' }));

    expect(added.statusCode).toBe(201);
    expect(customer).toMatchObject({ Id: expect.any(Number), SubledgerAccountId: expect.any(Number), Number: 10020, Name: 'Ny Kunde AS', MailAddress: { CountryCode: 'NO', AddressLine1: null } });
  });

  test('a client added through the admin API answers on both listeners with its own client key', async () => {
    await adminSend(po, 'POST', 'companies', { clientId: '2001', clientKey: 'key-2001', name: 'Ny Klient AS', organizationNumber: '921100345', availableInvoices: [{ id: '2d9a3e4f-5b6c-4d7e-8f90-a1b2c3d4e5f6', invoiceNo: 1, totalAmount: 100 }] });

    const v1List = jsonOf<{ count: number }>(await (await v1Session(po, 'key-2001')).get('Factoring/AvailableInvoices/'));
    const v2Info = jsonOf(await (await v2Session(po, 'key-2001')).get('ClientIntegrationInformation'));

    expect(v1List.count).toBe(1);
    expect(v2Info).toMatchObject({ ClientId: '2001', ClientName: 'Ny Klient AS' });
  });

  test('admin input that does not parse is a 400 saying what is wrong; an unknown client is a 404', async () => {
    const badInvoice = await adminSend(po, 'POST', 'companies/1001/invoices', [{ id: 'not-a-guid', invoiceNo: 1, totalAmount: 1 }]);
    const duplicateCustomer = await adminSend(po, 'POST', 'companies/1001/customers', [{ Number: 10010 }]);
    const unknownClient = await adminSend(po, 'POST', 'companies/9999/customers', [{ Number: 1 }]);

    expect(badInvoice.statusCode).toBe(400);
    expect(jsonOf<{ error: string }>(badInvoice).error).toContain('id');
    expect(jsonOf<{ error: string }>(duplicateCustomer)).toEqual({ error: 'client 1001 already has customer number 10010' });
    expect(unknownClient.statusCode).toBe(404);
  });

  test('one client\'s whole state reads back in one call', async () => {
    const company = await admin<Record<string, unknown>>(po, 'companies/1002');

    expect(company).toMatchObject({
      clientId: '1002',
      name: 'Vestland Elektro AS',
      invoices: [expect.objectContaining({ invoiceNo: 30001, delivery: null, deliveredCalls: 0 }), expect.objectContaining({ invoiceNo: 30002 })],
      customers: [expect.objectContaining({ Number: 20010 }), expect.objectContaining({ Number: 20011 })],
      vouchers: [],
    });
  });
});
