import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { LedgerEvent } from '../../adapters/ledger/ledger-api';
import { onboardClient } from '../../client/onboarding';
import { accountRoleNames } from '../../domain/client-settings';
import { postingFor } from '../../domain/return-data/posting-rules';
import { powerOfficeSeedSchema } from '../../emulators/poweroffice/fixture-schema';
import { clientSettingsWorkflowId } from '../../workflows/client-settings-workflow';
import { clientReturnDataWorkflowId, type ReturnDataRunReport } from '../../workflows/return-data-messages';
import { returnDataWorkflow } from '../../workflows/return-data-workflow';
import { ReturnData } from '../../workflows/search-attributes';
import { APPLICATION_KEY, cipherOf, nextKidClientNumber, startService, SUBSCRIPTION_KEY, type ServiceUnderTest } from '../helpers/service';
import { startLocalTemporal } from '../helpers/temporal';
import { exampleMapping, sampleEvents } from './ledger-events';

/**
 * The daily return-data run against the real worker, the dev server (the run lists clients through
 * visibility) and the emulators over HTTP: the ledger's feed in, vouchers at PowerOffice GO out.
 * Three clients share the file's service: one ready, one whose mapped account is gone from its
 * PowerOffice GO, one that never ordered return data.
 */
const suffix = randomUUID().slice(0, 6);
const READY = `rdok${suffix}`;
const MISSING_ACCOUNT = `rdmiss${suffix}`;
const NOT_ORDERED = `rdnone${suffix}`;

interface PostedVoucher {
  kind: 'BankJournals' | 'ManualJournals';
  voucher: { ExternalImportReference: string; VoucherLines: { AccountId: number; CurrencyAmount: number; InvoiceNo?: string | null }[] };
}

function company(clientId: string) {
  return {
    clientId,
    clientKey: `key-${clientId}`,
    name: `Returdata ${clientId} AS`,
    organizationNumber: '923609016',
    customers: [{ Number: 10010, Name: 'Kunde AS', MailAddress: { AddressLine1: 'Gate 1', ZipCode: '0150', City: 'Oslo', CountryCode: 'NO' } }],
  };
}

/** One event of each type, with ids of this client (event ids are unique across the ledger). */
function eventsOf(clientId: string): LedgerEvent[] {
  return Object.values(sampleEvents).map((event) => ({ ...event, eventId: `${clientId}-${event.eventId}` }));
}

describe("return data: the ledger's events posted into the clients' PowerOffice GO", () => {
  let env: TestWorkflowEnvironment;
  let service: ServiceUnderTest;

  // Forced: the test may run on a weekend. Pages of 2 events, so the cursor moves several times.
  const run = (): Promise<ReturnDataRunReport> =>
    env.client.workflow.execute(returnDataWorkflow, { workflowId: `return-data-manual-${randomUUID()}`, taskQueue: service.taskQueue, args: [{ force: true, pageSize: 2 }] });
  const vouchersOf = (clientId: string): PostedVoucher[] =>
    [...service.emulators.powerOffice.state.byClientId(clientId)!.vouchers.values()].map((v) => ({ kind: v.kind, voucher: v.dto as unknown as PostedVoucher['voucher'] }));

  beforeAll(async () => {
    env = await startLocalTemporal();
    const seed = powerOfficeSeedSchema.parse({
      applicationKey: APPLICATION_KEY,
      subscriptionKey: SUBSCRIPTION_KEY,
      companies: [company(READY), company(MISSING_ACCOUNT), company(NOT_ORDERED)],
    });
    service = await startService(env, seed, { onboard: false });
    for (const clientId of [READY, MISSING_ACCOUNT, NOT_ORDERED]) {
      await onboardClient(env.client, service.taskQueue, cipherOf(service.config), {
        settings: { clientId, kid: { clientNumber: nextKidClientNumber() }, ...(clientId === NOT_ORDERED ? {} : { accountMapping: exampleMapping }) },
        clientKey: `key-${clientId}`,
      });
    }
    for (const clientId of [READY, MISSING_ACCOUNT, NOT_ORDERED]) {
      const appended = service.emulators.ledger.store.appendEvents(clientId, eventsOf(clientId));
      if (!appended.ok) throw new Error(appended.error);
    }
    // Deleted in PowerOffice GO after onboarding verified it.
    const accounts = service.emulators.powerOffice.state.byClientId(MISSING_ACCOUNT)!.accounts;
    accounts.splice(
      accounts.findIndex((account) => account.AccountNo === exampleMapping.financialFees),
      1,
    );
  });
  afterAll(async () => {
    for (const clientId of [READY, MISSING_ACCOUNT, NOT_ORDERED]) {
      for (const workflowId of [clientReturnDataWorkflowId(clientId), clientSettingsWorkflowId(clientId)]) {
        await env.client.workflow.getHandle(workflowId).terminate('test finished').catch(() => undefined);
      }
    }
    await service?.stop();
    await env?.teardown();
  });

  test('each ledger event becomes one voucher in PowerOffice GO, on its journal, with its lines', async () => {
    const report = await run();

    const company = service.emulators.powerOffice.state.byClientId(READY)!;
    const accountId = (no: number) => company.accounts.find((account) => account.AccountNo === no)!.Id;
    const customerAccountId = company.customers.find((customer) => customer.Number === 10010)!.SubledgerAccountId;
    const expected = eventsOf(READY).map((event) => {
      const plan = postingFor(event, exampleMapping);
      return {
        kind: plan.journal === 'bank' ? 'BankJournals' : 'ManualJournals',
        reference: plan.externalImportReference,
        lines: plan.lines.map((line) => [
          line.account.kind === 'ledger' ? accountId(line.account.accountNo) : customerAccountId,
          line.amountOre / 100,
          line.invoiceNo === undefined ? null : String(line.invoiceNo),
        ]),
      };
    });
    // A page's vouchers are posted in lanes, so they reach PowerOffice GO in any order; each is its own entry.
    const byReference = (a: { reference: string }, b: { reference: string }) => a.reference.localeCompare(b.reference);
    const posted = vouchersOf(READY).map(({ kind, voucher }) => ({
      kind,
      reference: voucher.ExternalImportReference,
      lines: voucher.VoucherLines.map((line) => [line.AccountId, line.CurrencyAmount, line.InvoiceNo ?? null]),
    }));
    expect(posted.sort(byReference)).toEqual(expected.sort(byReference));
    expect(report.clients[READY]).toMatchObject({
      status: 'done',
      posted: 5,
      alreadyPosted: 0,
      postedByType: { payment: 1, 'administrative-fee': 1, 'financial-fee': 1, payout: 1, 'balance-change': 1 },
    });
  });

  test('a second run of the same period posts no second voucher', async () => {
    await run();
    const before = vouchersOf(READY).length;

    const report = await run();

    expect(vouchersOf(READY)).toHaveLength(before);
    expect(before).toBe(5);
    expect(report.clients[READY]).toMatchObject({ status: 'done', posted: 0 });
  });

  test('with its cursor lost, a rerun finds every voucher already in PowerOffice GO and posts none twice', async () => {
    await run();
    // An operator terminated the client's workflow: the next run reads the feed from the start.
    await env.client.workflow.getHandle(clientReturnDataWorkflowId(READY)).terminate('cursor lost on purpose');

    const report = await run();

    expect(report.clients[READY]).toMatchObject({ status: 'done', posted: 0, alreadyPosted: 5 });
    expect(vouchersOf(READY)).toHaveLength(5);
  });

  test('a client whose mapped account is missing in PowerOffice GO is reported blocked, naming the account, and nothing is posted', async () => {
    const report = await run();

    expect(report.clients[MISSING_ACCOUNT]).toMatchObject({
      status: 'blocked',
      posted: 0,
      problems: [`${accountRoleNames.financialFees} account ${exampleMapping.financialFees} does not exist in the client's PowerOffice GO`],
    });
    expect(vouchersOf(MISSING_ACCOUNT)).toEqual([]);
    const blocked = await env.client.workflow.getHandle(clientReturnDataWorkflowId(MISSING_ACCOUNT)).describe();
    expect(blocked.typedSearchAttributes.get(ReturnData)).toBe('Blocked');
  });

  test('a client that has not ordered return data is skipped: no workflow, no voucher', async () => {
    const report = await run();

    expect(report.skipped).toContain(NOT_ORDERED);
    expect(report.clients[NOT_ORDERED]).toBeUndefined();
    expect(vouchersOf(NOT_ORDERED)).toEqual([]);
    await expect(env.client.workflow.getHandle(clientReturnDataWorkflowId(NOT_ORDERED)).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
  });
});
