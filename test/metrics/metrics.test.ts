import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import got from 'got';
import { INVOICE_METRICS } from '../../workflows/invoice-metrics';
import { batchWorkflow } from '../../workflows/batch-workflow';
import { writeBackWorkflow } from '../../workflows/write-back-workflow';
import { POWEROFFICE_METRICS } from '../../worker/poweroffice-metrics';
import { WEBHOOK_METRICS } from '../../client/webhook/metrics';
import { INVOICE_OPENED_PATH } from '../../client/webhook/server';
import { eventually } from '../helpers/eventually';
import { scrape, sumBy, type Sample } from '../helpers/prometheus';
import { seedWithInvoices, startService, type ServiceUnderTest } from '../helpers/service';
import { startLocalTemporal } from '../helpers/temporal';
import { startWorkerProcess } from '../helpers/worker-process';
import { freePort } from '../../scripts/lib/dev-server';
import { signedHeaders } from '../webhook/partner-fixtures';

/**
 * What a Prometheus scraping the deployment sees: the worker's endpoint (WORKER_METRICS_PORT, the
 * SDK's runtime metrics and ours) and the webhook's (WEBHOOK_METRICS_PORT), each in a process of its
 * own as production runs them: the SDK's runtime, which serves the worker's metrics, is installed
 * once per process, and the test processes' own runtime has no exporter.
 */

const root = join(__dirname, '..', '..');
/** A valid organisation number the PEPPOL Directory emulator does not know: such a customer gets e-mail. */
const NOT_IN_PEPPOL = '910000012';

async function stopProcess(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** The page, once it answers (the process is starting) and `accept` holds. */
async function scrapeUntil(url: string, accept: (samples: Sample[]) => boolean, deadlineMs = 60_000): Promise<Sample[]> {
  return eventually(() => scrape(url).catch((): Sample[] => []), accept, deadlineMs);
}

describe('the Prometheus metrics of the worker and the webhook', () => {
  let env: TestWorkflowEnvironment;
  let service: ServiceUnderTest | undefined;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    env = await startLocalTemporal();
  });
  afterEach(async () => {
    await stopProcess(child);
    child = undefined;
    await service?.stop();
    service = undefined;
  });
  afterAll(async () => {
    await env?.teardown();
  });

  test("a batch shows on the worker's /metrics: invoices by channel and state, the rejection by its kind, the letter after the wait, the write-backs and every PowerOffice request with its 429, beside the SDK's own metrics", async () => {
    // 20001 and 20004 to a PEPPOL receiver (EHF), 20002 by e-mail with link, never opened (a letter
    // after the wait), 20003 to a customer without a postal address (rejected).
    const seed = seedWithInvoices(4);
    const { clientId } = seed;
    const customers = seed.companies[0]!.customers;
    customers.find((c) => c.Number === 10011)!.OrganizationNumber = NOT_IN_PEPPOL;
    customers.find((c) => c.Number === 10012)!.MailAddress = { AddressLine1: null, ZipCode: null, City: null, CountryCode: 'NO' };
    service = await startService(env, seed, { configOverrides: { OPENING_WAIT_SECONDS: '1', LATE_OPENING_WINDOW_SECONDS: '1' } });
    // From here on only the worker process serves the task queue; PowerOffice forgets onboarding's calls.
    await service.stopWorker();
    const powerOffice = service.emulators.powerOffice;
    powerOffice.callLog.reset();
    await got.post(`${service.emulators.powerOfficeUrl}_emulator/faults/v1`, { json: { failNext: [{ status: 429, retryAfterSeconds: 0 }] } });
    const port = await freePort();
    const metricsUrl = `http://127.0.0.1:${port}/metrics`;
    child = startWorkerProcess({ ...service, environment: { ...service.environment, WORKER_METRICS_PORT: String(port) } }, env.address);

    await env.client.workflow.execute(batchWorkflow, { workflowId: `batch-metrics-${clientId}`, taskQueue: service.taskQueue, args: [{ force: true }] });
    const ours = { client_id: clientId };
    await scrapeUntil(metricsUrl, (samples) => sumBy(samples, INVOICE_METRICS.lettersAfterWait, [], ours)[''] === 1);
    const writeBack = await env.client.workflow.execute(writeBackWorkflow, { workflowId: `write-back-metrics-${clientId}`, taskQueue: service.taskQueue, args: [{ force: true }] });
    expect(writeBack.clients[clientId]).toEqual({ writtenBack: 3, upToDate: 0, failed: 0 });
    const samples = await scrapeUntil(metricsUrl, (s) => sumBy(s, INVOICE_METRICS.writeBacks, [], ours)[''] === 3);

    expect(sumBy(samples, INVOICE_METRICS.states, ['state', 'channel'], ours)).toEqual({
      'Fetched/none': 4,
      'Sending/ehf': 2,
      'Delivered/ehf': 2,
      'Sending/email-link': 1,
      'Waiting/email-link': 1,
      'LetterSent/email-link': 1,
      'Rejected/none': 1,
    });
    expect(sumBy(samples, INVOICE_METRICS.rejections, ['reason_kind'], ours)).toEqual({ 'no-postal-address': 1 });
    expect(sumBy(samples, INVOICE_METRICS.lettersAfterWait, [], ours)).toEqual({ '': 1 });
    expect(sumBy(samples, INVOICE_METRICS.writeBacks, ['outcome'], ours)).toEqual({ 'written-back': 3 });
    // Every request PowerOffice GO received is counted once, by API and status: the 429 among them.
    const received: Record<string, number> = {};
    for (const call of powerOffice.callLog.entries) received[`${call.api}/${call.status}`] = (received[`${call.api}/${call.status}`] ?? 0) + 1;
    expect(received['v1/429']).toBe(1);
    expect(sumBy(samples, POWEROFFICE_METRICS.requests, ['api', 'status'])).toEqual(received);
    expect(sumBy(samples, POWEROFFICE_METRICS.throttled, ['api'])).toEqual({ v1: 1 });
    // Route families, never an invoice's id.
    const routes = Object.keys(sumBy(samples, POWEROFFICE_METRICS.requests, ['route']));
    expect(routes).toEqual(expect.arrayContaining(['GET Factoring/InvoiceEhf/:id', 'GET Customers']));
    expect(routes.join(' ')).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}/);
    // The SDK's own, on the same page.
    expect(sumBy(samples, 'temporal_workflow_completed', ['workflow_type'], { task_queue: service.taskQueue })).toMatchObject({ batchWorkflow: 1, writeBackWorkflow: 1 });
  });

  test("the webhook's /metrics counts its answers by status", async () => {
    const [port, metricsPort] = [await freePort(), await freePort()];
    const secret = `metrics-webhook-secret-${randomUUID()}`;
    child = spawn(process.execPath, ['--import', 'tsx', join(root, 'client', 'webhook', 'main.ts'), '--host', '127.0.0.1', '--port', String(port)], {
      cwd: root,
      env: { ...process.env, TEMPORAL_ADDRESS: env.address, WEBHOOK_SIGNING_SECRET: secret, WEBHOOK_METRICS_PORT: String(metricsPort), LOG_LEVEL: 'error' },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
    const webhook = `http://127.0.0.1:${port}`;
    await eventually(
      () => got(`${webhook}/healthz`).then((r) => r.statusCode, () => 0),
      (status) => status === 200,
      60_000,
    );
    const post = (body: string, headers: Record<string, string>) => got.post(`${webhook}${INVOICE_OPENED_PATH}`, { body, headers, throwHttpErrors: false }).then((r) => r.statusCode);
    const unknownInvoice = JSON.stringify({
      eventId: `evt_${randomUUID()}`,
      type: 'invoice.opened',
      deliveryId: randomUUID(),
      reference: { clientId: 'c404', invoiceId: randomUUID(), invoiceNo: 10023 },
      openedAt: new Date().toISOString(),
    });

    const answers = [
      await post(unknownInvoice, { 'content-type': 'application/json' }),
      await post(unknownInvoice, { ...signedHeaders(unknownInvoice, { secret }), 'x-ff-signature': 'sha256=00' }),
      await post(unknownInvoice, { ...signedHeaders(unknownInvoice, { secret }), 'content-type': 'text/plain' }),
      await post('{}', signedHeaders('{}', { secret })),
      await post(unknownInvoice, signedHeaders(unknownInvoice, { secret })),
    ];

    expect(answers).toEqual([401, 401, 415, 400, 404]);
    const samples = await scrapeUntil(metricsUrl, (s) => s.length > 0);
    expect(sumBy(samples, WEBHOOK_METRICS.answers, ['status'])).toEqual({ '400': 1, '401': 2, '404': 1, '415': 1 });
  });

  test('a worker whose metrics port is taken refuses to start, naming the variable', async () => {
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '0.0.0.0', resolve));
    const { port } = taken.address() as { port: number };
    try {
      const run = spawn(process.execPath, ['--import', 'tsx', join(root, 'worker', 'main.ts')], {
        cwd: root,
        env: { ...process.env, TEMPORAL_ADDRESS: env.address, WORKER_METRICS_PORT: String(port) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      run.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      const code = await new Promise<number | null>((resolve) => run.once('exit', resolve));

      expect({ code, stderr: stderr.trim() }).toEqual({
        code: 1,
        stderr: `WORKER_METRICS_PORT: the metrics port ${port} cannot be used (it is in use); choose another port or leave it unset.`,
      });
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });
});
