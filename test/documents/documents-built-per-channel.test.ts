import { MockActivityEnvironment, type TestWorkflowEnvironment } from '@temporalio/testing';
import PDFDocument from 'pdfkit';
import { createActivities, createPowerOfficeActivities, mainQueueDeps, type ActivityDeps, type Activities } from '../../activities';
import type { HandedPowerOfficeData } from '../../activities/invoice/invoice-context';
import { toFactoringDocument } from '../../activities/fetch-available-invoices';
import { factoringInvoiceDetailsSchema } from '../../adapters/poweroffice/v1-schemas';
import type { Channel } from '../../domain/channel';
import type { FactoringDocument } from '../../domain/invoice';
import { activityDependencies } from '../../worker/activity-dependencies';
import { seedWithInvoices, startService, type ServiceUnderTest } from '../helpers/service';
import { attempts, readHanded } from '../helpers/handed';
import { startLocalTemporal } from '../helpers/temporal';
import { powerOfficeInvoices } from '../helpers/write-back';

/**
 * Each send builds only what its channel carries: an EHF send draws no PDF, an e-mail (with link or
 * attached) and a letter do, and so does the write-back, for an EHF invoice too (PowerOffice GO
 * keeps the PDF). The activities run as the worker wires them, against the emulators over HTTP,
 * with the client onboarded on a real Temporal server; PDFs are counted where pdfkit finishes one.
 */
describe('the documents built for each send', () => {
  let env: TestWorkflowEnvironment;
  let service: ServiceUnderTest;
  let activities: Activities;
  let mock: MockActivityEnvironment;
  let document: FactoringDocument;
  let kid: string;
  let deps: ActivityDeps;
  /** The EHF and card as the invoice workflow reads them on the PowerOffice queues. */
  let handed: HandedPowerOfficeData;
  const seed = seedWithInvoices(1);

  /** An activity run in the mock's activity context, typed by the activity (the mock infers no result type). */
  function run<A extends unknown[], R>(activity: (...args: A) => Promise<R>, ...args: A): Promise<R> {
    return mock.run<A, R, (...args: A) => Promise<R>>(activity, ...args);
  }

  beforeAll(async () => {
    env = await startLocalTemporal();
    service = await startService(env, seed);
    deps = activityDependencies(service.config);
    activities = createActivities(mainQueueDeps(deps));
    // The mock's default start-to-close timeout (1 s) would end an attempt before a cold PDF is drawn.
    mock = new MockActivityEnvironment({ startToCloseTimeoutMs: 60_000 }, { client: env.client });
    document = toFactoringDocument(seed.clientId, factoringInvoiceDetailsSchema.parse(seed.companies[0]!.availableInvoices[0]!));
    handed = await readHanded(deps, mock, document);
    const assessment = await run(activities.assessInvoice, { document, handed });
    if (assessment.outcome !== 'ready') throw new Error(`the seeded invoice was rejected: ${assessment.reasons.join('; ')}`);
    kid = assessment.kid;
  });
  afterAll(async () => {
    await service?.stop();
    await env?.teardown();
  });

  /** How many PDFs pdfkit finished while `work` ran. */
  async function pdfsDrawnBy(work: () => Promise<unknown>): Promise<number> {
    const end = jest.spyOn(PDFDocument.prototype, 'end');
    try {
      await work();
      return end.mock.calls.length;
    } finally {
      end.mockRestore();
    }
  }

  test.each<[Channel, number]>([
    ['ehf', 0],
    ['email-link', 1],
    ['email-pdf', 1],
    ['letter', 1],
  ])('sent by %s: %i PDF drawn, and the partner takes it', async (channel, pdfs) => {
    let receipt: unknown;
    const drawn = await pdfsDrawnBy(async () => {
      receipt = await run(activities.sendInvoice, { document, channel, kid, handed });
    });
    expect(drawn).toBe(pdfs);
    expect(receipt).toMatchObject({ deliveryId: expect.any(String) });
  });

  test('written back after an EHF send: the PDF is drawn and PowerOffice GO receives it', async () => {
    const v1 = createPowerOfficeActivities(deps, 'v1');
    const drawn = await pdfsDrawnBy(() => attempts(mock, () => v1.deliverWriteBack({ document, kid, sends: [{ channel: 'ehf', sentAt: new Date().toISOString() }], handed })));
    expect(drawn).toBe(1);
    const [invoice] = await powerOfficeInvoices(service.emulators.powerOfficeUrl, seed.clientId);
    expect(invoice?.delivery?.file.fileName).toBe(`${document.invoiceNo}.pdf`);
    expect(Buffer.from(invoice?.delivery?.file.base64EncodedData ?? '', 'base64').subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });
});
