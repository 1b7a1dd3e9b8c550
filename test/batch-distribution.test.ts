import type { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import got from 'got';
import { oreFromKroner } from '../domain/money';
import { rejectedInvoices } from '../client/rejected-invoices';
import { seedInvoiceWorkflowId } from './helpers/invoice-ids';
import type { RecordedDelivery } from '../emulators/distribution/server';
import { batchWorkflow, type BatchWorkflowInput } from '../workflows/batch-workflow';
import type { invoiceWorkflow } from '../workflows/invoice-workflow';
import { synthesizeEhf } from '../emulators/poweroffice/ehf/synthesize-ehf';
import type { PowerOfficeSeed } from '../emulators/poweroffice/fixture-schema';
import { invoiceStatusQuery } from '../workflows/messages';
import { ClientId, ClientStatus, DistributionState, InvoiceId, InvoiceNo } from '../workflows/search-attributes';
import { toFactoringDocument } from '../activities/fetch-available-invoices';
import { factoringInvoiceDetailsSchema } from '../adapters/poweroffice/v1-schemas';
import { guidInvoiceWorkflowId, invoiceWorkflowId } from '../domain/workflow-ids';
import { workflowMetadataQuery } from '@temporalio/workflow';
import { INVOICE_STEPS_REVISION, invoiceWorkflow as invoiceWorkflowFn } from '../workflows/invoice-workflow';
import { eventually } from './helpers/eventually';
import { cipherOf, nextKidClientNumber, seedWithInvoices, startService, type ServiceUnderTest } from './helpers/service';
import { clientSettingsWorkflow, clientSettingsWorkflowId } from '../workflows/client-settings-workflow';
import { decodedPayload, startLocalTemporal } from './helpers/temporal';
import { resultAfterWriteBack } from './helpers/write-back';

/** Invoice workflow executions of one client, as an operator would find them in the Web UI. */
async function invoiceExecutions(client: Client, clientId: string) {
  const found = [];
  for await (const execution of client.workflow.list({ query: `WorkflowType = 'invoiceWorkflow' AND ClientId = '${clientId}'` })) {
    found.push(execution);
  }
  return found;
}

/** Every run of a batch, oldest first. */
async function batchRuns(client: Client, batchId: string) {
  const runs = [];
  for await (const run of client.workflow.list({ query: `WorkflowId = '${batchId}'` })) runs.push(run);
  return runs.sort((a, b) => a.startTime.getTime() - b.startTime.getTime());
}

/**
 * The emulator's own EHF for the invoice, with `depth` nested elements added before the end: a
 * document that once made the rules' recursive walk throw RangeError on every retry.
 */
function withDeeplyNestedEhf(seed: PowerOfficeSeed, index: number, depth: number): void {
  const company = seed.companies[0]!;
  const invoice = company.availableInvoices[index]!;
  const customer = company.customers.find((c) => c.Number === invoice.customerCode);
  const xml = synthesizeEhf({ name: company.name, organizationNumber: company.organizationNumber }, invoice, customer);
  invoice.ehfXml = xml.replace(/<\/Invoice>\s*$/, `${'<Deep>'.repeat(depth)}${'</Deep>'.repeat(depth)}</Invoice>`);
}

/** Forced: these tests run on any day of the week; the working-day rule has its own test. */
async function runBatch(client: Client, service: ServiceUnderTest, id: string, input: BatchWorkflowInput = {}) {
  return client.workflow.execute(batchWorkflow, { workflowId: id, taskQueue: service.taskQueue, args: [{ force: true, ...input }] });
}

describe('a batch run against the real Temporal dev server', () => {
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

  test('a batch of 3 invoices starts exactly 3 invoice workflows, visible through the client', async () => {
    const seed = seedWithInvoices(3);
    service = await startService(env, seed);

    const result = await runBatch(env.client, service, `batch-three-${seed.clientId}`);

    // The test customers are registered in the PEPPOL directory emulator: all three go as EHF.
    expect(result.clients[seed.clientId]).toEqual({ started: 3, alreadyStarted: 0, byDocumentType: { Invoice: 3, CreditNote: 0 }, byChannel: { ehf: 3 }, rejected: 0, failed: 0 });
    expect(result.assessed).toBe(3);
    const executions = await eventually(() => invoiceExecutions(env.client, seed.clientId), (list) => list.length >= 3);
    const expectedIds = seed.companies[0]!.availableInvoices.map((i) => seedInvoiceWorkflowId(seed.clientId, i));
    expect(executions.map((e) => e.workflowId).sort()).toEqual(expectedIds.sort());
    for (const execution of executions) {
      expect(execution.parentExecution?.workflowId).toBe(`batch-three-${seed.clientId}`);
    }
  });

  test('an operator finds each invoice by the number it carries (invoice-<client>-<number>), with its PowerOffice GUID in InvoiceId', async () => {
    const seed = seedWithInvoices(2);
    service = await startService(env, seed);

    await runBatch(env.client, service, `batch-ids-${seed.clientId}`);

    const executions = await eventually(() => invoiceExecutions(env.client, seed.clientId), (list) => list.length >= 2);
    const seen = executions.map((e) => [e.workflowId, e.typedSearchAttributes.get(InvoiceId), e.typedSearchAttributes.get(InvoiceNo)]);
    const [first, second] = seed.companies[0]!.availableInvoices;
    expect(seen.sort()).toEqual([
      [`invoice-${seed.clientId}-20001`, first!.id, 20001],
      [`invoice-${seed.clientId}-20002`, second!.id, 20002],
    ]);
  });

  test('an invoice started before ids held its number (invoice-<client>-<GUID>) and still running is not started again by a batch, nor sent again', async () => {
    const seed = seedWithInvoices(2);
    service = await startService(env, seed);
    const [earlier, fresh] = seed.companies[0]!.availableInvoices;
    // As a batch of the release before started it: by GUID, without InvoiceId. Sent, it waits for the 15:30 write-back,
    // so PowerOffice GO still lists it as available to the next batch.
    const document = toFactoringDocument(seed.clientId, factoringInvoiceDetailsSchema.parse(earlier));
    const old = await env.client.workflow.start(invoiceWorkflowFn, {
      workflowId: guidInvoiceWorkflowId(seed.clientId, earlier!.id),
      taskQueue: service.taskQueue,
      args: [{ document, stepsRevision: INVOICE_STEPS_REVISION }],
      typedSearchAttributes: [
        { key: ClientId, value: seed.clientId },
        { key: InvoiceNo, value: earlier!.invoiceNo },
        { key: DistributionState, value: 'Fetched' },
      ],
    });
    await eventually(() => old.query(invoiceStatusQuery), (status) => status.state === 'Delivered', 60_000);

    const result = await runBatch(env.client, service, `batch-after-upgrade-${seed.clientId}`);

    expect(result.clients[seed.clientId]).toMatchObject({ started: 1, alreadyStarted: 1 });
    const executions = await eventually(() => invoiceExecutions(env.client, seed.clientId), (list) => list.length >= 2);
    expect(executions.map((e) => e.workflowId).sort()).toEqual([old.workflowId, `invoice-${seed.clientId}-${fresh!.invoiceNo}`].sort());
    const { deliveries } = await got(`${service.emulators.distributionUrl}_emulator/deliveries`).json<{ deliveries: RecordedDelivery[] }>();
    expect(deliveries.filter((d) => d.idempotencyKey === `send:ehf:${seed.clientId}:${earlier!.id}`)).toMatchObject([{ requestsWithKey: 1 }]);
  });

  test('an invoice whose workflow from before ids held its number was terminated is tried again under that GUID id, not under a second id', async () => {
    const seed = seedWithInvoices(1);
    service = await startService(env, seed);
    const invoice = seed.companies[0]!.availableInvoices[0]!;
    const document = toFactoringDocument(seed.clientId, factoringInvoiceDetailsSchema.parse(invoice));
    // Started by the release before on a queue nobody serves now, then ended by an operator: nothing was sent.
    const old = await env.client.workflow.start(invoiceWorkflowFn, {
      workflowId: guidInvoiceWorkflowId(seed.clientId, invoice.id),
      taskQueue: `nobody-polls-${seed.clientId}`,
      args: [{ document, stepsRevision: INVOICE_STEPS_REVISION }],
      typedSearchAttributes: [{ key: ClientId, value: seed.clientId }, { key: InvoiceNo, value: invoice.invoiceNo }],
    });
    await old.terminate('stuck before the release');

    const result = await runBatch(env.client, service, `batch-retry-old-${seed.clientId}`);

    expect(result.clients[seed.clientId]).toMatchObject({ started: 1, alreadyStarted: 0, byChannel: { ehf: 1 } });
    const runs = await eventually(() => invoiceExecutions(env.client, seed.clientId), (list) => list.length >= 2);
    expect(runs.map((run) => [run.workflowId, run.status.name]).sort()).toEqual([
      [old.workflowId, 'RUNNING'],
      [old.workflowId, 'TERMINATED'],
    ]);
  });

  test('the Web UI shows an invoice with its summary (number, client, amount), its current state, channel and KID, and what each step was', async () => {
    const seed = seedWithInvoices(1);
    service = await startService(env, seed);

    await runBatch(env.client, service, `batch-summary-${seed.clientId}`);

    const invoice = seed.companies[0]!.availableInvoices[0]!;
    const handle = env.client.workflow.getHandle<typeof invoiceWorkflow>(seedInvoiceWorkflowId(seed.clientId, invoice));
    const status = await eventually(() => handle.query(invoiceStatusQuery), (s) => s.state === 'Delivered', 60_000);
    const description = await handle.describe();
    expect(await description.staticSummary()).toBe(`Invoice 20001 · client ${seed.clientId} · 1\u00a0000,50 kr`);
    expect(await description.staticDetails()).toContain(`PowerOffice GO id: ${invoice.id}`);
    const { currentDetails } = await handle.query(workflowMetadataQuery);
    expect(currentDetails).toContain(`**Delivered** · EHF · KID ${status.kid}`);
    const events = (await handle.fetchHistory()).events ?? [];
    const assessment = events.find((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'assessInvoiceReadingEhf');
    // Stored encrypted like every payload (the payload codec): read as the Web UI reads it, through the codec.
    const summary = assessment?.userMetadata?.summary;
    expect(summary && (await decodedPayload(summary))).toBe('assess 20001: postal address, EHF rules, KID, channel');
  });

  test('the 10:30 batch after the 08:00 batch (or any rerun) starts no second workflow for any invoice', async () => {
    const seed = seedWithInvoices(3);
    service = await startService(env, seed);

    await runBatch(env.client, service, `batch-first-${seed.clientId}`);
    const second = await runBatch(env.client, service, `batch-second-${seed.clientId}`);

    expect(second.clients[seed.clientId]).toMatchObject({ started: 0, alreadyStarted: 3 });
    const executions = await eventually(() => invoiceExecutions(env.client, seed.clientId), (list) => list.length >= 3);
    expect(executions).toHaveLength(3);
    expect(new Set(executions.map((e) => e.workflowId)).size).toBe(3);
    expect(executions.every((e) => e.parentExecution?.workflowId === `batch-first-${seed.clientId}`)).toBe(true);
  });

  test('each invoice is booked once and handed to the distribution partner once, and both emulators show it', async () => {
    const seed = seedWithInvoices(3);
    service = await startService(env, seed);
    await runBatch(env.client, service, `batch-deliver-${seed.clientId}`);

    const invoices = seed.companies[0]!.availableInvoices;
    for (const invoice of invoices) {
      const handle = env.client.workflow.getHandle<typeof invoiceWorkflow>(seedInvoiceWorkflowId(seed.clientId, invoice));
      const status = await resultAfterWriteBack(handle);
      expect(status).toMatchObject({ state: 'Delivered', channel: 'ehf', sends: [{ channel: 'ehf' }] });
      expect(status.kid).toMatch(/^\d{15}$/);
      expect(await handle.query(invoiceStatusQuery)).toEqual(status);
    }

    const { deliveries } = await got(`${service.emulators.distributionUrl}_emulator/deliveries`).json<{ deliveries: RecordedDelivery[] }>();
    expect(deliveries).toHaveLength(3);
    for (const invoice of invoices) {
      const delivery = deliveries.find((d) => d.idempotencyKey === `send:ehf:${seed.clientId}:${invoice.id}`);
      expect(delivery).toMatchObject({ requestsWithKey: 1, channel: 'ehf' });
    }
    const booked = service.emulators.ledger.store.bookedInvoices(seed.clientId).sort((a, b) => a.booking.invoiceNo - b.booking.invoiceNo);
    expect(booked.map((b) => [b.booking.invoiceNo, b.booking.amountOre, b.bookingRequests])).toEqual(
      invoices.map((i) => [i.invoiceNo, oreFromKroner(i.totalAmount), 1]),
    );
  });

  test('an invoice to a customer without a postal address is reported with its reason, in the batch result and the client report', async () => {
    const seed = seedWithInvoices(3);
    const customer = seed.companies[0]!.customers.find((c) => c.Number === 10012)!;
    customer.MailAddress = { AddressLine1: null, ZipCode: null, City: null, CountryCode: 'NO' };
    service = await startService(env, seed);

    const result = await runBatch(env.client, service, `batch-rejected-${seed.clientId}`);

    const reason = 'customer 10012 has no complete postal address (street, postal code and city) in PowerOffice GO';
    expect(result.clients[seed.clientId]).toMatchObject({ started: 3, rejected: 1, byChannel: { ehf: 2 } });
    expect(result.rejected).toEqual([{ clientId: seed.clientId, invoiceNo: 20003, reasons: [reason] }]);
    const report = await eventually(() => rejectedInvoices(env.client, seed.clientId), (lines) => lines.length > 0);
    expect(report).toMatchObject([{ invoiceNo: 20003, state: 'Rejected', reasons: [reason] }]);
  });

  test('a rejected invoice goes out with the next batch once the card is fixed: one workflow, one send, counted as reassessed there', async () => {
    const seed = seedWithInvoices(3);
    const customer = seed.companies[0]!.customers.find((c) => c.Number === 10012)!;
    customer.MailAddress = { AddressLine1: null, ZipCode: null, City: null, CountryCode: 'NO' };
    service = await startService(env, seed);
    const first = await runBatch(env.client, service, `batch-heal-1-${seed.clientId}`);
    expect(first.clients[seed.clientId]).toMatchObject({ started: 3, rejected: 1 });
    const rejected = seed.companies[0]!.availableInvoices[2]!;
    const handle = env.client.workflow.getHandle<typeof invoiceWorkflow>(invoiceWorkflowId({ clientId: seed.clientId, invoiceNo: rejected.invoiceNo, documentType: 'Invoice' }));
    expect((await handle.describe()).status.name).toBe('RUNNING');

    // The client fixes the card in PowerOffice GO; the invoice is still available there.
    const card = service.emulators.powerOffice.state.byClientId(seed.clientId)!.customerByNumber(10012)!;
    card.MailAddress = { ...card.MailAddress, AddressLine1: 'Testveien 1', ZipCode: '0150', City: 'Oslo' };
    const second = await runBatch(env.client, service, `batch-heal-2-${seed.clientId}`);

    expect(second.clients[seed.clientId]).toMatchObject({ started: 0, alreadyStarted: 3, reassessed: 1, rejected: 0, byChannel: { ehf: 1 } });
    expect(second).toMatchObject({ reassessAsked: 3, reassessAnswered: 3, done: true });
    expect(await eventually(() => handle.query(invoiceStatusQuery), (s) => s.state === 'Delivered')).toMatchObject({ channel: 'ehf', reassessments: 1 });
    const runs = await invoiceExecutions(env.client, seed.clientId);
    expect(runs.filter((r) => r.workflowId === handle.workflowId)).toHaveLength(1);
    const { deliveries } = await got(`${service.emulators.distributionUrl}_emulator/deliveries`).json<{ deliveries: RecordedDelivery[] }>();
    expect(deliveries.filter((d) => d.idempotencyKey.includes(rejected.id))).toHaveLength(1);
  });

  test('an invoice whose EHF cannot be assessed (20,000 nested elements) ends with its reason at once, and its batch completes within minutes', async () => {
    const seed = seedWithInvoices(4);
    withDeeplyNestedEhf(seed, 1, 20_000);
    service = await startService(env, seed);
    const began = Date.now();

    const result = await runBatch(env.client, service, `batch-bad-ehf-${seed.clientId}`);

    expect(Date.now() - began).toBeLessThan(120_000);
    expect(result).toMatchObject({ assessed: 4, done: true });
    expect(result.unassessed).toBeUndefined();
    const counts = result.clients[seed.clientId]!;
    expect(counts).toMatchObject({ started: 4, byChannel: { ehf: 3 } });
    expect(counts).toMatchObject({ rejected: 1, failed: 0 });
    const [good1, bad, ...goodRest] = seed.companies[0]!.availableInvoices;
    const badStatus = await env.client.workflow.getHandle<typeof invoiceWorkflow>(seedInvoiceWorkflowId(seed.clientId, bad!)).query(invoiceStatusQuery);
    // The document is refused over the nesting limit (FF-DOC-02): Rejected with the reason, nothing sent.
    expect(badStatus.state).toBe('Rejected');
    expect(badStatus.reasons?.join(' ')).toContain('levels deep; at most 64 are accepted');
    expect(badStatus.sends).toEqual([]);
    expect(result.rejected).toEqual([{ clientId: seed.clientId, invoiceNo: 20002, reasons: badStatus.reasons }]);
    for (const invoice of [good1!, ...goodRest]) {
      const handle = env.client.workflow.getHandle<typeof invoiceWorkflow>(seedInvoiceWorkflowId(seed.clientId, invoice));
      expect(await resultAfterWriteBack(handle)).toMatchObject({ state: 'Delivered', channel: 'ehf' });
    }
  });

  test('an invoice that fails (PowerOffice GO serves no EHF for it) is counted failed with its reason, and its batch does not wait for it', async () => {
    const seed = seedWithInvoices(3);
    seed.companies[0]!.availableInvoices[2]!.ehfXml = 'no document here';
    service = await startService(env, seed);
    const began = Date.now();

    const result = await runBatch(env.client, service, `batch-failed-${seed.clientId}`);

    expect(Date.now() - began).toBeLessThan(120_000);
    expect(result).toMatchObject({ assessed: 3, done: true });
    expect(result.clients[seed.clientId]).toMatchObject({ started: 3, failed: 1, rejected: 0, byChannel: { ehf: 2 } });
    const bad = seed.companies[0]!.availableInvoices[2]!;
    const status = await env.client.workflow.getHandle<typeof invoiceWorkflow>(seedInvoiceWorkflowId(seed.clientId, bad)).query(invoiceStatusQuery);
    expect(status.state).toBe('Failed');
    expect(result.failed).toEqual([{ clientId: seed.clientId, invoiceNo: 20003, reason: status.reasons![0] }]);
    expect(status.reasons![0]).toContain(`Factoring/InvoiceEhf/${bad.id}/`);
    const report = await eventually(() => rejectedInvoices(env.client, seed.clientId), (lines) => lines.length > 0);
    expect(report).toMatchObject([{ invoiceNo: 20003, state: 'Failed' }]);
    expect(report[0]!.reasons.join(' ')).toContain(`Factoring/InvoiceEhf/${bad.id}/`);
  });

  test('an invoice that failed its assessment was tried once, not retried for a day', async () => {
    const seed = seedWithInvoices(1);
    withDeeplyNestedEhf(seed, 0, 20_000);
    service = await startService(env, seed);

    await runBatch(env.client, service, `batch-bad-ehf-once-${seed.clientId}`);

    const handle = env.client.workflow.getHandle(seedInvoiceWorkflowId(seed.clientId, seed.companies[0]!.availableInvoices[0]!));
    const events = (await handle.fetchHistory()).events ?? [];
    // The assessment's attempts (on the PowerOffice v1 queue, where it read the EHF well).
    const assessment = events.find((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'assessInvoiceReadingEhf');
    const attempts = events
      .filter((e) => e.activityTaskStartedEventAttributes && String(e.activityTaskStartedEventAttributes.scheduledEventId) === String(assessment?.eventId))
      .map((e) => e.activityTaskStartedEventAttributes!.attempt);
    expect(attempts).toEqual([1]);
  });

  test('a client stored under an id with "-" (from before ids lost it) is skipped with the reason; the other clients\' invoices go out', async () => {
    const seed = seedWithInvoices(1);
    const legacy = seedWithInvoices(1, `legacy-${seed.clientId}`);
    service = await startService(env, seed);
    // Onboarding refuses such an id now; the settings workflow is started as an older version stored it.
    const settings = {
      clientId: legacy.clientId,
      emailAlternative: 1 as const,
      kid: { scheme: 'mod10' as const, length: 15, clientNumber: nextKidClientNumber() },
      channelOverrides: {},
      clientName: 'Testfirma AS',
      clientKey: cipherOf(service.config).seal(legacy.companies[0]!.clientKey),
      status: 'Active' as const,
      changedAt: new Date().toISOString(),
    };
    const legacyHandle = await env.client.workflow.start(clientSettingsWorkflow, { workflowId: clientSettingsWorkflowId(legacy.clientId), taskQueue: service.taskQueue, args: [{ clientId: legacy.clientId, settings }], typedSearchAttributes: [{ key: ClientStatus, value: 'Active' }] });

    try {
      const listed = async () => {
        const ids = [];
        for await (const e of env.client.workflow.list({ query: `WorkflowId = '${legacyHandle.workflowId}' AND ClientStatus = 'Active'` })) ids.push(e.workflowId);
        return ids;
      };
      await eventually(listed, (ids) => ids.length === 1);
      const result = await runBatch(env.client, service, `batch-legacy-${seed.clientId}`);

      expect(result.skippedClients).toEqual([
        { clientId: legacy.clientId, reason: `client id "${legacy.clientId}" is not valid (a client id is 1-40 letters, digits or '_'), so no invoices were fetched; onboard the client under a valid id` },
      ]);
      expect(result.clients[seed.clientId]).toMatchObject({ started: 1, byChannel: { ehf: 1 } });
      expect(result.done).toBe(true);
    } finally {
      await legacyHandle.terminate('test finished').catch(() => undefined);
    }
  });

  test('a batch larger than one run continues as new with a cursor and still starts every invoice once', async () => {
    const seed = seedWithInvoices(7);
    service = await startService(env, seed);

    const result = await runBatch(env.client, service, `batch-paged-${seed.clientId}`, { pageSize: 2, maxStartsPerRun: 4 });

    expect(result.done).toBe(true);
    expect(result.runsSoFar).toBe(2); // 4 invoices in the first run, 3 in the continued one
    expect(result.clients[seed.clientId]).toMatchObject({ started: 7, alreadyStarted: 0 });
    const executions = await eventually(() => invoiceExecutions(env.client, seed.clientId), (list) => list.length >= 7);
    expect(executions).toHaveLength(7);
  });

  test('a batch continues as new once a run holds its bound of events, so a run replayed after a refused continue-as-new stays short', async () => {
    const seed = seedWithInvoices(9);
    service = await startService(env, seed);
    const batchId = `batch-events-${seed.clientId}`;
    // 60 events a run instead of 1,000; a page of 3 (three starts, their starts and reports: about 20 events) fits past it.
    const maxHistoryEventsPerRun = 60;

    const result = await runBatch(env.client, service, batchId, { pageSize: 3, maxHistoryEventsPerRun });

    expect(result.done).toBe(true);
    expect(result.assessed).toBe(9);
    expect(result.clients[seed.clientId]).toMatchObject({ started: 9, alreadyStarted: 0, byChannel: { ehf: 9 } });
    const runs = await eventually(() => batchRuns(env.client, batchId), (list) => list.length === result.runsSoFar);
    expect(runs.length).toBeGreaterThanOrEqual(2);
    for (const run of runs) {
      const { historyLength } = await env.client.workflow.getHandle(batchId, run.runId).describe();
      expect(historyLength).toBeLessThan(maxHistoryEventsPerRun + 40);
    }
  });

  test('a batch whose history fills while it waits for its invoices continues as new, keeps every report, and no run outgrows the bound', async () => {
    const seed = seedWithInvoices(12);
    service = await startService(env, seed);
    const batchId = `batch-small-${seed.clientId}`;
    // 4 KB a run instead of 1.5 MB: the starts fill the first run, the invoices' reports the next ones.
    const maxHistoryBytesPerRun = 4_000;

    const result = await runBatch(env.client, service, batchId, { maxHistoryBytesPerRun });

    expect(result.done).toBe(true);
    // One page, so the starts never continue as new: every later run is the wait's.
    expect(result.runsSoFar).toBeGreaterThanOrEqual(2);
    expect(result.assessed).toBe(12);
    expect(result.unassessed).toBeUndefined();
    expect(result.clients[seed.clientId]).toMatchObject({ started: 12, alreadyStarted: 0, byChannel: { ehf: 12 } });
    const runs = await eventually(() => batchRuns(env.client, batchId), (list) => list.length === result.runsSoFar);
    // The first run holds the 12 starts; each later one only reports, and stops soon after the bound.
    for (const run of runs.slice(1)) expect(run.historySize).toBeLessThan(3 * maxHistoryBytesPerRun);
  });
});
