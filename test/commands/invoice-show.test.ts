import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { InvoiceFound } from '../../client/invoice-lookup';
import { batchWorkflow } from '../../workflows/batch-workflow';
import { eventually } from '../helpers/eventually';
import { hasStackTrace, runProjectCommand } from '../helpers/run-command';
import { seedWithInvoices, startService, type ServiceUnderTest } from '../helpers/service';
import { startLocalTemporal } from '../helpers/temporal';
import { COMMAND_FILES, commandEnvironment } from './operator-commands';

/**
 * `npm run -s invoice -- show`: an operator on the phone with a client finds one invoice by its
 * number and reads how it went, against the real dev server, a worker and the emulators.
 */
const CLIENT = `inv${randomUUID().slice(0, 6)}`;

describe('invoice show', () => {
  let env: TestWorkflowEnvironment;
  let service: ServiceUnderTest;
  const run = (args: string[]) => runProjectCommand(COMMAND_FILES.invoice, args, commandEnvironment(env, service));

  beforeAll(async () => {
    env = await startLocalTemporal();
    service = await startService(env, seedWithInvoices(2, CLIENT));
    await env.client.workflow.execute(batchWorkflow, { workflowId: `batch-${CLIENT}`, taskQueue: service.taskQueue, args: [{ force: true }] });
    await eventually(
      async () => (await env.client.workflow.count(`WorkflowType = 'invoiceWorkflow' AND ClientId = '${CLIENT}' AND DistributionState = 'Delivered'`)).count,
      (count) => count === 2,
    );
  });
  afterAll(async () => {
    await service?.stop();
    await env?.teardown();
  });

  test('a sent invoice shows its state, channel and why, KID, the send and that PowerOffice GO is still to be told', async () => {
    const shown = await run(['show', '--client-id', CLIENT, '--invoice-no', '20001']);

    expect(shown.stderr).toBe('');
    expect(shown.code).toBe(0);
    const lines = shown.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`Invoice 20001 of client ${CLIENT}: Delivered`);
    expect(shown.stdout).toMatch(/^ {2}channel {5,}EHF e-invoice: .+$/m);
    expect(shown.stdout).toMatch(/^ {2}KID {5,}\d+$/m);
    expect(shown.stdout).toMatch(/^ {2}sends {5,}\d{2}\.\d{2}\.\d{4} \d{2}:\d{2} {2}EHF e-invoice {2}\(delivery \S+\)$/m);
    expect(shown.stdout).toMatch(/^ {2}write-back {2,}Pending: 0 of 1 send\(s\) reported to PowerOffice GO$/m);
    expect(shown.stdout).toMatch(new RegExp(`^ {2}workflow {3,}invoice-${CLIENT}-20001 \\(running, started .+\\)$`, 'm'));
  });

  test("the invoice's workflow is one click away: its page in the Web UI of TEMPORAL_UI_URL, in the text and in --json", async () => {
    const withUi = { ...commandEnvironment(env, service), TEMPORAL_UI_URL: 'https://temporal-ui.factoringfinans.example/' };
    const text = await runProjectCommand(COMMAND_FILES.invoice, ['show', '--client-id', CLIENT, '--invoice-no', '20001'], withUi);
    const json = await runProjectCommand(COMMAND_FILES.invoice, ['show', '--client-id', CLIENT, '--invoice-no', '20001', '--json'], withUi);

    const found = JSON.parse(json.stdout) as InvoiceFound & { webUi: string };
    const namespace = env.namespace ?? 'default';
    expect(found.webUi).toBe(`https://temporal-ui.factoringfinans.example/namespaces/${namespace}/workflows/invoice-${CLIENT}-20001/${found.runId}`);
    expect(text.stdout).toMatch(new RegExp(`^ {2}Web UI {3,}${found.webUi.replace(/[.]/g, '\\.')}$`, 'm'));
  });

  test('--json gives scripts the same invoice', async () => {
    const shown = await run(['show', '--client-id', CLIENT, '--invoice-no', '20002', '--json']);

    expect(shown.code).toBe(0);
    const found = JSON.parse(shown.stdout) as InvoiceFound;
    expect(found).toMatchObject({ clientId: CLIENT, invoiceNo: 20002, runStatus: 'RUNNING', earlierRuns: 0, status: { state: 'Delivered', channel: 'ehf', sends: [{ channel: 'ehf' }] } });
    expect(found.status.kid).toMatch(/^\d+$/);
  });

  test('an invoice number no batch has fetched is refused with a sentence, exit 1', async () => {
    const shown = await run(['show', '--client-id', CLIENT, '--invoice-no', '99999']);

    expect(shown.code).toBe(1);
    expect(shown.stdout).toBe('');
    expect(shown.stderr.trim()).toBe(`client ${CLIENT} has no invoice 99999 in Temporal: no batch has fetched it (is it available for factoring in PowerOffice GO, and is the number right?)`);
    expect(hasStackTrace(shown.stderr)).toBe(false);
  });

  test('no invoice number (nor KID) or an unknown option is a usage error, exit 2', async () => {
    const missing = await run(['show', '--client-id', CLIENT]);
    const unknown = await run(['show', '--client-id', CLIENT, '--invoice-no', '20001', '--colour']);

    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('name the invoice with exactly one of --invoice-no <n> or --kid <kid>');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown option '--colour'");
  });

  // Last: it stops the worker.
  test('with no worker to answer, a sent invoice is refused with its state and what to check, exit 1', async () => {
    await service.stopWorker();

    const shown = await run(['show', '--client-id', CLIENT, '--invoice-no', '20001']);

    expect(shown.code).toBe(1);
    expect(shown.stderr.trim()).toMatch(new RegExp(`^invoice invoice-${CLIENT}-20001 is in state Delivered, but no worker answered within 10 s for its details; is a worker running \\(npm run worker\\)\\?$`));
    expect(hasStackTrace(shown.stderr)).toBe(false);
  }, 60_000);
});
