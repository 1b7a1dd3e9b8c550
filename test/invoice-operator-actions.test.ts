import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import got from 'got';
import { resendInvoice } from '../client/invoice-actions';
import { findInvoice } from '../client/invoice-lookup';
import { toFactoringDocument } from '../activities/fetch-available-invoices';
import { factoringInvoiceDetailsSchema } from '../adapters/poweroffice/v1-schemas';
import { invoiceWorkflowId } from '../domain/workflow-ids';
import type { PowerOfficeSeed } from '../emulators/poweroffice/fixture-schema';
import { INVOICE_STEPS_REVISION, invoiceWorkflow, type InvoiceWorkflowInput } from '../workflows/invoice-workflow';
import {
  cancelLetterUpdate,
  invoiceStatusQuery,
  markOpenedUpdate,
  resendUpdate,
  retryUpdate,
  withdrawUpdate,
  writeBackRequestedSignal,
  type InvoiceStatus,
  type ResendRequest,
} from '../workflows/messages';
import { ClientId, DistributionState, DocumentType, InvoiceNo, Kid } from '../workflows/search-attributes';
import { eventually } from './helpers/eventually';
import { startService, type ServiceUnderTest } from './helpers/service';
import { startLocalTemporal } from './helpers/temporal';
import { powerOfficeInvoices } from './helpers/write-back';
import { IN_PEPPOL, seedWithCustomer, type CustomerSpec } from './helpers/one-invoice-seed';

/** Client ids of this file start with 'oa' (operator actions). */
const seedWithOperatorInvoice = (customer: CustomerSpec) => seedWithCustomer(customer, {}, 'oa');

/**
 * What an operator does to one invoice (issue 12), as Updates on its workflow (steps revision 6),
 * on the real dev server with a worker and the emulators; and a rejection that heals.
 */
const OPERATOR = { by: 'kari.nordmann' };

interface Delivery {
  deliveryId: string;
  channel: string;
  idempotencyKey: string;
}

const NO_ADDRESS = 'customer 10010 has no complete postal address (street, postal code and city) in PowerOffice GO';

describe('an operator acting on one invoice', () => {
  let env: TestWorkflowEnvironment;
  let service: ServiceUnderTest | undefined;
  const started: WorkflowHandle[] = [];

  beforeAll(async () => {
    env = await startLocalTemporal();
  });
  afterEach(async () => {
    for (const handle of started.splice(0)) await handle.terminate('test finished').catch(() => undefined);
    await service?.stop();
    service = undefined;
  });
  afterAll(async () => {
    await env?.teardown();
  });

  async function startInvoice(seed: PowerOfficeSeed & { clientId: string }, openingWaitSeconds?: number, extra: Partial<InvoiceWorkflowInput> = {}): Promise<WorkflowHandle<typeof invoiceWorkflow>> {
    service = await startService(env, seed, openingWaitSeconds !== undefined ? { configOverrides: { OPENING_WAIT_SECONDS: String(openingWaitSeconds) } } : {});
    const document = toFactoringDocument(seed.clientId, factoringInvoiceDetailsSchema.parse(seed.companies[0]!.availableInvoices[0]!));
    const handle = await env.client.workflow.start(invoiceWorkflow, {
      workflowId: invoiceWorkflowId(document),
      taskQueue: service.taskQueue,
      args: [{ document, stepsRevision: INVOICE_STEPS_REVISION, ...extra }] as [InvoiceWorkflowInput],
      // As the batch starts it, so an operator's command finds it by number.
      typedSearchAttributes: [
        { key: ClientId, value: document.clientId },
        { key: InvoiceNo, value: document.invoiceNo },
        { key: DocumentType, value: document.documentType },
      ],
    });
    started.push(handle);
    return handle;
  }

  const stateOf = (handle: WorkflowHandle<typeof invoiceWorkflow>): Promise<InvoiceStatus> => handle.query(invoiceStatusQuery);
  const settledIn = (handle: WorkflowHandle<typeof invoiceWorkflow>, state: string) => eventually(() => stateOf(handle), (s) => s.state === state);

  async function deliveries(): Promise<Delivery[]> {
    return (await got(`${service!.emulators.distributionUrl}_emulator/deliveries`).json<{ deliveries: Delivery[] }>()).deliveries;
  }

  /** The Update's refusal, as the operator's command prints it. */
  async function refusalOf(update: Promise<unknown>): Promise<string> {
    const err = await update.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
    return (err as WorkflowUpdateFailedError).cause?.message ?? '';
  }

  /** The client fixes the customer card in PowerOffice GO. */
  function clientFixesTheCard(seed: PowerOfficeSeed & { clientId: string }): void {
    const customer = service!.emulators.powerOffice.state.byClientId(seed.clientId)!.customerByNumber(10010)!;
    customer.MailAddress = { ...customer.MailAddress, AddressLine1: 'Storgata 1', ZipCode: '1430', City: 'Ås' };
  }

  test('a customer without a postal address leaves the invoice running as Rejected with its reason, not a failed workflow', async () => {
    const handle = await startInvoice(seedWithOperatorInvoice({ postalAddress: false }));

    const rejected = await settledIn(handle, 'Rejected');

    expect(rejected.reasons).toEqual([NO_ADDRESS]);
    const described = await handle.describe();
    expect(described.status.name).toBe('RUNNING');
    expect(described.typedSearchAttributes.get(DistributionState)).toBe('Rejected');
    expect(await deliveries()).toEqual([]);
  });

  test('retry after the client fixed the card sends the rejected invoice, once, and records who asked', async () => {
    const seed = seedWithOperatorInvoice({ postalAddress: false });
    const handle = await startInvoice(seed);
    await settledIn(handle, 'Rejected');
    clientFixesTheCard(seed);

    const answered = await handle.executeUpdate(retryUpdate, { args: [{ ...OPERATOR, reason: 'card fixed' }] });

    expect(['Sending', 'Delivered']).toContain(answered.state);
    expect(answered).toMatchObject({ channel: 'letter', reassessments: 1, operatorActions: [{ action: 'retry', by: 'kari.nordmann', reason: 'card fixed' }] });
    await settledIn(handle, 'Delivered');
    expect((await deliveries()).map((d) => d.channel)).toEqual(['letter']);
  });

  test('retry of a rejected invoice whose card is still broken answers Rejected with the reason', async () => {
    const handle = await startInvoice(seedWithOperatorInvoice({ postalAddress: false }));
    await settledIn(handle, 'Rejected');

    const answered = await handle.executeUpdate(retryUpdate, { args: [OPERATOR] });

    expect(answered).toMatchObject({ state: 'Rejected', reasons: [NO_ADDRESS], reassessments: 1 });
  });

  test('a long-rejected invoice continues as new, still Rejected in the list, with its reasons and operator actions', async () => {
    const seed = seedWithOperatorInvoice({ postalAddress: false });
    const handle = await startInvoice(seed, undefined, { maxReassessmentsPerRun: 1 });
    await settledIn(handle, 'Rejected');
    const firstRun = (await handle.describe()).runId;

    await handle.executeUpdate(retryUpdate, { args: [{ ...OPERATOR, reason: 'first try' }] });

    const latest = env.client.workflow.getHandle<typeof invoiceWorkflow>(handle.workflowId);
    const described = await eventually(() => latest.describe(), (d) => d.runId !== firstRun);
    expect(described.status.name).toBe('RUNNING');
    expect(described.typedSearchAttributes.get(DistributionState)).toBe('Rejected');
    expect(await latest.query(invoiceStatusQuery)).toMatchObject({ state: 'Rejected', reasons: [NO_ADDRESS], reassessments: 1, operatorActions: [{ action: 'retry', reason: 'first try' }] });
    clientFixesTheCard(seed);
    expect((await latest.executeUpdate(retryUpdate, { args: [OPERATOR] })).reassessments).toBe(2);
    await eventually(() => latest.query(invoiceStatusQuery), (s) => s.state === 'Delivered');
    started.push(latest);
  });

  test('retry is refused for an invoice that was not rejected', async () => {
    const handle = await startInvoice(seedWithOperatorInvoice({ organisationNumber: IN_PEPPOL }));
    await settledIn(handle, 'Delivered');

    expect(await refusalOf(handle.executeUpdate(retryUpdate, { args: [OPERATOR] }))).toMatch(/^invoice 31001 of client \S+ is Delivered, not Rejected: only a rejected invoice is assessed again$/);
  });

  test('a resend goes out with its own idempotency key and is reported at the next write-back', async () => {
    const seed = seedWithOperatorInvoice({ email: 'faktura@bakeri-aas.no' });
    const handle = await startInvoice(seed);
    await settledIn(handle, 'Waiting');
    await handle.signal(writeBackRequestedSignal, {});
    await eventually(() => stateOf(handle), (s) => s.writeBack?.state === 'Done');

    const answered = await handle.executeUpdate(resendUpdate, { args: [{ ...OPERATOR, channel: 'email-pdf', reason: 'the customer lost it' }] });

    expect(answered.sends.map((s) => s.channel)).toEqual(['email-link', 'email-pdf']);
    expect(answered.writeBack).toMatchObject({ state: 'Pending', reportedSends: 1 });
    expect(answered.operatorActions).toEqual([expect.objectContaining({ action: 'resend', channel: 'email-pdf', by: 'kari.nordmann', reason: 'the customer lost it' })]);
    const invoiceId = seed.companies[0]!.availableInvoices[0]!.id;
    expect((await deliveries()).map((d) => d.idempotencyKey).sort()).toEqual([`send:email-link:${seed.clientId}:${invoiceId}`, `send:email-pdf:${seed.clientId}:${invoiceId}:resend-1`]);
    await handle.signal(writeBackRequestedSignal, {});
    const reported = await eventually(() => stateOf(handle), (s) => s.writeBack?.state === 'Done');
    expect(reported.writeBack?.reportedSends).toBe(2);
  });

  test('a delivered invoice whose run completed after its write-back is resent by letter in a new run: one delivery with its own key, reported at the next write-back', async () => {
    const seed = seedWithOperatorInvoice({ organisationNumber: IN_PEPPOL });
    const handle = await startInvoice(seed);
    await settledIn(handle, 'Delivered');
    await handle.signal(writeBackRequestedSignal, {});
    const completed = await handle.result();
    const found = await eventually(() => findInvoice(env.client, seed.clientId, { invoiceNo: 31001 }), (f) => f.runStatus === 'COMPLETED');
    const request = { ...OPERATOR, channel: 'letter' as const, reason: 'the customer moved' };

    const resent = await resendInvoice(env.client, found, request);

    expect(resent).toMatchObject({ restarted: true, repeated: false, status: { state: 'Delivered', kid: completed.kid, resentFrom: { runId: found.runId, resendNo: 1 } } });
    expect(resent.runId).not.toBe(found.runId);
    expect(resent.status.sends.map((s) => s.channel)).toEqual(['ehf', 'letter']);
    expect(resent.status.writeBack).toMatchObject({ state: 'Pending', reportedSends: 1 });
    const invoiceId = seed.companies[0]!.availableInvoices[0]!.id;
    expect((await deliveries()).map((d) => d.idempotencyKey).sort()).toEqual([`send:ehf:${seed.clientId}:${invoiceId}`, `send:letter:${seed.clientId}:${invoiceId}:resend-1`]);
    const resendRun = env.client.workflow.getHandle<typeof invoiceWorkflow>(handle.workflowId, resent.runId);
    await resendRun.signal(writeBackRequestedSignal, {});
    expect((await resendRun.result()).writeBack).toMatchObject({ state: 'Done', reportedSends: 2 });
    const [written] = await powerOfficeInvoices(service!.emulators.powerOfficeUrl, seed.clientId);
    expect(written!.statusHistory.at(-1)!.factoringInvoiceStatusDescription).toMatch(/;.*brev/i);
  });

  test('the same resend command again while its resend run is open sends nothing more and answers with that run', async () => {
    const seed = seedWithOperatorInvoice({ organisationNumber: IN_PEPPOL });
    const handle = await startInvoice(seed);
    await settledIn(handle, 'Delivered');
    await handle.signal(writeBackRequestedSignal, {});
    await handle.result();
    const request = { ...OPERATOR, channel: 'letter' as const, reason: 'the customer moved' };
    const first = await resendInvoice(env.client, await eventually(() => findInvoice(env.client, seed.clientId, { invoiceNo: 31001 }), (f) => f.runStatus === 'COMPLETED'), request);
    const open = await eventually(() => findInvoice(env.client, seed.clientId, { invoiceNo: 31001 }), (f) => f.runId === first.runId);

    const again = await resendInvoice(env.client, open, request);

    expect(again).toMatchObject({ runId: first.runId, restarted: false, repeated: true });
    expect(again.status.sends.map((s) => s.channel)).toEqual(['ehf', 'letter']);
    expect((await deliveries()).filter((d) => d.channel === 'letter')).toHaveLength(1);
  });

  test('once the resend run has completed too, the same command is a deliberate second resend with the next key', async () => {
    const seed = seedWithOperatorInvoice({ organisationNumber: IN_PEPPOL });
    const handle = await startInvoice(seed);
    await settledIn(handle, 'Delivered');
    await handle.signal(writeBackRequestedSignal, {});
    await handle.result();
    const request = { ...OPERATOR, channel: 'letter' as const };
    const first = await resendInvoice(env.client, await eventually(() => findInvoice(env.client, seed.clientId, { invoiceNo: 31001 }), (f) => f.runStatus === 'COMPLETED'), request);
    const firstRun = env.client.workflow.getHandle<typeof invoiceWorkflow>(handle.workflowId, first.runId);
    await firstRun.signal(writeBackRequestedSignal, {});
    await firstRun.result();
    const completedAgain = await eventually(() => findInvoice(env.client, seed.clientId, { invoiceNo: 31001 }), (f) => f.runId === first.runId && f.runStatus === 'COMPLETED');

    const second = await resendInvoice(env.client, completedAgain, request);

    expect(second).toMatchObject({ restarted: true, repeated: false, status: { resentFrom: { runId: first.runId, resendNo: 2 } } });
    expect(second.status.sends.map((s) => s.channel)).toEqual(['ehf', 'letter', 'letter']);
    const invoiceId = seed.companies[0]!.availableInvoices[0]!.id;
    expect((await deliveries()).map((d) => d.idempotencyKey).filter((k) => k.startsWith('send:letter:')).sort()).toEqual([`send:letter:${seed.clientId}:${invoiceId}:resend-1`, `send:letter:${seed.clientId}:${invoiceId}:resend-2`]);
  });

  test('a resend is refused for a rejected invoice and for a channel that does not exist', async () => {
    const handle = await startInvoice(seedWithOperatorInvoice({ postalAddress: false }));
    await settledIn(handle, 'Rejected');

    expect(await refusalOf(handle.executeUpdate(resendUpdate, { args: [{ ...OPERATOR, channel: 'letter' }] }))).toMatch(/is Rejected \(.+\): it has not been sent; fix the card, then invoice retry$/);
    expect(await refusalOf(handle.executeUpdate(resendUpdate, { args: [{ ...OPERATOR, channel: 'fax' } as unknown as ResendRequest] }))).toBe('there is no channel "fax": resend on letter, email-link, email-pdf, ehf');
  });

  test('mark-opened ends the wait like an opening: Opened, no letter, with who and why', async () => {
    const handle = await startInvoice(seedWithOperatorInvoice({ email: 'faktura@bakeri-aas.no' }));
    await settledIn(handle, 'Waiting');

    const answered = await handle.executeUpdate(markOpenedUpdate, { args: [{ ...OPERATOR, reason: 'the customer confirmed by phone' }] });

    expect(answered.state).toBe('Opened');
    expect(answered.openedAt).toBeDefined();
    expect(answered.operatorActions).toEqual([expect.objectContaining({ action: 'mark-opened', by: 'kari.nordmann', reason: 'the customer confirmed by phone' })]);
    expect((await deliveries()).map((d) => d.channel)).toEqual(['email-link']);
  });

  test('mark-opened is refused without a reason, and for an invoice that sends no e-mail with link', async () => {
    const waiting = await startInvoice(seedWithOperatorInvoice({ email: 'faktura@bakeri-aas.no' }));
    await settledIn(waiting, 'Waiting');
    expect(await refusalOf(waiting.executeUpdate(markOpenedUpdate, { args: [OPERATOR] }))).toBe("mark-opened needs a reason (--reason), recorded in the invoice's history");
    await service!.stop();

    const ehf = await startInvoice(seedWithOperatorInvoice({ organisationNumber: IN_PEPPOL }));
    await settledIn(ehf, 'Delivered');
    expect(await refusalOf(ehf.executeUpdate(markOpenedUpdate, { args: [{ ...OPERATOR, reason: 'phone' }] }))).toMatch(
      /is Delivered: only an e-mail with link waiting to be opened \(or followed by its letter\) can be marked opened$/,
    );
  });

  test('cancel-letter while waiting: the wait ends unopened and no letter goes, the invoice ends LetterCancelled', async () => {
    const handle = await startInvoice(seedWithOperatorInvoice({ email: 'faktura@bakeri-aas.no' }), 20);
    await settledIn(handle, 'Waiting');

    const answered = await handle.executeUpdate(cancelLetterUpdate, { args: [{ ...OPERATOR, reason: 'paid already' }] });
    expect(answered).toMatchObject({ state: 'Waiting', letterCancelled: true });

    await settledIn(handle, 'LetterCancelled');
    await handle.signal(writeBackRequestedSignal, {});
    expect(await handle.result()).toMatchObject({ state: 'LetterCancelled', sends: [{ channel: 'email-link' }] });
    expect((await deliveries()).map((d) => d.channel)).toEqual(['email-link']);
  });

  test('cancel-letter is refused once the invoice is not waiting', async () => {
    const handle = await startInvoice(seedWithOperatorInvoice({}));
    await settledIn(handle, 'Delivered');

    expect(await refusalOf(handle.executeUpdate(cancelLetterUpdate, { args: [{ ...OPERATOR, reason: 'x' }] }))).toMatch(
      /is Delivered: only the letter of an e-mail with link still waiting to be opened can be cancelled$/,
    );
  });

  test('withdraw while waiting: no letter follows, the invoice ends Withdrawn', async () => {
    const handle = await startInvoice(seedWithOperatorInvoice({ email: 'faktura@bakeri-aas.no' }), 20);
    await settledIn(handle, 'Waiting');

    const answered = await handle.executeUpdate(withdrawUpdate, { args: [{ ...OPERATOR, reason: 'credit note 31002' }] });

    expect(answered.state).toBe('Withdrawn');
    await handle.signal(writeBackRequestedSignal, {});
    expect(await handle.result()).toMatchObject({ state: 'Withdrawn', operatorActions: [{ action: 'withdraw', reason: 'credit note 31002' }] });
    expect((await deliveries()).map((d) => d.channel)).toEqual(['email-link']);
  });

  test('withdraw of a rejected invoice ends it Withdrawn at once; withdraw of a delivered one is refused', async () => {
    const rejected = await startInvoice(seedWithOperatorInvoice({ postalAddress: false }));
    await settledIn(rejected, 'Rejected');
    expect((await rejected.executeUpdate(withdrawUpdate, { args: [{ ...OPERATOR, reason: 'the client stops the claim' }] })).state).toBe('Withdrawn');
    expect((await rejected.result()).state).toBe('Withdrawn');
    await service!.stop();

    const delivered = await startInvoice(seedWithOperatorInvoice({ organisationNumber: IN_PEPPOL }));
    await settledIn(delivered, 'Delivered');
    expect(await refusalOf(delivered.executeUpdate(withdrawUpdate, { args: [{ ...OPERATOR, reason: 'x' }] }))).toMatch(/has already ended as Delivered: nothing more would go out to withdraw$/);
  });

  test('the KID is a search attribute from the step that sent it', async () => {
    const handle = await startInvoice(seedWithOperatorInvoice({ organisationNumber: IN_PEPPOL }));
    const delivered = await settledIn(handle, 'Delivered');

    expect((await handle.describe()).typedSearchAttributes.get(Kid)).toBe(delivered.kid);
  });
});
