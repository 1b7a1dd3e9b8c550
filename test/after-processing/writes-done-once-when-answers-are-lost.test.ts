import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import got from 'got';
import { importOcrFile } from '../../client/ocr-import';
import { onboardClient } from '../../client/onboarding';
import { generateKid, type KidScheme } from '../../domain/kid';
import { powerOfficeSeedSchema } from '../../emulators/poweroffice/fixture-schema';
import type { RecordedDelivery } from '../../emulators/distribution/deliveries';
import { batchWorkflow } from '../../workflows/batch-workflow';
import { clientSettingsWorkflowId } from '../../workflows/client-settings-workflow';
import { clientReturnDataWorkflowId } from '../../workflows/return-data-messages';
import { returnDataWorkflow } from '../../workflows/return-data-workflow';
import { writeBackWorkflow } from '../../workflows/write-back-workflow';
import { eventually } from '../helpers/eventually';
import { APPLICATION_KEY, cipherOf, nextKidClientNumber, seedWithInvoices, startService, SUBSCRIPTION_KEY, type ServiceUnderTest } from '../helpers/service';
import { startLocalTemporal } from '../helpers/temporal';
import { powerOfficeInvoices } from '../helpers/write-back';
import { ocrFile, ocrRecords } from '../../scripts/lib/ocr-file-builder';
import { exampleMapping, sampleEvents } from '../return-data/ledger-events';

/**
 * "Done but unanswered" through the real service: every emulator that takes writes processes the
 * write, then loses the answer (the connection is reset: emulators/after-processing-fault.ts), so
 * our worker retries a write that already happened. Each test then reads the emulator's records:
 * every effect exactly once. Faults are seeded, and each test checks that they were injected.
 */
interface AfterProcessingReport {
  afterProcessing: { injected: number; byRoute: Record<string, number> };
}

/** Loses the first two matching answers, then every other one (seeded). */
function lostAnswers(routes: string[]) {
  return { seed: 10, afterProcessing: { count: 2, rate: 0.5, mode: 'reset', routes } };
}

async function orderFaults(url: string, settings: object): Promise<void> {
  await got.post(url, { json: settings });
}

async function lostSoFar(url: string): Promise<number> {
  return (await got(url).json<AfterProcessingReport>()).afterProcessing.injected;
}

function tally<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

describe('every write is done once when the upstream loses its answer after doing it', () => {
  let env: TestWorkflowEnvironment;
  let service: ServiceUnderTest | undefined;

  beforeAll(async () => {
    env = await startLocalTemporal();
  });
  afterEach(async () => {
    await service?.stop();
    service = undefined;
  });
  afterAll(async () => {
    await env?.teardown();
  });

  async function sentAll(clientId: string, count: number): Promise<void> {
    const query = `WorkflowType = 'invoiceWorkflow' AND ClientId = '${clientId}' AND WriteBack = 'Pending'`;
    const sent = await eventually(async () => (await env.client.workflow.count(query)).count, (n) => n === count, 60_000);
    expect(sent).toBe(count);
  }

  test('ledger and partner: each invoice is booked once and sent once by EHF, e-mail or letter', async () => {
    const seed = seedWithInvoices(4);
    // Customer 10010 wants letters only, 10011 e-mail, 10012 EHF (registered below): every partner route.
    const [letterOnly, , ehf] = seed.companies[0]!.customers;
    letterOnly!.EmailAddress = 'printonly@factoringfinans.no';
    ehf!.OrganizationNumber = '974760673';
    service = await startService(env, seed);
    const { ledgerUrl, distributionUrl, peppolDirectoryUrl } = service.emulators;
    // The directory's demo registrations include the other customers' organisation number.
    await got.delete(`${peppolDirectoryUrl}_emulator/participants/987145234`, { throwHttpErrors: false });
    await got.post(`${peppolDirectoryUrl}_emulator/participants`, { json: { organisationNumber: '974760673', documentTypes: ['Invoice', 'CreditNote'] } });
    await orderFaults(`${ledgerUrl}_emulator/faults`, lostAnswers(['/v1/clients/:clientId/invoices']));
    await orderFaults(`${distributionUrl}_emulator/faults`, lostAnswers(['/v1/']));

    await env.client.workflow.execute(batchWorkflow, { workflowId: `batch-${seed.clientId}`, taskQueue: service.taskQueue, args: [{ force: true }] });
    await sentAll(seed.clientId, 4);

    const invoiceIds = seed.companies[0]!.availableInvoices.map((i) => i.id).sort();
    const bookings = service.emulators.ledger.store.bookedInvoices(seed.clientId);
    expect(bookings.map((b) => b.booking.invoiceId).sort()).toEqual(invoiceIds);
    expect(bookings.filter((b) => b.duplicatesRefused > 0)).toEqual([]);
    const { deliveries } = await got(`${distributionUrl}_emulator/deliveries`).json<{ deliveries: RecordedDelivery[] }>();
    const perInvoiceAndChannel = tally(deliveries, (d) => `${d.request.reference.invoiceId} ${d.channel}`);
    expect(Object.values(perInvoiceAndChannel).every((n) => n === 1)).toBe(true);
    expect(new Set(deliveries.map((d) => d.request.reference.invoiceId))).toEqual(new Set(invoiceIds));
    expect(new Set(deliveries.map((d) => d.channel))).toEqual(new Set(['ehf', 'email-link', 'letter']));
    // The faults did happen, and the retries reached the upstream again (deduplicated there).
    expect(await lostSoFar(`${ledgerUrl}_emulator/faults`)).toBeGreaterThanOrEqual(2);
    expect(await lostSoFar(`${distributionUrl}_emulator/faults`)).toBeGreaterThanOrEqual(2);
    expect(bookings.some((b) => b.replays > 0)).toBe(true);
    expect(deliveries.some((d) => d.requestsWithKey > 1)).toBe(true);
  });

  test('ledger and partner: an answer held past our timeout still books and sends each invoice once', async () => {
    const seed = seedWithInvoices(2);
    service = await startService(env, seed);
    const { ledgerUrl, distributionUrl } = service.emulators;
    // Held 12 s: past the adapters' 10 s request timeout, so our side gives up and tries again.
    const heldOnce = { afterProcessing: { count: 1, mode: 'hang', hangMs: 12_000 } };
    await orderFaults(`${ledgerUrl}_emulator/faults`, heldOnce);
    await orderFaults(`${distributionUrl}_emulator/faults`, heldOnce);

    await env.client.workflow.execute(batchWorkflow, { workflowId: `batch-${seed.clientId}`, taskQueue: service.taskQueue, args: [{ force: true }] });
    await sentAll(seed.clientId, 2);

    const bookings = service.emulators.ledger.store.bookedInvoices(seed.clientId);
    expect(bookings.map((b) => [b.duplicatesRefused, b.bookingRequests > 0])).toEqual([
      [0, true],
      [0, true],
    ]);
    const { deliveries } = await got(`${distributionUrl}_emulator/deliveries`).json<{ deliveries: RecordedDelivery[] }>();
    expect(Object.values(tally(deliveries, (d) => `${d.request.reference.invoiceId} ${d.channel}`))).toEqual([1, 1]);
    expect(await lostSoFar(`${ledgerUrl}_emulator/faults`)).toBe(1);
    expect(await lostSoFar(`${distributionUrl}_emulator/faults`)).toBe(1);
  });

  /** Four invoices sent, then the write-back with every answer of `route` lost after PowerOffice did the write. */
  async function writeBackLosing(route: string) {
    const seed = seedWithInvoices(4);
    service = await startService(env, seed);
    await env.client.workflow.execute(batchWorkflow, { workflowId: `batch-${seed.clientId}`, taskQueue: service.taskQueue, args: [{ force: true }] });
    await sentAll(seed.clientId, 4);
    const { powerOfficeUrl } = service.emulators;
    await orderFaults(`${powerOfficeUrl}_emulator/faults/v1`, { afterProcessing: { rate: 1, mode: 'reset', routes: [route] } });

    const report = await env.client.workflow.execute(writeBackWorkflow, {
      workflowId: `write-back-${seed.clientId}`,
      taskQueue: service.taskQueue,
      args: [{ force: true, clientIds: [seed.clientId] }],
    });

    const faults = await got(`${powerOfficeUrl}_emulator/faults`).json<{ afterProcessing: { v1: { injected: number } } }>();
    expect(faults.afterProcessing.v1.injected).toBeGreaterThanOrEqual(4);
    return { report: report.clients[seed.clientId], invoices: await powerOfficeInvoices(powerOfficeUrl, seed.clientId) };
  }

  // The transport sends a write again only when it provably never arrived; after a lost answer the
  // activity's next attempt reads PowerOffice first (write-back-invoice.ts).
  test('PowerOffice GO v1: with every delivered answer lost, each invoice gets one delivered call and none is Failed', async () => {
    const { report, invoices } = await writeBackLosing('/Factoring/delivered/');

    expect(report).toEqual({ writtenBack: 4, upToDate: 0, failed: 0 });
    expect(invoices.map((i) => [i.isDelivered, i.statusHistory.length])).toEqual(invoices.map(() => [true, 1]));
    expect(invoices.map((i) => i.deliveredCalls)).toEqual([1, 1, 1, 1]);
  });

  // PowerOffice adds a status entry per call, so a second send would show as a second entry.
  test('PowerOffice GO v1: with every status answer lost, each invoice gets one status entry', async () => {
    const { report, invoices } = await writeBackLosing('/Factoring/updatefactoringinvoicestatus/');

    expect(report).toEqual({ writtenBack: 4, upToDate: 0, failed: 0 });
    expect(invoices.map((i) => [i.isDelivered, i.deliveredCalls, i.statusHistory.length])).toEqual(invoices.map(() => [true, 1, 1]));
  });

  test('PowerOffice GO v2: return data posts one voucher per ledger event', async () => {
    const clientId = `rdlost${randomUUID().slice(0, 6)}`;
    const seed = powerOfficeSeedSchema.parse({
      applicationKey: APPLICATION_KEY,
      subscriptionKey: SUBSCRIPTION_KEY,
      companies: [
        {
          clientId,
          clientKey: `key-${clientId}`,
          name: 'Returdata AS',
          organizationNumber: '923609016',
          customers: [{ Number: 10010, Name: 'Kunde AS', MailAddress: { AddressLine1: 'Gate 1', ZipCode: '0150', City: 'Oslo', CountryCode: 'NO' } }],
        },
      ],
    });
    service = await startService(env, seed, { onboard: false });
    await onboardClient(env.client, service.taskQueue, cipherOf(service.config), {
      settings: { clientId, kid: { clientNumber: nextKidClientNumber() }, accountMapping: exampleMapping },
      clientKey: `key-${clientId}`,
    });
    const events = Object.values(sampleEvents).map((event) => ({ ...event, eventId: `${clientId}-${event.eventId}` }));
    const appended = service.emulators.ledger.store.appendEvents(clientId, events);
    if (!appended.ok) throw new Error(appended.error);
    const { powerOfficeUrl } = service.emulators;
    await orderFaults(`${powerOfficeUrl}_emulator/faults/v2`, lostAnswers(['/v2/Vouchers/']));

    try {
      await env.client.workflow.execute(returnDataWorkflow, { workflowId: `return-data-${clientId}`, taskQueue: service.taskQueue, args: [{ force: true, pageSize: 2 }] });

      const vouchers = [...service.emulators.powerOffice.state.byClientId(clientId)!.vouchers.values()];
      const perReference = tally(vouchers, (v) => String(v.dto.ExternalImportReference));
      expect(Object.keys(perReference)).toHaveLength(events.length);
      expect(Object.values(perReference).every((n) => n === 1)).toBe(true);
      const faults = await got(`${powerOfficeUrl}_emulator/faults`).json<{ afterProcessing: { v2: { injected: number } } }>();
      expect(faults.afterProcessing.v2.injected).toBeGreaterThanOrEqual(2);
    } finally {
      for (const workflowId of [clientReturnDataWorkflowId(clientId), clientSettingsWorkflowId(clientId)]) {
        await env.client.workflow.getHandle(workflowId).terminate('test finished').catch(() => undefined);
      }
    }
  });

  // After a lost answer Temporal retries registerOcrPayment and the ledger replays the first
  // receipt; the receipt names the import that registered the payment, so the import counts its own
  // replay as registered, not as a duplicate from an earlier file.
  test('ledger: an OCR import registers one payment per transaction and reports each as registered', async () => {
    const clientId = `ocrlost${randomUUID().slice(0, 6)}`;
    service = await startService(env, seedWithInvoices(0, clientId), { onboard: false });
    const scheme: KidScheme = { method: 'MOD10', length: 15, clientNumber: 4343 };
    const kids = [60_001, 60_002, 60_003, 60_004].map((invoiceNo) => {
      const kid = generateKid(scheme, invoiceNo);
      const booked = service!.emulators.ledger.store.book(clientId, `book:${clientId}:${invoiceNo}`, {
        invoiceId: randomUUID(),
        invoiceNo,
        documentType: 'Invoice',
        customerNo: 10010,
        amountOre: 10_000 + invoiceNo,
        currency: 'NOK',
        invoiceDate: '2026-02-10',
        dueDate: '2026-02-24',
        kid,
      });
      if (booked.outcome !== 'created') throw new Error(`could not book invoice ${invoiceNo}`);
      return { kid, amountOre: 10_000 + invoiceNo };
    });
    const { ledgerUrl } = service.emulators;
    await orderFaults(`${ledgerUrl}_emulator/faults`, lostAnswers(['/v1/clients/:clientId/payments']));

    const outcome = await importOcrFile(env.client, service.taskQueue, ocrFile(ocrRecords({ assignments: [{ transactions: kids }] })));

    if (outcome.refused) throw new Error('the file was refused');
    const payments = service.emulators.ledger.payments.registeredPayments(clientId);
    expect(Object.values(tally(payments, (p) => p.payment.invoiceId))).toEqual([1, 1, 1, 1]);
    const feed = service.emulators.ledger.store.readEvents(clientId, undefined, 500);
    expect(feed.ok && feed.events.filter((event) => event.type === 'payment')).toHaveLength(4);
    expect(await lostSoFar(`${ledgerUrl}_emulator/faults`)).toBeGreaterThanOrEqual(2);
    // What the operator reads: all four registered, none kept aside as "registered from an earlier file".
    expect(outcome.result.keptAside).toEqual([]);
    expect(outcome.result.registered).toHaveLength(4);
    expect(payments.some((p) => p.requests > 1)).toBe(true);
  });
});
