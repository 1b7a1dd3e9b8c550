import { admin, adminSend, DEMO, jsonOf, startPowerOffice, v2Session, type ApiSession, type PowerOfficeUnderTest } from './harness';

/** Posting vouchers to the v2 emulator: the ledger's rules and the ExternalImportReference duplicate guard. */
const ACCOUNT = { 1920: 4001920, 2990: 4002990, 6970: 4006970, 6976: 4006976 } as const;
const NORDLYS_SUBLEDGER = 5010010;
const VAT_NONE = 201590;
const VAT_HIGH_OUTPUT = 201600;

interface Problem {
  title: string;
  status: number;
  detail: string;
  errors?: Record<string, string[]>;
}
interface Voucher {
  Id: string;
  VoucherNo: number;
  ExternalImportReference: string | null;
  VoucherLines: Record<string, unknown>[];
}

function line(AccountId: number, CurrencyAmount: number, extra: Record<string, unknown> = {}) {
  return { AccountId, CurrencyAmount, PostingDate: '2026-12-01', VatId: VAT_NONE, ...extra };
}

/** Debtor paid 12 500 to Factoring Finans: debit the intermediate account, credit the customer (reference §10). */
function customerPayment(reference: string) {
  return {
    VoucherDate: '2026-12-01',
    CurrencyCode: 'NOK',
    Description: 'Innbetaling faktura 10023',
    ExternalImportReference: reference,
    VoucherLines: [line(ACCOUNT[2990], 12500), line(NORDLYS_SUBLEDGER, -12500, { InvoiceNo: '10023', Cid: '0001002300057' })],
  };
}

describe('vouchers posted to the PowerOffice v2 emulator', () => {
  let po: PowerOfficeUnderTest;
  let client1001: ApiSession;

  beforeEach(async () => {
    po = await startPowerOffice();
    client1001 = await v2Session(po, DEMO.clientKey1001);
  });
  afterEach(async () => {
    await po.close();
  });

  test('a balanced bank journal is posted: 201 with Id, VoucherNo and its lines, and reads back the same', async () => {
    const posted = await client1001.post('Vouchers/BankJournals', customerPayment('ffas-payment-1'));

    expect(posted.statusCode).toBe(201);
    const voucher = jsonOf<Voucher>(posted);
    expect(voucher).toMatchObject({ Id: expect.any(String), VoucherNo: 1, ExternalImportReference: 'ffas-payment-1', IsReversed: false, CurrencyCode: 'NOK' });
    expect(voucher.VoucherLines).toEqual([
      expect.objectContaining({ Id: expect.any(Number), AccountId: ACCOUNT[2990], CurrencyAmount: 12500, CurrencyCode: 'NOK', Cid: null }),
      expect.objectContaining({ AccountId: NORDLYS_SUBLEDGER, CurrencyAmount: -12500, InvoiceNo: '10023', Cid: '0001002300057' }),
    ]);
    expect(posted.headers.location).toBe(`/v2/Vouchers/BankJournals/${voucher.Id}`);
    expect(jsonOf(await client1001.get(`Vouchers/BankJournals/${voucher.Id}`))).toEqual(voucher);
  });

  test('the admin API shows each posted voucher with the body the client sent', async () => {
    const body = customerPayment('ffas-payment-2');
    await client1001.post('Vouchers/BankJournals', body);

    const { vouchers } = await admin<{ vouchers: { kind: string; request: unknown; voucher: Voucher }[] }>(po, 'companies/1001/vouchers');

    expect(vouchers).toEqual([{ kind: 'BankJournals', request: body, voucher: expect.objectContaining({ ExternalImportReference: 'ffas-payment-2' }) }]);
  });

  test('a manual journal reads back from its own route only', async () => {
    const payout = { VoucherDate: '2026-12-02', CurrencyCode: 'NOK', ExternalImportReference: 'ffas-payout-1', VoucherLines: [line(ACCOUNT[1920], 11900), line(ACCOUNT[6970], 100), line(ACCOUNT[2990], -12000)] };
    const posted = jsonOf<Voucher>(await client1001.post('Vouchers/ManualJournals', payout));

    const asManual = await client1001.get(`Vouchers/ManualJournals/${posted.Id}`);
    const asBank = await client1001.get(`Vouchers/BankJournals/${posted.Id}`);

    expect(asManual.statusCode).toBe(200);
    expect(jsonOf<Voucher>(asManual).VoucherLines[0]).not.toHaveProperty('Cid');
    expect(asBank.statusCode).toBe(404);
    expect(jsonOf<Problem>(asBank).detail).toBe(`Bank voucher with id = ${posted.Id} not found.`);
  });

  test('lines that do not sum to zero are refused with a ProblemDetails 400', async () => {
    const body = { ...customerPayment('ffas-unbalanced'), VoucherLines: [line(ACCOUNT[2990], 12500), line(NORDLYS_SUBLEDGER, -12000)] };

    const response = await client1001.post('Vouchers/BankJournals', body);

    expect(response.statusCode).toBe(400);
    expect(jsonOf<Problem>(response)).toMatchObject({ title: 'Voucher validation error(s)', detail: expect.stringContaining('sum to 500.00 NOK') });
  });

  test('a second voucher with the same ExternalImportReference is refused with 400, and only the first is posted', async () => {
    const first = jsonOf<Voucher>(await client1001.post('Vouchers/BankJournals', customerPayment('ffas-payment-3')));

    const again = await client1001.post('Vouchers/BankJournals', customerPayment('ffas-payment-3'));

    expect(again.statusCode).toBe(400);
    expect(jsonOf<Problem>(again).detail).toBe(`ExternalImportReference is already in use. 'ffas-payment-3' is used on (voucher) Id = ${first.Id}.`);
    const { vouchers } = await admin<{ vouchers: unknown[] }>(po, 'companies/1001/vouchers');
    expect(vouchers).toHaveLength(1);
  });

  test('the duplicate guard is per client: another client may use the same reference', async () => {
    const client1002 = await v2Session(po, DEMO.clientKey1002);
    await client1001.post('Vouchers/ManualJournals', { VoucherDate: '2026-12-01', CurrencyCode: 'NOK', ExternalImportReference: 'shared-ref', VoucherLines: [line(ACCOUNT[1920], 10), line(ACCOUNT[2990], -10)] });

    const response = await client1002.post('Vouchers/ManualJournals', { VoucherDate: '2026-12-01', CurrencyCode: 'NOK', ExternalImportReference: 'shared-ref', VoucherLines: [line(4101920, 10), line(4102990, -10)] });

    expect(response.statusCode).toBe(201);
  });

  test('an AccountId that is neither a ledger account nor a sub-ledger is a ProblemDetails 404', async () => {
    const body = { ...customerPayment('ffas-unknown-account'), VoucherLines: [line(ACCOUNT[2990], 10), line(999, -10)] };

    const response = await client1001.post('Vouchers/BankJournals', body);

    expect(response.statusCode).toBe(404);
    expect(jsonOf<Problem>(response)).toMatchObject({ title: 'Object(s) not found', detail: 'Account with id = 999 not found.' });
  });

  test('posting to an inactive account is refused', async () => {
    const body = { ...customerPayment('ffas-inactive'), VoucherLines: [line(ACCOUNT[6976], 10), line(ACCOUNT[2990], -10)] };

    const response = await client1001.post('Vouchers/BankJournals', body);

    expect(response.statusCode).toBe(400);
    expect(jsonOf<Problem>(response).detail).toContain('account 6976 is not active');
  });

  test('an account locked to a VAT code refuses another one', async () => {
    const body = { ...customerPayment('ffas-vat-locked'), VoucherLines: [line(ACCOUNT[1920], 10, { VatId: VAT_HIGH_OUTPUT }), line(ACCOUNT[2990], -10)] };

    const response = await client1001.post('Vouchers/BankJournals', body);

    expect(response.statusCode).toBe(400);
    expect(jsonOf<Problem>(response).detail).toContain('account 1920 is locked to VAT code 0');
  });

  test('a zero amount, or one with more than two decimals, is refused', async () => {
    const zero = await client1001.post('Vouchers/ManualJournals', { VoucherDate: '2026-12-01', CurrencyCode: 'NOK', VoucherLines: [line(ACCOUNT[1920], 0), line(ACCOUNT[2990], 0)] });
    const tooPrecise = await client1001.post('Vouchers/ManualJournals', { VoucherDate: '2026-12-01', CurrencyCode: 'NOK', VoucherLines: [line(ACCOUNT[1920], 10.005), line(ACCOUNT[2990], -10.005)] });

    expect(jsonOf<Problem>(zero).detail).toContain('CurrencyAmount must be a positive or negative number, not 0.');
    expect(jsonOf<Problem>(tooPrecise).detail).toContain('has more than two decimals');
  });

  test('a body member the spec does not define is refused with ASP.NET\'s validation errors, not ignored', async () => {
    const body = { VoucherDate: '2026-12-01', CurrencyCode: 'NOK', VoucherLines: [{ AccountId: ACCOUNT[1920], Amount: 10, PostingDate: '2026-12-01', VatId: VAT_NONE }] };

    const response = await client1001.post('Vouchers/BankJournals', body);

    expect(response.statusCode).toBe(400);
    expect(jsonOf<Problem>(response)).toMatchObject({ title: 'One or more validation errors occurred.', errors: { 'VoucherLines[0]': ['Unknown member(s): Amount.'] } });
  });

  test('a voucher without the required VoucherDate and CurrencyCode is refused naming both', async () => {
    const response = await client1001.post('Vouchers/ManualJournals', { VoucherLines: [line(ACCOUNT[1920], 10), line(ACCOUNT[2990], -10)] });

    expect(response.statusCode).toBe(400);
    expect(Object.keys(jsonOf<Problem>(response).errors ?? {}).sort()).toEqual(['CurrencyCode', 'VoucherDate']);
  });

  test('only NOK can be posted: the emulated clients have no other currency', async () => {
    const response = await client1001.post('Vouchers/ManualJournals', { VoucherDate: '2026-12-01', CurrencyCode: 'EUR', VoucherLines: [line(ACCOUNT[1920], 10), line(ACCOUNT[2990], -10)] });

    expect(jsonOf<Problem>(response).detail).toContain("Currency 'EUR' is not active on the client.");
  });

  test('posting needs BankVoucher_Full: without it the client gets 403 and nothing is posted', async () => {
    await adminSend(po, 'PUT', 'companies/1001/privileges', { InvalidPrivileges: ['BankVoucher_Full'] });

    const response = await client1001.post('Vouchers/BankJournals', customerPayment('ffas-forbidden'));

    expect(response.statusCode).toBe(403);
    expect((await admin<{ vouchers: unknown[] }>(po, 'companies/1001/vouchers')).vouchers).toHaveLength(0);
  });
});
