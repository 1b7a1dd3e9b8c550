import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { onboardClient } from '../../client/onboarding';
import type { TodayReport } from '../../client/today-report';
import { invoiceWorkflowId } from '../../domain/workflow-ids';
import { powerOfficeSeedSchema, seedInvoiceSchema } from '../../emulators/poweroffice/fixture-schema';
import { activityDependencies } from '../../worker/activity-dependencies';
import { createInvoiceWorker } from '../../worker/create-worker';
import type { InvoiceWorker } from '../../worker/invoice-worker';
import { invoiceOpenedSignal, invoiceStatusQuery } from '../../workflows/messages';
import type { ReturnDataRunReport } from '../../workflows/return-data-messages';
import { clientReturnDataWorkflowId } from '../../workflows/return-data-messages';
import { clientSettingsWorkflowId } from '../../workflows/client-settings-workflow';
import { ocrFile, ocrRecords } from '../../scripts/lib/ocr-file-builder';
import { exampleMapping, sampleEvents } from '../return-data/ledger-events';
import { eventually } from '../helpers/eventually';
import { runProjectCommand } from '../helpers/run-command';
import { APPLICATION_KEY, cipherOf, nextKidClientNumber, serviceConfig, startService, SUBSCRIPTION_KEY, type ServiceUnderTest } from '../helpers/service';
import { startLocalTemporal, workflowBundle } from '../helpers/temporal';
import { COMMAND_FILES, commandEnvironment, type CommandName } from './operator-commands';

/**
 * `npm run -s today`: one morning built by running the real service (the dev server, workers, the
 * emulators, the operator commands): a batch with an EHF, a rejected, a failed and two e-mails with
 * link (one opened), a write-back, a second batch on a worker whose opening wait is one second (its
 * e-mail ends in a letter; the rejected and failed invoices are tried again and stay so), an OCR
 * file with a payment of no invoice, and a return-data run that finds a client's account gone.
 */
const suffix = randomUUID().slice(0, 6);
const CLIENT = `day${suffix}`;
const BLOCKED = `blk${suffix}`;
const NOT_IN_PEPPOL = '910000012';
const UNKNOWN_KID = '042420005000120';

const invoice = (invoiceNo: number, customerCode: number, extra: Record<string, unknown> = {}) => ({
  id: randomUUID(),
  invoiceNo,
  customerCode,
  totalAmount: 1000 + invoiceNo / 100,
  invoiceDate: '2026-11-27T00:00:00',
  dueDate: '2026-12-11T00:00:00',
  isDelivered: false,
  factoringInvoiceStatus: 1,
  ...extra,
});
const address = { AddressLine1: 'Testveien 1', ZipCode: '0150', City: 'Oslo', CountryCode: 'NO' };

describe('today: the operator’s morning on one page', () => {
  let env: TestWorkflowEnvironment;
  let service: ServiceUnderTest;
  let shortWait: { worker: InvoiceWorker; running: Promise<void>; taskQueue: string } | undefined;
  const outputs: Partial<Record<'writeBack' | 'writeBackJson' | 'returnData' | 'returnDataJson' | 'importOcr' | 'importOcrJson' | 'batch', Awaited<ReturnType<typeof runProjectCommand>>>> = {};
  const run = (command: CommandName, args: string[], extraEnv: Record<string, string> = {}) => runProjectCommand(COMMAND_FILES[command], args, { ...commandEnvironment(env, service), ...extraEnv });
  // The letter went out after the short worker's one-second wait: the page reads the deployment's wait.
  const today = (args: string[] = []) => run('today', args, { OPENING_WAIT_SECONDS: '1' });
  const invoiceIds = new Map<number, string>();
  const count = async (query: string) => (await env.client.workflow.count(query)).count;

  beforeAll(async () => {
    env = await startLocalTemporal();
    const invoices = [
      invoice(20001, 10010),
      invoice(20002, 10013),
      invoice(20003, 10010, { ehfXml: 'no document here' }),
      invoice(20004, 10014),
      invoice(20005, 10014),
      // Listed by PowerOffice with its due date written the Norwegian way: no workflow, only the batches know it.
      invoice(20007, 10010, { dueDate: '11.12.2026' }),
    ];
    for (const i of invoices) invoiceIds.set(i.invoiceNo, i.id);
    const seed = powerOfficeSeedSchema.parse({
      applicationKey: APPLICATION_KEY,
      subscriptionKey: SUBSCRIPTION_KEY,
      companies: [
        {
          clientId: CLIENT,
          clientKey: `key-${CLIENT}`,
          name: 'Morgenfirma AS',
          organizationNumber: '923609016',
          availableInvoices: invoices,
          customers: [
            { Number: 10010, Name: 'EHF-kunde AS', OrganizationNumber: '987145234', EmailAddress: 'post-10010@example.no', MailAddress: address },
            { Number: 10013, Name: 'Uten adresse AS', OrganizationNumber: '987145234', MailAddress: { AddressLine1: null, ZipCode: null, City: null, CountryCode: 'NO' } },
            { Number: 10014, Name: 'E-postkunde AS', OrganizationNumber: NOT_IN_PEPPOL, EmailAddress: 'post-10014@example.no', MailAddress: address },
          ],
        },
        { clientId: BLOCKED, clientKey: `key-${BLOCKED}`, name: 'Returdata AS', organizationNumber: '923609016', customers: [{ Number: 10010, Name: 'Kunde AS', MailAddress: address }] },
      ],
    });
    service = await startService(env, seed, { onboard: false });
    for (const clientId of [CLIENT, BLOCKED]) {
      await onboardClient(env.client, service.taskQueue, cipherOf(service.config), {
        settings: { clientId, kid: { clientNumber: nextKidClientNumber() }, ...(clientId === BLOCKED ? { accountMapping: exampleMapping } : {}) },
        clientKey: `key-${clientId}`,
      });
    }

    // The first batch, through the command, with PowerOffice slow enough for progress to show.
    await powerOfficeLatency(700);
    outputs.batch = await run('batch', ['--force', '--progress-every', '1']).finally(() => powerOfficeLatency(0));

    // The customer opens one of the two e-mails with link.
    const opened = env.client.workflow.getHandle(invoiceWorkflowId({ clientId: CLIENT, invoiceNo: 20004, documentType: 'Invoice' }));
    const waiting = await eventually(() => opened.query(invoiceStatusQuery), (s) => s.state === 'Waiting');
    await opened.signal(invoiceOpenedSignal, { eventId: `open-${suffix}`, deliveryId: waiting.sends[0]!.deliveryId, openedAt: new Date().toISOString() });
    await eventually(() => opened.query(invoiceStatusQuery), (s) => s.state === 'Opened');

    // The write-back of the three sent invoices (twice: the human summary and --json).
    await eventually(() => count(`WorkflowType = 'invoiceWorkflow' AND ClientId = '${CLIENT}' AND WriteBack = 'Pending'`), (n) => n === 3);
    outputs.writeBack = await run('write-back', ['--force', '--client', CLIENT]);
    outputs.writeBackJson = await run('write-back', ['--force', '--client', CLIENT, '--json']);

    // A new invoice, fetched by a batch on a worker that waits one second for the opening.
    service.emulators.powerOffice.state.byClientId(CLIENT)!.addInvoices([seedInvoiceSchema.parse(invoice(20006, 10014))]);
    const taskQueue = `short-wait-${randomUUID()}`;
    const worker = await createInvoiceWorker({
      connection: env.nativeConnection,
      namespace: env.namespace ?? 'default',
      taskQueue,
      workflowBundle: await workflowBundle(),
      ...shortWaitWorkerSettings(serviceConfig(service.emulators, seed, { ...service.environment, OPENING_WAIT_SECONDS: '1' })),
      powerOfficeRequestsPerSecond: { v1: 50, v2: 10 },
    });
    shortWait = { worker, running: worker.run(), taskQueue };
    await run('batch', ['--force', '--json'], { TEMPORAL_TASK_QUEUE: taskQueue });
    await eventually(() => count(`WorkflowType = 'invoiceWorkflow' AND ClientId = '${CLIENT}' AND DistributionState = 'LetterSent'`), (n) => n === 1);

    // An OCR file paying a KID of no invoice.
    const file = join(mkdtempSync(join(tmpdir(), 'today-ocr-')), 'payments.ocr');
    writeFileSync(file, ocrFile(ocrRecords({ assignments: [{ transactions: [{ amountOre: 10_000, kid: UNKNOWN_KID }] }] })));
    const importOcr = (args: string[]) => runProjectCommand('client/import-ocr.ts', args, commandEnvironment(env, service));
    outputs.importOcr = await importOcr([file]);
    outputs.importOcrJson = await importOcr([file, '--json']);

    // The blocked client's financial fees account is deleted in its PowerOffice GO after onboarding.
    const appended = service.emulators.ledger.store.appendEvents(BLOCKED, [{ ...sampleEvents.financialFee, eventId: `${BLOCKED}-fee` }]);
    if (!appended.ok) throw new Error(appended.error);
    const accounts = service.emulators.powerOffice.state.byClientId(BLOCKED)!.accounts;
    accounts.splice(
      accounts.findIndex((account) => account.AccountNo === exampleMapping.financialFees),
      1,
    );
    outputs.returnData = await run('return-data', ['--force']);
    outputs.returnDataJson = await run('return-data', ['--force', '--json']);
  }, 300_000);

  afterAll(async () => {
    for (const workflowId of [clientReturnDataWorkflowId(BLOCKED), clientSettingsWorkflowId(CLIENT), clientSettingsWorkflowId(BLOCKED)]) {
      await env?.client.workflow.getHandle(workflowId).terminate('test finished').catch(() => undefined);
    }
    shortWait?.worker.shutdown();
    await shortWait?.running;
    await service?.stop();
    await env?.teardown();
  });

  async function powerOfficeLatency(latencyMs: number): Promise<void> {
    for (const listener of ['v1', 'v2']) {
      await fetch(`${service.emulators.powerOfficeUrl}_emulator/faults/${listener}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ latencyMs }) });
    }
  }

  test('every section shows its figures: batches per channel, not distributed with reasons, the letter, openings, write-back, unmatched payment, blocked client', async () => {
    const page = await today();

    expect(page.stderr).toBe('');
    expect(page.code).toBe(0);
    const text = page.stdout;
    expect(text).toMatch(/^Today \d{2}\.\d{2}\.\d{4} \d{2}:\d{2} \(Oslo time\)$/m);
    expect(text).toMatch(/^Batches since \d{2}\.\d{2}\.\d{4} \(the last working day\): 2$/m);
    expect(text).toMatch(/^ {2}started +batch +status +fetched +new +EHF +e-mail link +e-mail PDF +letter +rejected +failed +unreadable$/m);
    // Newest first: the second batch fetched what was not written back yet: the new invoice, the failed one started again, and the
    // rejected one still waiting under its workflow (assessed again, not started: "new" counts 2).
    expect(text).toMatch(/^ {2}\d{2}\.\d{2}\.\d{4} \d{2}:\d{2} +batch-manual-\S+ +completed +4 +2 +0 +1 +0 +0 +1 +1 +1$/m);
    expect(text).toMatch(/^ {2}\d{2}\.\d{2}\.\d{4} \d{2}:\d{2} +batch-manual-\S+ +completed +6 +5 +1 +2 +0 +0 +1 +1 +1$/m);
    expect(text).toMatch(/^Could not be read from PowerOffice GO \(batch batch-manual-\S+\): 1 \(.+\)$/m);
    expect(text).toMatch(new RegExp(`^ {2}${CLIENT} +20007 +PowerOffice GO sent it in an unexpected form: dueDate: expected an ISO 8601 date$`, 'm'));
    expect(text).toMatch(/^Not distributed: 1 rejected \(.+\), 1 failed \(.+\)$/m);
    expect(text).toMatch(new RegExp(`^ {2}${CLIENT} +20002 +Rejected +\\d{2}\\.\\d{2}\\.\\d{4} \\d{2}:\\d{2} +customer 10013 has no complete postal address`, 'm'));
    expect(text).toMatch(new RegExp(`^ {2}${CLIENT} +20003 +Failed +\\d{2}\\.\\d{2}\\.\\d{4} \\d{2}:\\d{2} +.*Factoring/InvoiceEhf/`, 'm'));
    expect(text).toMatch(/^Letters sent today after the 1-second wait \(the e-mail with link was not opened\): 1$/m);
    expect(text).toMatch(new RegExp(`^ {2}${CLIENT} +20006 +\\d{2}\\.\\d{2}\\.\\d{4} \\d{2}:\\d{2} +\\d{2}\\.\\d{2}\\.\\d{4} \\d{2}:\\d{2}$`, 'm'));
    expect(text).toMatch(/^ {2}day +sent +opened +waiting +letter sent$/m);
    expect(text).toMatch(/^ {2}\d{2}\.\d{2}\.\d{4} +3 +1 +1 +1$/m);
    expect(text).toMatch(/^Write-back to PowerOffice GO: 1 invoice pending, 0 failed$/m);
    expect(text).toMatch(/^ {2}last run write-back-manual-\S+, started \d{2}\.\d{2}\.\d{4} \d{2}:\d{2}, completed: 0 written back, 0 up to date, 0 failed$/m);
    expect(text).toMatch(/^Unmatched payments \(OCR giro\): 1 payment kept aside, in 1 import /m);
    expect(text).toMatch(new RegExp(`^ {2}\\d{2}\\.\\d{2}\\.\\d{4} \\d{2}:\\d{2} +\\d+ +3 +100,00 +unmatched +line 3: .*${UNKNOWN_KID}`, 'm'));
    expect(text).toMatch(/^Return data: 1 client blocked \(nothing of the page posted until fixed\)$/m);
    expect(text).toMatch(new RegExp(`^ {2}${BLOCKED} +.*6975`, 'm'));
  });

  test('--json gives scripts the same figures', async () => {
    const page = await today(['--json']);

    expect(page.code).toBe(0);
    const report = JSON.parse(page.stdout) as TodayReport;
    expect(report.batches.runs.total).toBe(2);
    expect(report.batches.runs.rows.map((b) => [b.fetched, b.started, b.byChannel, b.rejected, b.failed, b.unreadable])).toEqual([
      [4, 2, { 'email-link': 1 }, 1, 1, 1],
      [6, 5, { ehf: 1, 'email-link': 2 }, 1, 1, 1],
    ]);
    expect(report.batches.runs.rows[0]!.unreadableInvoices).toEqual([{ clientId: CLIENT, invoiceNo: 20007, reason: 'PowerOffice GO sent it in an unexpected form: dueDate: expected an ISO 8601 date' }]);
    expect(report.notDistributed).toMatchObject({ rejected: 1, failed: 1, invoices: { total: 2, rows: [{ invoiceNo: 20002, state: 'Rejected' }, { invoiceNo: 20003, state: 'Failed' }] } });
    expect(report.letters.sentToday).toMatchObject({ total: 1, rows: [{ clientId: CLIENT, invoiceNo: 20006 }] });
    expect(report.openings[0]).toMatchObject({ sent: 3, opened: 1, waiting: 1, letterSent: 1 });
    expect(report.writeBack).toMatchObject({ pending: 1, failed: 0, lastRun: { status: 'completed' }, failures: { total: 0 } });
    expect(report.unmatchedPayments).toMatchObject({ imports: 1, payments: { total: 1, rows: [{ line: 3, amountOre: 10_000, status: 'unmatched' }] } });
    expect(report.returnDataBlocked).toMatchObject({ total: 1, rows: [{ clientId: BLOCKED }] });
  });

  test('--client-id shows that client only, and --rows bounds each section with "… and N more"', async () => {
    const page = await today(['--client-id', CLIENT, '--rows', '1']);

    expect(page.code).toBe(0);
    expect(page.stdout).toMatch(new RegExp(`^Today .+, client ${CLIENT}$`, 'm'));
    expect(page.stdout).toMatch(/^ {2}… and 1 more batches$/m);
    expect(page.stdout).toMatch(/^ {2}… and 1 more invoices$/m);
    expect(page.stdout).toMatch(/^Return data: no client blocked$/m);
  });

  test('the write-back says what it did per client, and --json keeps the run result', () => {
    expect(outputs.writeBack?.code).toBe(0);
    expect(outputs.writeBack?.stdout).toMatch(/^Write-back write-back-manual-\S+ finished: 3 written back, 0 up to date, 0 failed\.$/m);
    expect(outputs.writeBack?.stdout).toMatch(new RegExp(`^ {2}${CLIENT} +3 +0 +0$`, 'm'));
    expect(JSON.parse(outputs.writeBackJson?.stdout ?? '')).toMatchObject({ clients: expect.any(Object), failures: [], unanswered: 0, cursor: expect.any(Object), done: true });
  });

  test('return data says which client is blocked and why, with the counts, and --json keeps the run report', () => {
    expect(outputs.returnData?.code).toBe(0);
    expect(outputs.returnData?.stdout).toMatch(/^Return-data run return-data-manual-\S+ \(\d{2}\.\d{2}\.\d{4}\) finished: 1 client\(s\) with return data: 0 done, 1 blocked, 0 failed; 0 voucher\(s\) posted, 0 already posted\.$/m);
    expect(outputs.returnData?.stdout).toMatch(new RegExp(`^ {2}${BLOCKED} +blocked +0 +0 +nothing of the page posted: .*6975`, 'm'));
    expect(outputs.returnData?.stdout).toMatch(new RegExp(`^Skipped, no account mapping \\(return data not ordered\\): .*\\b${CLIENT}\\b`, 'm'));
    const report = JSON.parse(outputs.returnDataJson?.stdout ?? '') as ReturnDataRunReport;
    expect(report.clients[BLOCKED]).toMatchObject({ status: 'blocked', posted: 0 });
    expect(report.skipped).toContain(CLIENT);
  });

  test('the OCR import says what it registered and kept aside, and --json keeps the outcome', () => {
    expect(outputs.importOcr?.code).toBe(0);
    expect(outputs.importOcr?.stdout).toMatch(/^Imported: \S+ \(transmission \d+, 1 transactions\)$/m);
    expect(outputs.importOcr?.stdout).toContain('  registered in the ledger: 0\n  kept aside for an operator: 1\n');
    expect(outputs.importOcr?.stdout).toMatch(/^ {4}in all NOK 100,00; npm run -s unmatched-payments lists every payment kept aside$/m);
    expect(JSON.parse(outputs.importOcrJson?.stdout ?? '')).toMatchObject({ refused: false, alreadyImported: true, result: { registered: [], keptAside: [{ status: 'unmatched' }] } });
  });

  test('the batch shows its progress per client on stderr, as plain lines when not on a terminal', () => {
    expect(outputs.batch?.code).toBe(0);
    expect(outputs.batch?.stderr).toMatch(/^still running after \d+ s: /m);
    expect(outputs.batch?.stderr).toMatch(/^ {2}client +fetched +started +assessed +sent +rejected +failed +unreadable$/m);
    expect(outputs.batch?.stderr).toMatch(new RegExp(`^ {2}${CLIENT} +\\d+ +\\d+ +\\d+ +\\d+ +\\d+ +\\d+ +\\d+$`, 'm'));
    expect(outputs.batch?.stderr).not.toContain('\u001b');
    expect(outputs.batch?.stderr).not.toContain('\r');
  });
});

/** The worker's dependencies and payload codec from one configuration, as the service's own worker takes them. */
function shortWaitWorkerSettings(config: ReturnType<typeof serviceConfig>) {
  return { deps: activityDependencies(config), payloadCodec: config.temporal.payloadCodec };
}
