import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { DryRunReport } from '../../client/dry-run-check';
import { setClientStatus } from '../../client/onboarding';
import { powerOfficeSeedSchema } from '../../emulators/poweroffice/fixture-schema';
import { hasStackTrace, runProjectCommand } from '../helpers/run-command';
import { APPLICATION_KEY, startService, SUBSCRIPTION_KEY, type ServiceUnderTest } from '../helpers/service';
import { startLocalTemporal } from '../helpers/temporal';
import { COMMAND_FILES, commandEnvironment, observableStateSettled } from './operator-commands';

/**
 * `npm run -s dry-run`: before a client goes live, an operator reads what the service would do
 * with each available invoice and every problem of the client's data, and sends the list to the
 * client. Real dev server (the client's settings and key), a worker, the emulators over HTTP.
 */
const CLIENT = `dry${randomUUID().slice(0, 6)}`;
const IN_PEPPOL = '987145234';
const NOT_IN_PEPPOL = '910000012';
const BAD_CHECK_DIGIT = '987145235';
const ADDRESS = { AddressLine1: 'Storgata 1', ZipCode: '1430', City: 'Ås', CountryCode: 'NO' };

/** One invoice per customer, each customer with one kind of problem (10010 has none). */
const CUSTOMERS = [
  { Number: 10010, Name: 'Bakeri Ås AS', OrganizationNumber: IN_PEPPOL, MailAddress: ADDRESS },
  { Number: 10011, Name: 'Uten Adresse AS', OrganizationNumber: IN_PEPPOL, MailAddress: { AddressLine1: null, ZipCode: null, City: null, CountryCode: 'NO' } },
  { Number: 10012, Name: 'Halv Adresse AS', OrganizationNumber: IN_PEPPOL, MailAddress: { ...ADDRESS, ZipCode: null } },
  { Number: 10013, Name: 'Feil Epost AS', OrganizationNumber: NOT_IN_PEPPOL, InvoiceEmailAddress: 'faktura(at)feil-epost.no', MailAddress: ADDRESS },
  { Number: 10014, FirstName: 'Kari', LastName: 'Nordmann', IsPerson: true, InvoiceEmailAddress: 'printonly@factoringfinans.no', MailAddress: ADDRESS },
  { Number: 10015, Name: 'Feil Orgnr AS', OrganizationNumber: BAD_CHECK_DIGIT, MailAddress: ADDRESS },
];

function seed() {
  const customerNos = [...CUSTOMERS.map((c) => c.Number), 10099];
  return powerOfficeSeedSchema.parse({
    applicationKey: APPLICATION_KEY,
    subscriptionKey: SUBSCRIPTION_KEY,
    companies: [
      {
        clientId: CLIENT,
        clientKey: `key-${CLIENT}`,
        name: 'Snekker Hansen AS',
        organizationNumber: '923609016',
        availableInvoices: customerNos.map((customerCode, i) => ({
          id: randomUUID(),
          invoiceNo: 40001 + i,
          customerCode,
          totalAmount: 12500.5 + i,
          invoiceDate: '2026-11-27T00:00:00',
          dueDate: '2026-12-11T00:00:00',
        })),
        customers: CUSTOMERS,
      },
    ],
  });
}

/** Semicolon-separated, every cell quoted, a quote doubled inside a cell (as Excel writes it). */
function csvRows(text: string): string[][] {
  return text
    .trimEnd()
    .split('\n')
    .map((line) => [...line.matchAll(/"((?:[^"]|"")*)"(?:;|$)/g)].map((m) => m[1]!.replace(/""/g, '"')));
}

/** What the emulators recorded that a dry run must never cause: writes to PowerOffice GO, bookings, sends. */
async function writesRecorded(service: ServiceUnderTest) {
  const { emulators } = service;
  const log = (await (await fetch(`${emulators.powerOfficeUrl}_emulator/calls/log?clientId=${CLIENT}`)).json()) as { calls: { method: string; route: string }[] };
  const ledger = (await (await fetch(`${emulators.ledgerUrl}_emulator/invoices`)).json()) as { invoices: unknown[] };
  const partner = (await (await fetch(`${emulators.distributionUrl}_emulator/deliveries`)).json()) as { deliveries: unknown[] };
  return {
    powerOfficeWrites: log.calls.filter((c) => c.method !== 'GET' && !/token/i.test(c.route)).map((c) => `${c.method} ${c.route}`),
    powerOfficeReads: [...new Set(log.calls.filter((c) => c.method === 'GET').map((c) => c.route))].sort(),
    ledgerInvoices: ledger.invoices.length,
    partnerDeliveries: partner.deliveries.length,
  };
}

describe('dry run before go-live', () => {
  let env: TestWorkflowEnvironment;
  let service: ServiceUnderTest;
  const run = (args: string[]) => runProjectCommand(COMMAND_FILES['dry-run'], args, commandEnvironment(env, service));

  beforeAll(async () => {
    env = await startLocalTemporal();
    service = await startService(env, seed());
  });
  afterAll(async () => {
    await service?.stop();
    await env?.teardown();
  });

  test('each invoice shows the channel it would get and why, every problem of the client data, and a summary per problem', async () => {
    const shown = await run(['--client-id', CLIENT]);

    expect(shown.code).toBe(0);
    expect(shown.stderr.trim()).toBe('Page 1: 7 invoice(s) fetched and checked, 7 of 7.');
    const out = shown.stdout;
    expect(out).toMatch(new RegExp(`^Dry run for client ${CLIENT} \\(active\\), PowerOffice GO read \\d{2}\\.\\d{2}\\.\\d{4} \\d{2}:\\d{2}: 7 invoice\\(s\\) available for factoring\\. Nothing was booked, sent or written\\.$`, 'm'));
    expect(out).toMatch(/^ {2}Invoice {2}Customer {2}Amount \(NOK\) {2}Due {9}Would go as {16}Why$/m);
    expect(out).toMatch(/^ {2}40001 {4}10010 {8}12\u00a0500,50 {2}11\.12\.2026 {2}EHF e-invoice {14}the customer receives EHF \(registered in PEPPOL\)$/m);
    expect(out).toMatch(/^ {2}40002 {4}10011 {8}12\u00a0501,50 {2}11\.12\.2026 {2}rejected {19}customer 10011 has no complete postal address/m);
    expect(out).toMatch(/^ {2}40004 +10013 +[\d\u00a0,]+ +11\.12\.2026 {2}e-mail with link and code +e-mail with link and code \(alternative 1\)$/m);
    expect(out).toMatch(/^ {2}40005 +10014 +[\d\u00a0,]+ +11\.12\.2026 {2}letter +the invoice e-mail is printonly@factoringfinans\.no: letters only$/m);
    expect(out).toMatch(/^ {2}40007 +10099 +[\d\u00a0,]+ +11\.12\.2026 {2}rejected +customer 10099 was not found in PowerOffice GO$/m);

    expect(out).toContain("customer 10011 has no postal address (MailAddress): the invoice is not distributed");
    expect(out).toContain("customer 10012's postal address lacks MailAddress.ZipCode: the invoice is not distributed");
    expect(out).toContain("customer 10013's InvoiceEmailAddress is not a valid e-mail address");
    expect(out).toContain('customer 10013 has an organisation number but is not registered in PEPPOL for EHF invoices');
    expect(out).toContain("customer 10014's InvoiceEmailAddress is printonly@factoringfinans.no: letters only");
    expect(out).toContain("customer 10015's OrganizationNumber is not a valid organisation number (9 digits, the last a MOD11 check digit)");
    expect(out).toMatch(/^ {2}40006 +10015 +invoice 40006: EHF rule PEPPOL-COMMON-R041 failed: /m);
    expect(out).toMatch(/^ {2}40007 +10099 +customer 10099 was not found in PowerOffice GO$/m);

    const summary = out.split('\nSummary:\n')[1]!.split('\n\n')[0]!.split('\n');
    expect(summary.map((line) => line.trim().split(/ {2,}/))).toEqual([
      ['customer not found', '1'],
      ['no postal address', '1'],
      ['incomplete postal address', '1'],
      ['malformed e-mail address', '1'],
      ['e-mail is printonly (letters only)', '1'],
      ['organisation number with a bad check digit', '1'],
      ['not in PEPPOL (no EHF)', '1'],
      ['EHF rule would fail', '1'],
    ]);
    // No personal data beyond the numbers that identify the row: names and addresses stay in PowerOffice GO.
    for (const personal of ['Kari', 'Nordmann', 'Bakeri', 'Storgata', 'faktura(at)feil-epost.no']) expect(out).not.toContain(personal);
  });

  test('--csv gives the client one row per problem under a header line', async () => {
    const json = JSON.parse((await run(['--client-id', CLIENT, '--json'])).stdout) as DryRunReport;

    const shown = await run(['--client-id', CLIENT, '--csv']);

    expect(shown.code).toBe(0);
    const [header, ...rows] = shown.stdout.trimEnd().split('\n');
    expect(header).toBe('Fakturanr;Kundenr;Problem;Felt;Beskrivelse');
    const cells = csvRows(rows.join('\n'));
    expect(cells).toHaveLength(json.problems.length);
    expect(cells.every((row) => row.length === 5)).toBe(true);
    expect(cells).toContainEqual(['40003', '10012', 'incomplete postal address', 'MailAddress.ZipCode', "customer 10012's postal address lacks MailAddress.ZipCode: the invoice is not distributed"]);
    expect(cells).toContainEqual(['40004', '10013', 'malformed e-mail address', 'InvoiceEmailAddress', "customer 10013's InvoiceEmailAddress is not a valid e-mail address"]);
    expect(cells).toContainEqual(['40006', '10015', 'EHF rule would fail', 'PEPPOL-COMMON-R041', expect.stringContaining('EHF rule PEPPOL-COMMON-R041 failed')]);
  });

  test('--json gives scripts every invoice with its outcome, the problems and the counts', async () => {
    const shown = await run(['--client-id', CLIENT, '--json']);

    expect(shown.code).toBe(0);
    const report = JSON.parse(shown.stdout) as DryRunReport;
    expect(report.invoices.map((i) => [i.invoiceNo, i.outcome, i.channel])).toEqual([
      [40001, 'would-send', 'ehf'],
      [40002, 'would-reject', undefined],
      [40003, 'would-reject', undefined],
      [40004, 'would-send', 'email-link'],
      [40005, 'would-send', 'letter'],
      [40006, 'would-reject', undefined],
      [40007, 'would-reject', undefined],
    ]);
    expect(report.outcomes).toEqual({ ehf: 1, rejected: 4, 'email-link': 1, letter: 1 });
    expect(report.summary.find((s) => s.kind === 'not-in-peppol')).toEqual({ kind: 'not-in-peppol', count: 1 });
  });

  test('the emulators recorded no booking, no send and no write to PowerOffice GO, and Temporal no workflow', async () => {
    const before = await observableStateSettled(env, service);

    const shown = await run(['--client-id', CLIENT]);

    expect(shown.code).toBe(0);
    const after = await observableStateSettled(env, service);
    expect({ workflows: after.workflows, runningWorkflows: after.runningWorkflows }).toEqual({ workflows: before.workflows, runningWorkflows: before.runningWorkflows });
    expect(await writesRecorded(service)).toEqual({
      powerOfficeWrites: [],
      powerOfficeReads: expect.arrayContaining([expect.stringMatching(/AvailableInvoices/i), expect.stringMatching(/InvoiceEhf/i), expect.stringMatching(/Customers/i)]),
      ledgerInvoices: 0,
      partnerDeliveries: 0,
    });
  });

  test('a client onboarded but still disabled (not live yet) is checked all the same, and says so', async () => {
    await setClientStatus(env.client, CLIENT, 'Disabled', 'goes live on Monday');
    try {
      const shown = await run(['--client-id', CLIENT]);

      expect(shown.code).toBe(0);
      expect(shown.stdout).toMatch(new RegExp(`^Dry run for client ${CLIENT} \\(not active yet \\(disabled\\)\\), PowerOffice GO read .+: 7 invoice\\(s\\) available for factoring\\.`));
      expect(shown.stdout).toContain('Problems (8)');
    } finally {
      await setClientStatus(env.client, CLIENT, 'Active');
    }
  });

  test('a client that was never onboarded is refused with a sentence naming npm run -s onboard, exit 1', async () => {
    const shown = await run(['--client-id', 'neveronboarded']);

    expect(shown.code).toBe(1);
    expect(shown.stdout).toBe('');
    expect(shown.stderr.trim()).toBe(
      'Unknown client neveronboarded: it has not been onboarded, so its PowerOffice GO key is not known. Onboard it first (npm run -s onboard -- --client-id neveronboarded …; it may stay disabled until it goes live).',
    );
    expect(hasStackTrace(shown.stderr)).toBe(false);
  });

  test('a missing client id or --csv with --json is a usage error, exit 2', async () => {
    const missing = await run([]);
    const both = await run(['--client-id', CLIENT, '--csv', '--json']);

    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("required option '--client-id <id>' not specified");
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("option '--csv' cannot be used with option '--json'");
    expect(missing.stdout + both.stdout).toBe('');
  });
});
