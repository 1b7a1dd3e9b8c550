import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { temporal } from '@temporalio/proto';
import pino from 'pino';
import { onboardClient, setClientStatus } from '../../client/onboarding';
import { prepareOcrImport } from '../../client/ocr-import';
import { buildWebhookServer, INVOICE_OPENED_PATH } from '../../client/webhook/server';
import { loadConfig } from '../../config/config';
import { generateKid, type KidScheme } from '../../domain/kid';
import { startEmulators } from '../../emulators/start';
import { ocrFile, ocrRecords } from '../../scripts/lib/ocr-file-builder';
import { activityDependencies } from '../../worker/activity-dependencies';
import { createInvoiceWorker } from '../../worker/create-worker';
import { batchWorkflow } from '../../workflows/batch-workflow';
import { ocrImportWorkflow } from '../../workflows/ocr-import-workflow';
import { returnDataWorkflow } from '../../workflows/return-data-workflow';
import { writeBackWorkflow } from '../../workflows/write-back-workflow';
import { eventually } from '../helpers/eventually';
import { cipherOf, PARTNER_API_KEY, LEDGER_API_KEY, seedWithInvoices, serviceEnvironment, WEBHOOK_SIGNING_SECRET } from '../helpers/service';
import { startLocalTemporal, workflowBundle } from '../helpers/temporal';
import { exampleMapping, sampleEvents } from '../return-data/ledger-events';

/**
 * Records histories for test/resilience/workflow-histories-replay.test.ts: settings changes, a
 * forced and an unforced batch with their invoices, return data, an OCR import with a payment it
 * cannot take. Run it with the workflows as they were before a change that could alter what they
 * command (a bundle made then with `npx tsx worker/bundle-workflows.ts --out DIR`):
 *
 *   npx tsx test/resilience/record-workflow-histories.ts [--bundle DIR/workflows-….js] [--out DIR] [--write-back]
 *
 * With --write-back, a forced write-back run at the end reports the batch's invoices to PowerOffice
 * GO and they complete, so their histories hold the write-back's steps too (and the run's own is
 * recorded). Without it, the invoices are recorded awaiting write-back, as before the option.
 *
 * The activities are today's, over HTTP against the emulators, as in the integration tests; the
 * worker is the service's (worker/create-worker.ts), PowerOffice queue workers included.
 */
const root = join(__dirname, '..', '..');

function option(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at < 0 ? undefined : process.argv[at + 1];
}

async function main(): Promise<void> {
  const bundlePath = option('--bundle');
  const writeBack = process.argv.includes('--write-back');
  const out = option('--out') ?? join(root, 'test', 'fixtures', 'workflow-histories');
  const code = bundlePath === undefined ? (await workflowBundle()).code : readFileSync(bundlePath, 'utf8');
  const env = await startLocalTemporal();
  const seed = seedWithInvoices(2, `hist${randomUUID().slice(0, 6)}`);
  const clientId = seed.clientId;
  const webhook = buildWebhookServer({ temporal: env.client, secret: WEBHOOK_SIGNING_SECRET, logger: pino({ level: 'warn' }) });
  const webhookUrl = await webhook.listen({ host: '127.0.0.1', port: 0 });
  const emulators = await startEmulators({ distributionApiKey: PARTNER_API_KEY, ledgerApiKey: LEDGER_API_KEY, seed, webhook: { url: `${webhookUrl}${INVOICE_OPENED_PATH}`, secret: WEBHOOK_SIGNING_SECRET } });
  const config = loadConfig(serviceEnvironment(emulators, seed));
  const taskQueue = `histories-${randomUUID()}`;
  const worker = await createInvoiceWorker({ connection: env.nativeConnection, namespace: env.namespace ?? 'default', taskQueue, workflowBundle: { code }, payloadCodec: config.temporal.payloadCodec, deps: activityDependencies(config) });
  const recorded: string[] = [];
  try {
    await worker.runUntil(async () => {
      const cipher = cipherOf(config);
      const kidClientNumber = 4000 + Math.floor(Math.random() * 5000);
      const change = (settings: Record<string, unknown>, extra: { clientKey?: string; confirmKidChange?: boolean } = {}) => onboardClient(env.client, taskQueue, cipher, { settings: { clientId, ...settings }, ...extra });
      await change({ kid: { clientNumber: kidClientNumber }, accountMapping: exampleMapping }, { clientKey: seed.companies[0]!.clientKey });
      await change({ emailAlternative: 2, channelOverrides: { '10011': 'letter' } });

      const start = (workflowId: string) => ({ workflowId, taskQueue });
      await env.client.workflow.execute(batchWorkflow, { ...start(`batch-history-forced-${randomUUID()}`), args: [{ force: true }] });
      // On a weekend or holiday it is refused: that history too.
      await env.client.workflow.execute(batchWorkflow, { ...start(`batch-history-${randomUUID()}`), args: [{}] }).catch(() => undefined);

      const appended = emulators.ledger.store.appendEvents(clientId, Object.values(sampleEvents).map((event) => ({ ...event, eventId: `${clientId}-${event.eventId}` })));
      if (!appended.ok) throw new Error(appended.error);
      await env.client.workflow.execute(returnDataWorkflow, { ...start(`return-data-manual-history-${randomUUID()}`), args: [{ force: true, pageSize: 2 }] });
      await env.client.workflow.execute(returnDataWorkflow, { ...start(`return-data-manual-history-${randomUUID()}`), args: [{}] }).catch(() => undefined);

      const scheme: KidScheme = { method: 'MOD10', length: 15, clientNumber: kidClientNumber };
      const kid = generateKid(scheme, 70_001);
      const booked = emulators.ledger.store.book(clientId, `book:${clientId}:70001`, {
        invoiceId: randomUUID(), invoiceNo: 70_001, documentType: 'Invoice', customerNo: 10010, amountOre: 12_300, currency: 'NOK', invoiceDate: '2026-02-10', dueDate: '2026-02-24', kid,
      });
      if (booked.outcome !== 'created') throw new Error('the ledger did not book the paid invoice');
      const prepared = prepareOcrImport(ocrFile(ocrRecords({ assignments: [{ transactions: [{ amountOre: 12_300, kid }, { amountOre: 5_000, kid: generateKid(scheme, 70_002) }, { amountOre: 1_000, kid }] }] })));
      if (prepared.refused) throw new Error('the OCR file was refused');
      const [paid, unknown, third] = prepared.input.payments;
      // Past the command's check: the import keeps the payment it cannot take aside.
      const input = { ...prepared.input, payments: [paid!, unknown!, { ...third!, kid: 'not a KID' }] };
      await env.client.workflow.execute(ocrImportWorkflow, { ...start(`ocr-import-history-${randomUUID()}`), args: [input] });

      await change({ kid: { length: 12 } }, { confirmKidChange: true });
      await change({ removeAccountMapping: true, clearChannelOverrides: ['10011'] });
      await setClientStatus(env.client, clientId, 'Disabled', 'contract ended');
      await setClientStatus(env.client, clientId, 'Active');

      if (writeBack) {
        // Only invoices already sent (WriteBack = Pending in visibility) are asked to report.
        const invoices = `TaskQueue = '${taskQueue}' AND WorkflowType = 'invoiceWorkflow'`;
        const expected = seed.companies[0]!.availableInvoices.length;
        const sent = await eventually(() => env.client.workflow.count(`${invoices} AND WriteBack = 'Pending'`), ({ count }) => count === expected, 60_000);
        if (sent.count !== expected) throw new Error(`${sent.count} of ${expected} invoices were sent`);
        await env.client.workflow.execute(writeBackWorkflow, { ...start(`write-back-history-forced-${randomUUID()}`), args: [{ force: true, clientIds: [clientId] }] });
        // Each invoice completes once its answer has reached the run.
        for await (const execution of env.client.workflow.list({ query: invoices })) {
          await env.client.workflow.getHandle(execution.workflowId, execution.runId).result();
        }
      }

      mkdirSync(out, { recursive: true });
      for await (const execution of env.client.workflow.list({ query: `TaskQueue = '${taskQueue}'` })) {
        const history = await env.client.workflow.getHandle(execution.workflowId, execution.runId).fetchHistory();
        const name = `${execution.type}-${recorded.filter((file) => file.startsWith(`${execution.type}-`)).length + 1}.json`;
        // As protobuf's JSON object (64-bit numbers as text); the replay test reads it with fromObject.
        // The workflow id is not in the history, and workflows read it (the return-data run's replyTo).
        const json = temporal.api.history.v1.History.toObject(temporal.api.history.v1.History.fromObject(history), { longs: String, enums: String, bytes: String });
        writeFileSync(join(out, name), `${JSON.stringify({ workflowId: execution.workflowId, history: json })}\n`);
        recorded.push(name);
      }
    });
  } finally {
    await emulators.close();
    await webhook.close();
    await env.teardown();
  }
  console.log(`recorded ${recorded.length} histories in ${out}: ${recorded.sort().join(', ')}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
