import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import got from 'got';
import { toFactoringDocument } from '../activities/fetch-available-invoices';
import { factoringInvoiceDetailsSchema } from '../adapters/poweroffice/v1-schemas';
import { invoiceWorkflowId } from '../domain/workflow-ids';
import type { PowerOfficeSeed } from '../emulators/poweroffice/fixture-schema';
import { INVOICE_STEPS_REVISION, invoiceWorkflow, type InvoiceWorkflowInput } from '../workflows/invoice-workflow';
import { invoiceOpenedSignal, invoiceStatusQuery, writeBackRequestedSignal, type InvoiceOpened, type InvoiceStatus } from '../workflows/messages';
import { Channel as ChannelKey, ClientId as ClientIdKey, DistributionState, InvoiceId, WriteBack } from '../workflows/search-attributes';
import { eventually } from './helpers/eventually';
import { startService, type ServiceUnderTest } from './helpers/service';
import { startTimeSkippingTemporal } from './helpers/temporal';
import { IN_PEPPOL, seedWithCustomer } from './helpers/one-invoice-seed';
import { powerOfficeInvoices, resultAfterWriteBack } from './helpers/write-back';
import { osloNorwegianDate } from '../domain/oslo-time';

/**
 * One invoice's life on the time-skipping server: the 4-day wait for "opened" takes seconds.
 * Opening goes the real way: the end customer types the code on the partner emulator's page, the
 * emulator calls our webhook (signed), the webhook signals the workflow.
 */

const osloDay = (instant: string) => osloNorwegianDate(new Date(instant));

interface Delivery {
  deliveryId: string;
  channel: string;
  idempotencyKey: string;
}

interface MailboxEntry {
  deliveryId: string;
  kind: string;
  accessCode?: string;
  link?: string;
}

describe('an invoice on its way to the end customer', () => {
  let env: TestWorkflowEnvironment;
  let service: ServiceUnderTest | undefined;

  beforeAll(async () => {
    env = await startTimeSkippingTemporal();
  });
  // One time-skipping server for the file: a workflow left behind (a failed test) with work for a
  // worker that is gone would stop the clock for every later test.
  const started: WorkflowHandle[] = [];
  afterEach(async () => {
    for (const handle of started.splice(0)) await handle.terminate('test finished').catch(() => undefined);
    await service?.stop();
    service = undefined;
  });
  afterAll(async () => {
    await env?.teardown();
  });

  async function startInvoice(
    seed: PowerOfficeSeed & { clientId: string },
    options: { clientSettings?: Record<string, unknown>; beforeStart?: (service: ServiceUnderTest) => Promise<unknown>; openedAtStart?: InvoiceOpened } = {},
  ): Promise<WorkflowHandle<typeof invoiceWorkflow>> {
    service = await startService(env, seed, options.clientSettings ? { clientSettings: options.clientSettings } : {});
    await options.beforeStart?.(service);
    const invoice = seed.companies[0]!.availableInvoices[0]!;
    const document = toFactoringDocument(seed.clientId, factoringInvoiceDetailsSchema.parse(invoice));
    // As a batch starts it: by number, with its GUID in InvoiceId, where the webhook checks an opening's invoice.
    const startOptions = {
      workflowId: invoiceWorkflowId(document),
      taskQueue: service.taskQueue,
      args: [{ document, stepsRevision: INVOICE_STEPS_REVISION }] as [InvoiceWorkflowInput],
      typedSearchAttributes: [
        { key: ClientIdKey, value: document.clientId },
        { key: InvoiceId, value: document.invoiceId },
      ],
    };
    // An "opened" signal delivered with the start reaches the invoice while it is still Fetched.
    const handle = options.openedAtStart
      ? await env.client.workflow.signalWithStart(invoiceWorkflow, { ...startOptions, signal: invoiceOpenedSignal, signalArgs: [options.openedAtStart] })
      : await env.client.workflow.start(invoiceWorkflow, startOptions);
    started.push(handle);
    return handle;
  }

  async function stateOf(handle: WorkflowHandle<typeof invoiceWorkflow>): Promise<InvoiceStatus> {
    return handle.query(invoiceStatusQuery);
  }

  async function deliveries(): Promise<Delivery[]> {
    return (await got(`${service!.emulators.distributionUrl}_emulator/deliveries`).json<{ deliveries: Delivery[] }>()).deliveries;
  }

  /** The end customer opens the e-mail's link and types the code from the e-mail. */
  async function endCustomerOpensTheEmail(): Promise<void> {
    const { emails } = await got(`${service!.emulators.distributionUrl}_emulator/mailbox`).json<{ emails: MailboxEntry[] }>();
    const email = emails.find((e) => e.kind === 'link')!;
    const page = await got.post(email.link!, { form: { code: email.accessCode! }, throwHttpErrors: false });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('application/pdf');
    await service!.emulators.distribution.webhooks!.idle();
  }

  test('an e-mail not opened within 4 days is followed by exactly one letter', async () => {
    const handle = await startInvoice(seedWithCustomer({ email: 'faktura@bakeri-aas.no' }));
    await eventually(() => stateOf(handle), (s) => s.state === 'Waiting');

    await env.sleep('5 days');
    const status = await resultAfterWriteBack(handle, 'LetterSent');

    expect(status).toMatchObject({ state: 'LetterSent', channel: 'email-link' });
    expect(status.sends.map((s) => s.channel)).toEqual(['email-link', 'letter']);
    expect((await deliveries()).map((d) => d.channel).sort()).toEqual(['email-link', 'letter']);
  });

  test('an e-mail opened on day 3 gets no letter', async () => {
    const handle = await startInvoice(seedWithCustomer({ email: 'faktura@bakeri-aas.no' }));
    await eventually(() => stateOf(handle), (s) => s.state === 'Waiting');
    await env.sleep('3 days');

    await endCustomerOpensTheEmail();
    const status = await resultAfterWriteBack(handle, 'Opened');

    expect(status).toMatchObject({ state: 'Opened', channel: 'email-link' });
    expect(status.openedAt).toBeDefined();
    expect((await deliveries()).map((d) => d.channel)).toEqual(['email-link']);
  });

  test('an e-mail opened after the letter went out is recorded, and no second letter follows', async () => {
    const handle = await startInvoice(seedWithCustomer({ email: 'faktura@bakeri-aas.no' }));
    await eventually(() => stateOf(handle), (s) => s.state === 'Waiting');
    await env.sleep('5 days');
    await eventually(() => stateOf(handle), (s) => s.state === 'LetterSent');

    await endCustomerOpensTheEmail();
    await eventually(() => stateOf(handle), (s) => s.openedAfterLetter === true);
    const status = await resultAfterWriteBack(handle, 'LetterSent');

    expect(status).toMatchObject({ state: 'LetterSent', openedAfterLetter: true });
    expect(status.sends.map((s) => s.channel)).toEqual(['email-link', 'letter']);
    expect((await deliveries()).filter((d) => d.channel === 'letter')).toHaveLength(1);
  });

  test('an "opened" signal sent while the invoice is still Fetched is ignored with its reason, and the letter still follows the 4-day wait', async () => {
    const forged: InvoiceOpened = { eventId: 'evt_forged', deliveryId: randomUUID(), openedAt: new Date().toISOString() };
    const handle = await startInvoice(seedWithCustomer({ email: 'faktura@bakeri-aas.no' }), { openedAtStart: forged });
    const waiting = await eventually(() => stateOf(handle), (s) => s.state === 'Waiting');

    expect(waiting.openedAt).toBeUndefined();
    expect(waiting.ignoredOpenings).toEqual([{ ...forged, reason: 'no e-mail with link has been sent for this invoice (state Fetched)' }]);
    expect(waiting.ignoredOpeningCount).toBe(1);
    await env.sleep('5 days');
    const status = await resultAfterWriteBack(handle, 'LetterSent');
    expect(status.sends.map((s) => s.channel)).toEqual(['email-link', 'letter']);
  });

  test('an "opened" signal naming another delivery is ignored and listed; the real opening from the e-mail is taken', async () => {
    const handle = await startInvoice(seedWithCustomer({ email: 'faktura@bakeri-aas.no' }));
    await eventually(() => stateOf(handle), (s) => s.state === 'Waiting');
    const forged: InvoiceOpened = { eventId: 'evt_other_delivery', deliveryId: randomUUID(), openedAt: new Date().toISOString() };

    await handle.signal(invoiceOpenedSignal, forged);
    const ignored = await eventually(() => stateOf(handle), (s) => (s.ignoredOpeningCount ?? 0) > 0);
    expect(ignored).toMatchObject({ state: 'Waiting', ignoredOpenings: [{ ...forged, reason: `delivery ${forged.deliveryId} is not the e-mail with link sent for this invoice` }] });
    expect(ignored.openedAt).toBeUndefined();

    await endCustomerOpensTheEmail();
    const status = await resultAfterWriteBack(handle, 'Opened');
    expect(status.sends.map((s) => s.channel)).toEqual(['email-link']);
    expect(status.openedAt).toBeDefined();
  });

  test('a customer registered in PEPPOL gets EHF, delivered at once', async () => {
    const handle = await startInvoice(seedWithCustomer({ email: 'faktura@bakeri-aas.no', organisationNumber: IN_PEPPOL }));
    expect(await resultAfterWriteBack(handle)).toMatchObject({ state: 'Delivered', channel: 'ehf' });
  });

  test('an EHF invoice shows Delivered, its channel and WriteBack Pending in the Web UI, set in two visibility writes, not four', async () => {
    const handle = await startInvoice(seedWithCustomer({ email: 'faktura@bakeri-aas.no', organisationNumber: IN_PEPPOL }));
    await eventually(() => stateOf(handle), (s) => s.state === 'Delivered');

    const { typedSearchAttributes } = await handle.describe();
    expect(typedSearchAttributes.get(DistributionState)).toBe('Delivered');
    expect(typedSearchAttributes.get(ChannelKey)).toBe('ehf');
    expect(typedSearchAttributes.get(WriteBack)).toBe('Pending');
    const history = await handle.fetchHistory();
    const upserts = (history.events ?? []).filter((e) => e.upsertWorkflowSearchAttributesEventAttributes);
    expect(upserts).toHaveLength(2); // Sending; then Delivered with the write-back's Pending
  });

  test('printonly@factoringfinans.no as the invoice e-mail gets a letter only', async () => {
    const handle = await startInvoice(seedWithCustomer({ email: 'printonly@factoringfinans.no', organisationNumber: IN_PEPPOL }));
    const status = await resultAfterWriteBack(handle);
    expect(status).toMatchObject({ state: 'Delivered', channel: 'letter' });
    expect(status.channelReason).toContain('letters only');
  });

  test("the client's channel override for a customer wins over the rules", async () => {
    const handle = await startInvoice(seedWithCustomer({ email: 'faktura@bakeri-aas.no', organisationNumber: IN_PEPPOL }), {
      clientSettings: { channelOverrides: { '10010': 'letter' } },
    });
    expect(await resultAfterWriteBack(handle)).toMatchObject({ state: 'Delivered', channel: 'letter', channelReason: 'the client chose letter for this customer' });
  });

  test('e-mail alternative 2 sends the PDF attached and waits for nothing', async () => {
    const handle = await startInvoice(seedWithCustomer({ email: 'faktura@bakeri-aas.no' }), { clientSettings: { emailAlternative: 2 } });
    const status = await resultAfterWriteBack(handle);
    expect(status).toMatchObject({ state: 'Delivered', channel: 'email-pdf' });
    expect(status.sends).toHaveLength(1);
  });

  test('no EHF and no e-mail address gets a letter', async () => {
    const handle = await startInvoice(seedWithCustomer({}));
    expect(await resultAfterWriteBack(handle)).toMatchObject({ state: 'Delivered', channel: 'letter', channelReason: 'no EHF and no e-mail address' });
  });

  test('a customer without a postal address is not distributed, and the reason is visible while it waits to be assessed again', async () => {
    const seed = seedWithCustomer({ email: 'faktura@bakeri-aas.no', postalAddress: false });
    const handle = await startInvoice(seed);

    const rejected = await eventually(() => stateOf(handle), (s) => s.state === 'Rejected');

    expect(rejected.reasons).toEqual(['customer 10010 has no complete postal address (street, postal code and city) in PowerOffice GO']);
    expect((await handle.describe()).status.name).toBe('RUNNING');
    expect(await deliveries()).toHaveLength(0);
    expect(service!.emulators.ledger.store.bookedInvoices(seed.clientId)).toHaveLength(0);
  });

  test('a credit note is booked as a negative amount and sent like an invoice', async () => {
    const seed = seedWithCustomer({ organisationNumber: IN_PEPPOL }, { totalAmount: -1250, originalInvoiceNo: 31000 });
    const handle = await startInvoice(seed);
    expect(await resultAfterWriteBack(handle)).toMatchObject({ state: 'Delivered', channel: 'ehf' });
    const [booked] = service!.emulators.ledger.store.bookedInvoices(seed.clientId);
    expect(booked!.booking).toMatchObject({ documentType: 'CreditNote', amountOre: -125000, originalInvoiceNo: 31000 });
  });

  test('after 429 and 5xx answers from the partner the invoice is still sent, exactly once', async () => {
    const seed = seedWithCustomer({});
    const handle = await startInvoice(seed, {
      beforeStart: (started) =>
        got.post(`${started.emulators.distributionUrl}_emulator/faults`, {
          json: { failNext: [{ status: 429, retryAfterSeconds: 2 }, { status: 500 }, { status: 503 }] },
        }),
    });

    expect(await resultAfterWriteBack(handle)).toMatchObject({ state: 'Delivered', channel: 'letter' });
    const sent = await deliveries();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ requestsWithKey: 1, idempotencyKey: `send:letter:${seed.clientId}:${seed.companies[0]!.availableInvoices[0]!.id}` });
  });

  describe('the 15:30 write-back to PowerOffice GO', () => {
    async function writtenBack(seed: PowerOfficeSeed & { clientId: string }) {
      const [invoice] = await powerOfficeInvoices(service!.emulators.powerOfficeUrl, seed.clientId);
      return invoice!;
    }

    test('a sent invoice is reported once: its KID, the PDF as sent, and the status Delivered with channel and date', async () => {
      const seed = seedWithCustomer({ organisationNumber: IN_PEPPOL });
      const handle = await startInvoice(seed);

      const status = await resultAfterWriteBack(handle);

      const invoice = await writtenBack(seed);
      expect(invoice).toMatchObject({ isDelivered: true, deliveredCalls: 1 });
      expect(invoice.delivery?.invoiceCid).toBe(status.kid);
      expect(invoice.delivery?.file.fileName).toBe('31001.pdf');
      expect(Buffer.from(invoice.delivery!.file.base64EncodedData, 'base64').subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(invoice.delivery?.comment).toBe(`Faktura 31001 sendt av Factoring Finans AS ${osloDay(status.sends[0]!.sentAt)} som EHF. KID ${status.kid}.`);
      expect(invoice.statusHistory).toEqual([
        expect.objectContaining({ factoringInvoiceStatus: 5, factoringInvoiceStatusDescription: `Sendt av Factoring Finans: EHF ${osloDay(status.sends[0]!.sentAt)}` }),
      ]);
      expect(status.writeBack).toMatchObject({ state: 'Done', reportedSends: 1 });
    });

    test('asking again writes nothing: PowerOffice GO already knows the invoice', async () => {
      const seed = seedWithCustomer({ organisationNumber: IN_PEPPOL });
      const handle = await startInvoice(seed);
      await eventually(() => stateOf(handle), (s) => s.state === 'Delivered');
      await handle.signal(writeBackRequestedSignal, {});
      await handle.signal(writeBackRequestedSignal, {});

      await resultAfterWriteBack(handle);

      const invoice = await writtenBack(seed);
      expect(invoice.deliveredCalls).toBe(1);
      expect(invoice.statusHistory).toHaveLength(1);
    });

    test('a letter sent after the 4-day wait reaches PowerOffice GO at the next write-back, as a status, not a second delivery', async () => {
      const seed = seedWithCustomer({ email: 'faktura@bakeri-aas.no' });
      const handle = await startInvoice(seed);
      await eventually(() => stateOf(handle), (s) => s.state === 'Waiting');
      await handle.signal(writeBackRequestedSignal, {});
      await eventually(() => stateOf(handle), (s) => s.writeBack?.state === 'Done');

      await env.sleep('5 days');
      const status = await resultAfterWriteBack(handle, 'LetterSent');

      const invoice = await writtenBack(seed);
      expect(invoice.deliveredCalls).toBe(1);
      const [emailDay, letterDay] = status.sends.map((send) => osloDay(send.sentAt));
      expect(invoice.statusHistory.map((h) => h.factoringInvoiceStatusDescription)).toEqual([
        `Sendt av Factoring Finans: e-post med lenke og kode ${emailDay}`,
        `Sendt av Factoring Finans: e-post med lenke og kode ${emailDay}; brev ${letterDay} (e-posten ble ikke åpnet innen 4 dager)`,
      ]);
      expect(status.writeBack).toMatchObject({ state: 'Done', reportedSends: 2 });
    });

    test('after 429 and 5xx answers from PowerOffice GO the invoice is still written back, exactly once', async () => {
      const seed = seedWithCustomer({ organisationNumber: IN_PEPPOL });
      const handle = await startInvoice(seed);
      await eventually(() => stateOf(handle), (s) => s.state === 'Delivered');
      await got.post(`${service!.emulators.powerOfficeUrl}_emulator/faults/v1`, { json: { failNext: [{ status: 429, retryAfterSeconds: 1 }, { status: 500 }, { status: 503 }] } });

      await resultAfterWriteBack(handle);

      const invoice = await writtenBack(seed);
      expect(invoice).toMatchObject({ isDelivered: true, deliveredCalls: 1 });
      const { injected } = await got(`${service!.emulators.powerOfficeUrl}_emulator/faults`).json<{ injected: { v1: number } }>();
      expect(injected.v1).toBe(3);
    });

    test('an invoice PowerOffice GO refuses shows WriteBack Failed with the reason, and stays open for the next run', async () => {
      const seed = seedWithCustomer({ organisationNumber: IN_PEPPOL });
      seed.companies[0]!.availableInvoices[0]!.factoringInvoiceStatus = 2;
      const handle = await startInvoice(seed);
      await eventually(() => stateOf(handle), (s) => s.state === 'Delivered');

      await handle.signal(writeBackRequestedSignal, {});
      const failed = await eventually(() => stateOf(handle), (s) => s.writeBack?.state === 'Failed');

      expect(failed.writeBack?.reason).toContain(
        'POST Factoring/delivered was refused: Invoice 31001 has factoring status Forfeit (2); delivered is only allowed while it is Active (1).',
      );
      expect((await handle.describe()).status.name).toBe('RUNNING');
      await handle.signal(writeBackRequestedSignal, {});
      await eventually(() => writtenBack(seed), (invoice) => invoice.deliveredCalls === 2);
      expect((await stateOf(handle)).writeBack?.state).toBe('Failed');
    });
  });
});
