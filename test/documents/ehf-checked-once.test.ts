import { MockActivityEnvironment, type TestWorkflowEnvironment } from '@temporalio/testing';
import { createActivities, mainQueueDeps, type Activities } from '../../activities';
import type { HandedPowerOfficeData } from '../../activities/invoice/invoice-context';
import type { Assessment } from '../../activities/invoice/assess-invoice';
import { toFactoringDocument } from '../../activities/fetch-available-invoices';
import { factoringInvoiceDetailsSchema } from '../../adapters/poweroffice/v1-schemas';
import { ehfFingerprint } from '../../documents/invoice-documents';
import type { Channel } from '../../domain/channel';
import { checkBillingDocumentXml } from '../../domain/ehf/rules';
import type * as Rules from '../../domain/ehf/rules';
import type { FactoringDocument } from '../../domain/invoice';
import { activityDependencies } from '../../worker/activity-dependencies';
import { seedWithInvoices, startService, type ServiceUnderTest } from '../helpers/service';
import { readHanded } from '../helpers/handed';
import { startLocalTemporal } from '../helpers/temporal';

// The real rule check, wrapped so the test can count how often it runs (SWC's exports cannot be spied on).
jest.mock('../../domain/ehf/rules', () => {
  const actual: typeof Rules = jest.requireActual('../../domain/ehf/rules');
  return { ...actual, checkBillingDocumentXml: jest.fn(actual.checkBillingDocumentXml) };
});
const ruleChecks = jest.mocked(checkBillingDocumentXml);

type ReadyAssessment = Extract<Assessment, { outcome: 'ready' }>;

/**
 * The outgoing EHF is checked once per invoice: the assessment checks it and records its
 * fingerprint; the send rebuilds it (it is not kept in history), finds the same bytes and runs the
 * rules no more, for every channel. A send without the fingerprint (assessed before it was
 * recorded) or with settings changed since checks in full. The activities run as the worker wires
 * them, against the emulators over HTTP, with the client onboarded on a real Temporal server.
 */
describe('the outgoing EHF, checked once per invoice', () => {
  let env: TestWorkflowEnvironment;
  let service: ServiceUnderTest;
  let activities: Activities;
  let mock: MockActivityEnvironment;
  const seed = seedWithInvoices(3);
  const documents: FactoringDocument[] = [];
  /** Each document's EHF and card as the invoice workflow reads them on the PowerOffice queues. */
  const handed: HandedPowerOfficeData[] = [];

  function run<A extends unknown[], R>(activity: (...args: A) => Promise<R>, ...args: A): Promise<R> {
    return mock.run<A, R, (...args: A) => Promise<R>>(activity, ...args);
  }

  async function assessed(document: FactoringDocument, by: Activities = activities): Promise<ReadyAssessment> {
    const assessment = await run(by.assessInvoice, { document, handed: handed[documents.indexOf(document)]! });
    if (assessment.outcome !== 'ready') throw new Error(`the seeded invoice was rejected: ${assessment.reasons.join('; ')}`);
    return assessment;
  }

  /** How many times the EHF rules ran while `work` ran. */
  async function ruleChecksBy(work: () => Promise<unknown>): Promise<number> {
    ruleChecks.mockClear();
    await work();
    return ruleChecks.mock.calls.length;
  }

  async function ublReceived(deliveryId: string): Promise<string> {
    const response = await fetch(`${service.emulators.distributionUrl}_emulator/deliveries/${deliveryId}/ubl`);
    if (!response.ok) throw new Error(`the partner emulator has no EHF for delivery ${deliveryId}: ${response.status}`);
    return response.text();
  }

  beforeAll(async () => {
    env = await startLocalTemporal();
    service = await startService(env, seed);
    const deps = activityDependencies(service.config);
    activities = createActivities(mainQueueDeps(deps));
    // The mock's default start-to-close timeout (1 s) would end an attempt before a cold PDF is drawn.
    mock = new MockActivityEnvironment({ startToCloseTimeoutMs: 60_000 }, { client: env.client });
    for (const invoice of seed.companies[0]!.availableInvoices) documents.push(toFactoringDocument(seed.clientId, factoringInvoiceDetailsSchema.parse(invoice)));
    for (const document of documents) handed.push(await readHanded(deps, mock, document));
  });
  afterAll(async () => {
    await service?.stop();
    await env?.teardown();
  });

  describe('sent with the fingerprint its assessment recorded', () => {
    let assessment: ReadyAssessment;
    let checksByAssessment: number;
    beforeAll(async () => {
      checksByAssessment = await ruleChecksBy(async () => {
        assessment = await assessed(documents[0]!);
      });
    });

    test('the assessment checks the EHF once and records the SHA-256 of its bytes', () => {
      expect(checksByAssessment).toBe(1);
      expect(assessment.ehfFingerprint).toMatch(/^[0-9a-f]{64}$/);
    });

    test('sent by EHF: the rules do not run again, and the partner receives the very bytes the assessment checked', async () => {
      let receipt = { deliveryId: '' };
      const checks = await ruleChecksBy(async () => {
        receipt = await run(activities.sendInvoice, { document: documents[0]!, channel: 'ehf', kid: assessment.kid, ehfFingerprint: assessment.ehfFingerprint, handed: handed[0]! });
      });
      expect(checks).toBe(0);
      expect(ehfFingerprint(await ublReceived(receipt.deliveryId))).toBe(assessment.ehfFingerprint);
    });

    test.each<Channel>(['email-link', 'email-pdf', 'letter'])('sent by %s: the rules do not run again, and the partner takes the PDF', async (channel) => {
      let receipt: unknown;
      const checks = await ruleChecksBy(async () => {
        receipt = await run(activities.sendInvoice, { document: documents[0]!, channel, kid: assessment.kid, ehfFingerprint: assessment.ehfFingerprint, handed: handed[0]! });
      });
      expect(checks).toBe(0);
      expect(receipt).toMatchObject({ deliveryId: expect.any(String) });
    });
  });

  test('sent without a fingerprint (assessed before it was recorded): the EHF is checked in full, and it is the same document', async () => {
    const { kid, ehfFingerprint: checkedByAssessment } = await assessed(documents[1]!);
    let receipt = { deliveryId: '' };
    const checks = await ruleChecksBy(async () => {
      receipt = await run(activities.sendInvoice, { document: documents[1]!, channel: 'ehf', kid, handed: handed[1]! });
    });
    expect(checks).toBe(1);
    expect(ehfFingerprint(await ublReceived(receipt.deliveryId))).toBe(checkedByAssessment);
  });

  test("Factoring Finans' settings changed since the assessment: other bytes, so the send checks them in full", async () => {
    const { kid, ehfFingerprint: checkedByAssessment } = await assessed(documents[2]!);
    const renamed = { ...service.config, factoringFinans: { ...service.config.factoringFinans, name: 'Factoring Finans ASA' } };
    const sentAfterTheChange = createActivities(mainQueueDeps(activityDependencies(renamed)));
    let receipt = { deliveryId: '' };
    const checks = await ruleChecksBy(async () => {
      receipt = await run(sentAfterTheChange.sendInvoice, { document: documents[2]!, channel: 'ehf', kid, ehfFingerprint: checkedByAssessment, handed: handed[2]! });
    });
    expect(checks).toBe(1);
    const ubl = await ublReceived(receipt.deliveryId);
    expect(ehfFingerprint(ubl)).not.toBe(checkedByAssessment);
    expect(ubl).toContain('Factoring Finans ASA');
  });
});
