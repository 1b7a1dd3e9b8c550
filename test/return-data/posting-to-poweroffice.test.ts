import { PowerOfficeConnector } from '../../adapters/poweroffice/connector';
import type { PowerOfficeV2Client } from '../../adapters/poweroffice/v2-client';
import { postingFor } from '../../domain/return-data/posting-rules';
import { numbersToLookUp, resolveVoucher, type PowerOfficeIds } from '../../domain/return-data/resolve-voucher';
import type { VoucherPlan } from '../../domain/return-data/voucher-plan';
import { powerOfficeSeedSchema } from '../../emulators/poweroffice/fixture-schema';
import { startEmulators, type RunningEmulators } from '../../emulators/start';
import { http, jsonOf } from '../emulators/harness';
import { exampleMapping, sampleEvents } from './ledger-events';

/**
 * The vouchers of the sample feed, resolved with ids looked up through our PowerOffice adapter and
 * posted through it to the PowerOffice emulator over HTTP: the emulator enforces what GO does
 * (accounts and VAT codes exist, lines balance, one voucher per ExternalImportReference).
 */
const APPLICATION_KEY = 'return-data-app';
const SUBSCRIPTION_KEY = 'return-data-subscription';
const CLIENT_KEY = 'key-7001';

interface PostedLine {
  AccountId: number;
  CurrencyAmount: number;
  InvoiceNo?: string | null;
}

describe('return-data vouchers posted to PowerOffice GO (emulator)', () => {
  let emulators: RunningEmulators;
  let v2: PowerOfficeV2Client;
  let ids: PowerOfficeIds;
  const plans: VoucherPlan[] = Object.values(sampleEvents).map((event) => postingFor(event, exampleMapping));

  const post = (plan: VoucherPlan) => (plan.journal === 'bank' ? v2.postBankJournal(resolveVoucher(plan, ids)) : v2.postManualJournal(resolveVoucher(plan, ids)));

  beforeAll(async () => {
    const seed = powerOfficeSeedSchema.parse({
      applicationKey: APPLICATION_KEY,
      subscriptionKey: SUBSCRIPTION_KEY,
      companies: [
        {
          clientId: '7001',
          clientKey: CLIENT_KEY,
          name: 'Klient 7001 AS',
          organizationNumber: '923609016',
          customers: [{ Number: 10010, Name: 'Kunde AS', MailAddress: { AddressLine1: 'Gate 1', ZipCode: '0150', City: 'Oslo', CountryCode: 'NO' } }],
        },
      ],
    });
    emulators = await startEmulators({ distributionApiKey: 'unused', seed });
    v2 = new PowerOfficeConnector({
      v1BaseUrl: emulators.powerOfficeUrl,
      v2BaseUrl: emulators.powerOfficeV2Url,
      v2TokenUrl: emulators.powerOfficeV2TokenUrl,
      applicationKey: APPLICATION_KEY,
      subscriptionKey: SUBSCRIPTION_KEY,
      v1RequestsPerSecond: 50,
      v2RequestsPerSecond: 10,
    }).v2(CLIENT_KEY);

    const wanted = numbersToLookUp(plans);
    const [accounts, customers, vatCodes] = await Promise.all([v2.generalLedgerAccounts(wanted.accountNos), v2.customersByNumber(wanted.customerNos), v2.vatCodes()]);
    const noVat = vatCodes.find((vat) => vat.code === '0');
    if (!noVat) throw new Error('the emulator has no VAT code 0');
    ids = {
      ledgerAccountIds: Object.fromEntries(accounts.map((account) => [account.accountNo, account.id])),
      customerSubledgerAccountIds: Object.fromEntries(customers.map((customer) => [customer.number, customer.subledgerAccountId])),
      noVatId: noVat.id,
    };
  });
  afterAll(async () => {
    await emulators?.close();
  });

  test('every event of the sample feed is accepted, on the journal its rule names, with its reference', async () => {
    const posted = [];
    for (const plan of plans) posted.push(await post(plan));

    expect(posted.map((voucher) => voucher.externalImportReference)).toEqual(plans.map((plan) => plan.externalImportReference));
    const { vouchers } = jsonOf<{ vouchers: { kind: string; voucher: { ExternalImportReference: string; VoucherLines: PostedLine[] } }[] }>(
      await http.get(`${emulators.powerOfficeUrl}_emulator/companies/7001/vouchers`),
    );
    const ours = vouchers.filter((v) => plans.some((plan) => plan.externalImportReference === v.voucher.ExternalImportReference));
    expect(ours.map((v) => [v.voucher.ExternalImportReference, v.kind])).toEqual(plans.map((plan) => [plan.externalImportReference, plan.journal === 'bank' ? 'BankJournals' : 'ManualJournals']));
    const payment = ours[0]!.voucher.VoucherLines;
    expect(payment.map((line) => [line.AccountId, line.CurrencyAmount, line.InvoiceNo])).toEqual([
      [ids.ledgerAccountIds[1510], 12500, null],
      [ids.customerSubledgerAccountIds[10010], -12500, '10023'],
    ]);
  });

  test('the same event posted again is refused by PowerOffice as a duplicate, not posted twice', async () => {
    const plan = postingFor({ ...sampleEvents.payout, eventId: 'ev-retried' }, exampleMapping);
    await post(plan);

    await expect(post(plan)).rejects.toThrow(/ExternalImportReference is already in use/);
  });
});
