import { NativeConnection } from '@temporalio/worker';
import { z } from 'zod';
import { loadConfigOrExit } from '../config/config';
import { startManualBatch } from '../client/start-batch';
import { connectClient } from '../client/temporal-client';
import { newCommand, parseOrExit } from '../client/command-line';
import { formatKroner, oreFromKroner, type Ore } from '../domain/money';
import { loadDemoSeedWithDistributionCases } from '../emulators/poweroffice/fixture-schema';
import { startEmulators } from '../emulators/start';
import { createLogger } from '../logging/logger';
import { installTemporalRuntime } from '../logging/temporal-runtime';
import { activityDependencies } from '../worker/activity-dependencies';
import { createInvoiceWorker } from '../worker/create-worker';
import { SecretCipher } from '../adapters/secrets/secret-cipher';
import { onboardClient } from '../client/onboarding';
import { isNorwegianWorkingDay } from '../domain/norwegian-calendar';
import { osloDate } from '../domain/oslo-time';
import { buildWebhookServer, INVOICE_OPENED_PATH } from '../client/webhook/server';
import { serviceSchedules, upsertSchedules } from '../client/schedules';
import type { PowerOfficeSeed } from '../emulators/poweroffice/fixture-schema';
import type { RunningEmulators } from '../emulators/start';
import type { BatchProgress } from '../workflows/messages';
import { AesGcmPayloadCodec } from '../adapters/temporal-codec/payload-codec';
import { buildCodecServer } from '../client/codec-server/server';
import { startDevServer } from './lib/dev-server';
import { requireBinary, TEMPORAL_HOME } from './lib/temporal-binaries';

/**
 * `npm start`: the whole service on one machine. Temporal dev server (Web UI), the emulators of
 * PowerOffice GO and the distribution partner, the worker; then one batch. Ctrl-C stops it all.
 */
const port = z.coerce.number().int().min(1).max(65535);
/** Ports and state folder of the demo; overridable so a test can run it beside a developer's demo. */
const demoSettingsSchema = z.object({
  DEMO_TEMPORAL_PORT: port.default(7233),
  DEMO_UI_PORT: port.default(8233),
  DEMO_POWEROFFICE_PORT: port.default(4010),
  DEMO_POWEROFFICE_V2_PORT: port.default(4011),
  DEMO_PARTNER_PORT: port.default(4020),
  DEMO_LEDGER_PORT: port.default(4030),
  DEMO_WEBHOOK_PORT: port.default(4040),
  DEMO_PEPPOL_DIRECTORY_PORT: port.default(4050),
  DEMO_CODEC_SERVER_PORT: port.default(4060),
  DEMO_STATE_DIR: z.string().min(1).default(TEMPORAL_HOME),
});

async function main(): Promise<void> {
  parseOrExit(
    newCommand('start', 'The whole service on one machine: Temporal dev server with its Web UI, every emulator, the webhook, the schedules and the worker; onboards the demo clients and runs one batch. Ctrl-C stops it all.').addHelpText(
      'after',
      '\nPorts and the state folder come from DEMO_TEMPORAL_PORT, DEMO_UI_PORT, DEMO_POWEROFFICE_PORT, DEMO_POWEROFFICE_V2_PORT, DEMO_PARTNER_PORT,\nDEMO_LEDGER_PORT, DEMO_WEBHOOK_PORT, DEMO_PEPPOL_DIRECTORY_PORT and DEMO_STATE_DIR (README).',
    ),
  );
  const demo = demoSettingsSchema.parse(process.env);
  const POWEROFFICE_PORT = demo.DEMO_POWEROFFICE_PORT;
  const POWEROFFICE_V2_PORT = demo.DEMO_POWEROFFICE_V2_PORT;
  const PARTNER_PORT = demo.DEMO_PARTNER_PORT;
  const seed = loadDemoSeedWithDistributionCases();
  const config = loadConfigOrExit({
    LOG_FORMAT: 'pretty',
    ...process.env,
    POWEROFFICE_V1_BASE_URL: `http://127.0.0.1:${POWEROFFICE_PORT}/`,
    POWEROFFICE_V2_BASE_URL: `http://127.0.0.1:${POWEROFFICE_V2_PORT}/v2/`,
    POWEROFFICE_V2_TOKEN_URL: `http://127.0.0.1:${POWEROFFICE_V2_PORT}/OAuth/Token`,
    POWEROFFICE_SUBSCRIPTION_KEY: seed.subscriptionKey,
    POWEROFFICE_APPLICATION_KEY: seed.applicationKey,
    DISTRIBUTION_PARTNER_BASE_URL: `http://127.0.0.1:${PARTNER_PORT}/`,
    LEDGER_BASE_URL: `http://127.0.0.1:${demo.DEMO_LEDGER_PORT}/`,
    PEPPOL_DIRECTORY_BASE_URL: `http://127.0.0.1:${demo.DEMO_PEPPOL_DIRECTORY_PORT}/`,
    WEBHOOK_PORT: String(demo.DEMO_WEBHOOK_PORT),
    CODEC_SERVER_PORT: String(demo.DEMO_CODEC_SERVER_PORT),
    // The UI as this demo serves it, under both names of this machine.
    CODEC_SERVER_CORS_ORIGINS: process.env.CODEC_SERVER_CORS_ORIGINS || `http://localhost:${demo.DEMO_UI_PORT},http://127.0.0.1:${demo.DEMO_UI_PORT}`,
    DEPLOYMENT_ENV: 'development',
  });
  const logger = createLogger(config.log, 'demo');

  // The codec server first: the Web UI is told where it is. On `localhost`, as the UI is opened:
  // the same site, so the session cookie of its /login goes with the UI's requests.
  const codecServer = buildCodecServer({
    codec: new AesGcmPayloadCodec(config.temporal.payloadCodec),
    authToken: config.codecServer.authToken,
    corsOrigins: config.codecServer.corsOrigins,
    logger: logger.child({ component: 'codec-server' }),
  });
  await codecServer.listen({ host: '127.0.0.1', port: config.codecServer.port });
  const codecUrl = `http://localhost:${config.codecServer.port}`;
  const devServer = await startDevServer(requireBinary('cli'), {
    port: demo.DEMO_TEMPORAL_PORT,
    uiPort: demo.DEMO_UI_PORT,
    stateDir: demo.DEMO_STATE_DIR,
    codecEndpoint: codecUrl,
  });
  logger.info({ address: devServer.address, pid: devServer.process.pid, log: devServer.logFile }, 'Temporal dev server is up');
  const temporal = { ...config.temporal, address: devServer.address };
  const client = await connectClient(temporal);
  // Our webhook, where the partner reports that an end customer opened an e-mailed invoice.
  const webhook = buildWebhookServer({ temporal: client, secret: config.webhook.signingSecret, logger: logger.child({ component: 'webhook' }) });
  const webhookUrl = await webhook.listen({ host: '127.0.0.1', port: config.webhook.port });
  const emulators = await startEmulators({
    powerOfficePort: POWEROFFICE_PORT,
    powerOfficeV2Port: POWEROFFICE_V2_PORT,
    distributionPort: PARTNER_PORT,
    distributionApiKey: config.distributionPartner.apiKey,
    ledgerPort: demo.DEMO_LEDGER_PORT,
    ledgerApiKey: config.ledger.apiKey,
    peppolDirectoryPort: demo.DEMO_PEPPOL_DIRECTORY_PORT,
    webhook: { url: `${webhookUrl}${INVOICE_OPENED_PATH}`, secret: config.webhook.signingSecret },
    seed,
  });

  installTemporalRuntime(logger, { handleSignals: false });
  const connection = await NativeConnection.connect({ address: temporal.address });
  const worker = await createInvoiceWorker({
    connection,
    namespace: temporal.namespace,
    taskQueue: temporal.taskQueue,
    payloadCodec: temporal.payloadCodec,
    deps: activityDependencies(config),
    powerOfficeRequestsPerSecond: { v1: config.powerOffice.v1RequestsPerSecond, v2: config.powerOffice.v2RequestsPerSecond },
  });
  const workerRun = worker.run();
  const today = osloDate(new Date());

  let stopping = false;
  const stop = async (why: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${why}: stopping the worker, the emulators and the Temporal dev server…`);
    worker.shutdown();
    await workerRun.catch((err: unknown) => logger.error({ err }, 'worker stopped with an error'));
    await connection.close();
    await webhook.close();
    await client.connection.close();
    await emulators.close();
    await devServer.stop();
    await codecServer.close();
    logger.info('stopped; nothing left running');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('Ctrl-C'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  await upsertSchedules(client, serviceSchedules(temporal.taskQueue, Number(today.slice(0, 4))));
  // Onboard the demo clients the way an operator would; a second start finds them unchanged.
  const cipher = new SecretCipher(config.clientKeyEncryption.key, config.clientKeyEncryption.keyId);
  for (const company of seed.companies) {
    const onboarded = await onboardClient(client, temporal.taskQueue, cipher, { settings: { clientId: company.clientId }, clientKey: company.clientKey });
    logger.info({ clientId: company.clientId, changed: onboarded.changed }, 'demo client onboarded');
  }
  // The demo runs on any day; a real manual batch on a weekend or holiday needs --force.
  const handle = await startManualBatch(client, temporal.taskQueue, { force: true });
  const result = await handle.result();

  console.log(summary({ ui: devServer.uiUrl, codec: codecUrl, namespace: temporal.namespace, batchId: handle.workflowId, emulators, seed, result, today }));
}

function summary(facts: {
  ui: string;
  codec: string;
  namespace: string;
  batchId: string;
  emulators: RunningEmulators;
  seed: PowerOfficeSeed;
  result: BatchProgress;
  today: string;
}): string {
  const { emulators, result } = facts;
  const ui = `${facts.ui}/namespaces/${facts.namespace}`;
  const lines = [
    '',
    'Factoring Finans invoice distribution is running.',
    '',
    `  Temporal Web UI      ${facts.ui}`,
    `  This batch           ${ui}/workflows/${facts.batchId}`,
    `  Invoice workflows    ${ui}/workflows?query=${encodeURIComponent("WorkflowType='invoiceWorkflow'")}`,
    `  Schedules            ${ui}/schedules`,
    `  Codec server         ${facts.codec}/login   (payloads are encrypted; sign in there to read them in the UI)`,
    `  E-mails sent         ${emulators.distributionUrl}_emulator/mailbox   (open a link, type its code)`,
    `  Partner deliveries   ${emulators.distributionUrl}_emulator/deliveries`,
    `  Ledger bookings      ${emulators.ledgerUrl}_emulator/invoices`,
    `  PowerOffice calls    ${emulators.powerOfficeUrl}_emulator/calls`,
    '',
    `Batch result${isNorwegianWorkingDay(facts.today) ? '' : ` (forced: ${facts.today} is not a Norwegian working day)`}:`,
  ];
  for (const company of facts.seed.companies) {
    const counts = result.clients[company.clientId];
    const total = company.availableInvoices.reduce((sum, i) => sum + oreFromKroner(i.totalAmount), 0) as Ore;
    const channels = Object.entries(counts?.byChannel ?? {})
      .map(([channel, n]) => `${n} ${channel}`)
      .join(', ');
    lines.push(
      `  client ${company.clientId}: ${counts?.started ?? 0} invoice workflows started, ${counts?.alreadyStarted ?? 0} already existed` +
        ` (${counts?.byDocumentType.Invoice ?? 0} invoices, ${counts?.byDocumentType.CreditNote ?? 0} credit notes; ${formatKroner(total)} kr net)` +
        (channels ? `; channels: ${channels}` : '') +
        (counts?.rejected ? `; ${counts.rejected} not distributed` : '') +
        (counts?.failed ? `; ${counts.failed} failed` : ''),
    );
  }
  for (const rejected of result.rejected) lines.push(`  not distributed: client ${rejected.clientId} invoice ${rejected.invoiceNo}: ${rejected.reasons.join('; ')}`);
  for (const failed of result.failed ?? []) lines.push(`  failed: client ${failed.clientId} invoice ${failed.invoiceNo}: ${failed.reason}`);
  for (const u of result.unreadable ?? []) lines.push(`  could not be read: client ${u.clientId} ${u.invoiceNo !== undefined ? `invoice ${u.invoiceNo}` : 'an invoice without a number'}: ${u.reason}`);
  lines.push(
    '',
    'Look at: the batch workflow (its children and result), then each invoice workflow: its search',
    'attributes (ClientId, InvoiceNo, DocumentType, Channel, DistributionState) and its activities',
    '(assessInvoice, bookInvoice, sendInvoice). The e-mail with link and code waits up to 4 days for',
    'the customer to open it: open its link from the mailbox above and type the code, and the',
    'invoice workflow turns Opened. Running `npm start` again starts no second workflow per invoice.',
    'Sent invoices wait (WriteBack = Pending) for the 15:30 write-back of KID and PDF to PowerOffice GO;',
    'to run it now: `npm run write-back -- --force` in another terminal, then see the PowerOffice calls above.',
    'Every payload is encrypted in Temporal (README "Payload encryption"): to read inputs and results in',
    `the UI, sign in once at ${facts.codec}/login (the token is CODEC_SERVER_AUTH_TOKEN, in development`,
    '"demo-codec-server-token"), then in the UI\'s Codec Server settings (the glasses icon, top right) choose',
    `this browser's endpoint, enter ${facts.codec} and tick "Include cross-origin credentials".`,
    'Press Ctrl-C to stop everything.',
    '',
  );
  return lines.join('\n');
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
