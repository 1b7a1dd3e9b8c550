import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { SecretCipher } from '../../adapters/secrets/secret-cipher';
import { importOcrFile } from '../../client/ocr-import';
import { onboardClient } from '../../client/onboarding';
import { startManualBatch } from '../../client/start-batch';
import { startManualReturnData } from '../../client/start-return-data';
import { startManualWriteBack } from '../../client/start-write-back';
import { buildWebhookServer, INVOICE_OPENED_PATH } from '../../client/webhook/server';
import { connectClient } from '../../client/temporal-client';
import { loadConfig, type OpeningWaitConfig } from '../../config/config';
import { batchWorkflowId, writeBackWorkflowId } from '../../domain/workflow-ids';
import { osloCompact } from '../../domain/oslo-time';
import { EMULATOR_NAMES, startEmulators, type RunningEmulators } from '../../emulators/start';
import { manualReturnDataWorkflowId } from '../../workflows/return-data-messages';
import { ocrFile, ocrRecords } from '../lib/ocr-file-builder';
import { freePort, startDevServer, type DevServer } from '../lib/dev-server';
import { requireBinary, TEMPORAL_HOME } from '../lib/temporal-binaries';
import { bookingsOf, takeCensus, type Census, type ChaosUrls, type Due, type ExpectedInvoice } from './census';
import { openingsOnTheirWay, startCustomers, type Customers } from './customers';
import { clearFaults, faultCounts, faultTargets, injectFaults, type FaultCounts } from './emulator-faults';
import { emulatorLabels, startMonkey, type Monkey } from './monkey';
import { persist, sleep, startOnce } from './persist';
import { seededRandom, between } from './random';
import { readRateLimits, type RateLimitReport } from './rate-limits';
import { CHAOS_APPLICATION_KEY, CHAOS_CLIENT_ID, CHAOS_LEDGER_API_KEY, CHAOS_PARTNER_API_KEY, chaosClientSettings, chaosSeed, LINK_EMAIL_CUSTOMER } from './seed';
import { WorkerPool } from './worker-pool';

/**
 * One chaos campaign (`npm run chaos`): a Temporal dev server on its own SQLite file, the emulators,
 * N worker processes; one client with M invoices through the batch, the write-back, an OCR import
 * and the return data, while workers are SIGKILLed, the server is killed and restarted on the same
 * file, and the emulators inject faults. Then it waits until everything settles and counts.
 */
export interface ChaosOptions {
  invoices: number;
  workers: number;
  kills: number;
  serverKills: number;
  /** Restarts of a random emulator (every connection dropped, down 1-3 s, its records kept). */
  emulatorRestarts: number;
  /** Share of upstream requests faulted, 0..1; half after processing where the emulator offers it. */
  faultRate: number;
  seed: number;
  /** Over how long the kills are spread. */
  killWindowSeconds: number;
  /** How long to wait, after the workload and the last kill, for everything to settle. */
  settleTimeoutSeconds: number;
}

export interface ChaosReport {
  options: ChaosOptions;
  stateDir: string;
  kills: { worker: number; server: number; emulator: number };
  faults: FaultCounts & { afterProcessingAt: string[] };
  /** PowerOffice's limits against the busiest window the whole fleet of workers made, per API. */
  rateLimits: RateLimitReport;
  census: Census;
  /** The workers' opening wait and late-opening window (openingWaits). */
  openingWait: OpeningWaitConfig;
  /** The OCR import's own result: every payment pays a booked invoice with its KID, so none should be kept aside. */
  ocr: { registered: number; keptAside: { line: number; reason: string; explanation: string }[] };
  /** Seconds from the last kill or the workload's end, whichever came later, to settled; null: never settled. */
  settledAfterLastKillSeconds: number | null;
  /** Seconds each step of the workload took, from its start to its end (faults and kills included). */
  stageSeconds: Record<string, number>;
  /** Every worker process's start to its first poll, in seconds. */
  workerPollingAfterSeconds: { median: number; max: number; starts: number };
  durationSeconds: number;
  passed: boolean;
}

const TASK_QUEUE = 'invoice-distribution';

/**
 * The workers' opening wait and late-opening window, in place of 4 and 14 days. A minute leaves an
 * opening at up to 70 % of the wait (customers.ts) time to get through our webhook before the wait
 * ends, most often even through a server restart (one that does not becomes an opening after the
 * letter, which the census takes as such); it grows with the batch, whose many e-mails go out from
 * busier workers (30 invoices: 63 s; 300: 90 s; 2,000: 260 s). A minute of late window holds the
 * late openings (up to 24 s after the letter); it has ended by the time the census counts running
 * invoices as stuck, since the write-back, the OCR import and the return data come after.
 */
export function openingWaits(invoices: number): OpeningWaitConfig {
  return { openingWaitSeconds: Math.min(300, 60 + Math.round(invoices / 10)), lateOpeningWindowSeconds: 60 };
}

export async function runChaos(options: ChaosOptions, say: (line: string) => void): Promise<ChaosReport> {
  const began = Date.now();
  const line = (text: string) => say(`[${String(Math.round((Date.now() - began) / 1000)).padStart(4)} s] ${text}`);
  const random = seededRandom(options.seed);
  const stateDir = join(TEMPORAL_HOME, `chaos-${osloCompact(new Date())}-${options.seed}`);
  mkdirSync(stateDir, { recursive: true });
  const serverOptions = { port: await freePort(), uiPort: await freePort(), stateDir };
  const binary = requireBinary('cli');
  let server: DevServer = await startDevServer(binary, serverOptions);
  line(`Temporal dev server on ${server.address} (Web UI ${server.uiUrl}), state and logs in ${stateDir}`);

  const seed = chaosSeed(options.invoices);
  const waits = openingWaits(options.invoices);
  // Our webhook, as in production: the partner emulator calls it, signed, when an end customer opens an e-mail.
  const webhookPort = await freePort();
  const webhookSecret = randomBytes(24).toString('hex');
  const emulators = await startEmulators({
    distributionApiKey: CHAOS_PARTNER_API_KEY,
    ledgerApiKey: CHAOS_LEDGER_API_KEY,
    seed,
    webhook: { url: `http://127.0.0.1:${webhookPort}${INVOICE_OPENED_PATH}`, secret: webhookSecret },
  });
  const urls: ChaosUrls & { peppolDirectory: string } = {
    powerOffice: emulators.powerOfficeUrl,
    distribution: emulators.distributionUrl,
    ledger: emulators.ledgerUrl,
    peppolDirectory: emulators.peppolDirectoryUrl,
  };
  const environment = workerEnvironment(emulators, server.address, options.workers, waits);
  const config = loadConfig(environment, 'worker');
  const client = await connectClient(config.temporal);
  const webhook = buildWebhookServer({ temporal: client, secret: webhookSecret, logger: pino({ level: 'info' }, pino.destination({ dest: join(stateDir, 'webhook.log'), sync: true })) });
  await webhook.listen({ host: '127.0.0.1', port: webhookPort });
  const pool = new WorkerPool(options.workers, environment, stateDir, {
    polling: (slot, afterMs, pid) => line(`worker ${slot} (pid ${pid ?? '?'}) polls ${(afterMs / 1000).toFixed(1)} s after its start`),
    exited: (slot, how) => line(`worker ${slot} ended (${how}); starting it again`),
  });
  const targets = faultTargets(urls);
  const expected: ExpectedInvoice[] = (seed.companies[0]?.availableInvoices ?? []).map((i) => ({ id: i.id, invoiceNo: i.invoiceNo }));
  const due: Due = { writeBack: false, paid: [], vouchers: false, openingWaitSeconds: waits.openingWaitSeconds };
  const linkEmails = (seed.companies[0]?.availableInvoices ?? []).filter((i) => i.customerCode === LINK_EMAIL_CUSTOMER).length;
  /** Invoices whose workflow has recorded its opening (takeCensus asks only about the others). */
  const openingsRecorded = new Set<string>();
  let customers: Customers | undefined;
  const retrying = (message: string) => line(message);
  const stageMs = 120_000 + options.invoices * 2_000;
  let monkey: Monkey | undefined;
  let afterProcessingAt: string[] = [];
  let ocr: ChaosReport['ocr'] = { registered: 0, keptAside: [] };

  const progress = async (stage: string) => {
    const census = await takeCensus(urls, client, CHAOS_CLIENT_ID, expected, due, { stuck: false });
    const faults = await faultCounts(targets);
    line(
      `${stage}: ${census.booked}/${expected.length} booked, ${census.sent} sent, ${census.writtenBack} written back, ${census.payments} paid, ${census.vouchers} vouchers` +
        ` · e-mails with link ${census.linkEmails}/${linkEmails}: opened ${census.openings} (${census.lateOpenings} after the letter), letters ${census.lettersAfterEmail}` +
        ` · kills ${monkey?.workerKills() ?? 0} worker, ${monkey?.serverKills() ?? 0} server, ${monkey?.emulatorRestarts() ?? 0} emulator · faults ${faults.before} before, ${faults.after} after`,
    );
  };
  /** Polls `check` every 2 s until it holds or `ms` pass. */
  const waitFor = async (check: () => Promise<boolean>, ms: number): Promise<boolean> => {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      if (await check().catch(() => false)) return true;
      await sleep(2000);
    }
    return false;
  };
  // A progress line every 10 s, whatever the campaign is waiting for.
  let stage = 'starting';
  const stageSeconds: Record<string, number> = {};
  let stageStart = Date.now();
  const enter = (next: string) => {
    stageSeconds[stage] = Math.round((Date.now() - stageStart) / 1000);
    stage = next;
    stageStart = Date.now();
  };
  const ticker = setInterval(() => {
    progress(stage).catch((err: unknown) => line(`${stage}: could not read progress (${err instanceof Error ? err.message : String(err)})`));
  }, 10_000);
  const workflowResult = (workflowId: string) => persist(`waiting for ${workflowId}`, () => client.workflow.getHandle(workflowId).result(), stageMs, retrying);

  try {
    pool.start();
    enter('onboarding');
    await persist('onboarding', () => onboardClient(client, TASK_QUEUE, new SecretCipher(config.clientKeyEncryption.key, config.clientKeyEncryption.keyId), { settings: chaosClientSettings, clientKey: `key-${CHAOS_CLIENT_ID}` }), stageMs, retrying);
    line(`client ${CHAOS_CLIENT_ID} onboarded with ${expected.length} invoices; ${options.workers} workers`);

    afterProcessingAt = (await injectFaults(targets, options.faultRate, options.seed)).afterProcessingAt;
    line(`faults: ${Math.round(options.faultRate * 100)} % of upstream requests${afterProcessingAt.length ? `, half after processing at ${afterProcessingAt.join(', ')}` : ' (before processing only: no emulator offers after-processing faults yet)'}`);
    monkey = startMonkey(random, { workerKills: options.kills, serverKills: options.serverKills, emulatorRestarts: options.emulatorRestarts, windowMs: options.killWindowSeconds * 1000 }, {
      workers: options.workers,
      emulators: EMULATOR_NAMES,
      killWorker: async (slot) => {
        const pid = pool.kill(slot - 1);
        line(`SIGKILL worker ${slot}${pid ? ` (pid ${pid})` : ' (was not running)'}`);
      },
      killServer: async () => {
        await server.kill();
        const down = between(random, 1000, 4000);
        line(`killed the Temporal server (SIGKILL); restarting it on the same SQLite file in ${(down / 1000).toFixed(1)} s`);
        await sleep(down);
        server = await persist('restarting the Temporal server', () => startDevServer(binary, serverOptions), 60_000, retrying);
        line('Temporal server answers again');
      },
      restartEmulator: async (name) => {
        const down = between(random, 1000, 3000);
        line(`restarting the ${emulatorLabels[name]} emulator: every connection dropped, nothing listening for ${(down / 1000).toFixed(1)} s, its records kept`);
        await emulators.restart(name, down);
        line(`the ${emulatorLabels[name]} emulator answers again`);
      },
    });

    // The workload, step by step as operators run it; every call rides out a server restart.
    const endCustomers = startCustomers(
      { partnerUrl: urls.distribution, clientId: CHAOS_CLIENT_ID, expectedEmails: linkEmails, openingWaitMs: waits.openingWaitSeconds * 1000, lateOpeningWindowMs: waits.lateOpeningWindowSeconds * 1000 },
      // Its own random source: the monkey's draws depend on timing, and the openings' moments should not.
      seededRandom(options.seed ^ 0x0bed),
      line,
    );
    customers = endCustomers;
    enter('distribution');
    const now = new Date();
    const batchId = batchWorkflowId('manual', osloCompact(now));
    await persist('starting the batch', () => startOnce(() => startManualBatch(client, TASK_QUEUE, { force: true }, now)), stageMs, retrying);
    line(`batch ${batchId} started`);
    await workflowResult(batchId);
    const pendingQuery = `WorkflowType = 'invoiceWorkflow' AND ClientId = '${CHAOS_CLIENT_ID}' AND WriteBack = 'Pending'`;
    const distributed = await waitFor(async () => (await client.workflow.count(pendingQuery)).count === expected.length, stageMs);
    line(distributed ? 'every invoice is sent and awaits the write-back' : 'not every invoice reached the write-back in time; going on');

    // The write-back only once every e-mail with link is opened or followed by its letter: a letter
    // sent after it would wait for the next write-back, which this campaign does not run (stuck).
    // And once our webhook has every opening (openingsOnTheirWay).
    enter('openings and letters');
    const unresolvedQuery = `WorkflowType = 'invoiceWorkflow' AND ClientId = '${CHAOS_CLIENT_ID}' AND DistributionState IN ('Sending', 'Waiting')`;
    const resolved = await waitFor(
      async () => endCustomers.done() && (await client.workflow.count(unresolvedQuery)).count === 0 && (await openingsOnTheirWay(urls.distribution)) === 0,
      (waits.openingWaitSeconds + waits.lateOpeningWindowSeconds) * 1000 + stageMs,
    );
    const seen = endCustomers.counts();
    line(
      `${resolved ? 'every e-mail with link is opened or followed by its letter' : 'not every e-mail with link was opened or followed by its letter in time; going on'}:` +
        ` ${seen.linkEmails} e-mails, ${seen.opened.inTime}/${seen.planned.inTime} opened inside the wait, ${seen.opened.afterLetter}/${seen.planned.afterLetter} after the letter`,
    );

    enter('write-back');
    const writeBackId = writeBackWorkflowId('manual', osloCompact(now));
    await persist('starting the write-back', () => startOnce(() => startManualWriteBack(client, TASK_QUEUE, { force: true }, now)), stageMs, retrying);
    await workflowResult(writeBackId);
    due.writeBack = true;
    line('write-back done');

    enter('OCR import');
    const bookings = (await persist('reading the bookings', () => bookingsOf(urls, CHAOS_CLIENT_ID), stageMs, retrying)).filter((b) => b.documentType === 'Invoice');
    const file = ocrFile(ocrRecords({ assignments: [{ transactions: bookings.map((b) => ({ amountOre: b.amountOre, kid: b.kid })) }] }));
    const imported = await persist('importing the OCR file', () => importOcrFile(client, TASK_QUEUE, file), stageMs, retrying);
    if (imported.refused) throw new Error(`the campaign's own OCR file was refused: ${imported.errors.map((e) => e.message).join('; ')}`);
    due.paid = bookings.map((b) => b.invoiceId);
    ocr = { registered: imported.result.registered.length, keptAside: imported.result.keptAside.map((k) => ({ line: k.line, reason: k.reason, explanation: k.explanation })) };
    line(`OCR import: ${ocr.registered} payments registered, ${ocr.keptAside.length} kept aside${ocr.keptAside.length ? ` (${ocr.keptAside.map((k) => k.explanation).join('; ')})` : ''}`);

    enter('return data');
    await persist('starting the return data', () => startOnce(() => startManualReturnData(client, TASK_QUEUE, { force: true }, now)), stageMs, retrying);
    await workflowResult(manualReturnDataWorkflowId(osloCompact(now)));
    due.vouchers = true;
    line('return-data run done');

    if (monkey.workerKills() + monkey.serverKills() + monkey.emulatorRestarts() < options.kills + options.serverKills + options.emulatorRestarts) line('the workload is done; the remaining kills follow');
    const workloadEndedAt = Date.now();
    await monkey.done;
    await clearFaults(targets);
    // Recovery, not the workload: from the last kill, or from the workload's end when a kill came
    // earlier (the rest of the workload after an early kill is not time spent recovering).
    const settleFrom = Math.max(monkey.lastKillAt() ?? 0, workloadEndedAt);
    let census: Census | undefined;
    enter('settling');
    const settled = await waitFor(
      async () => {
        // An invoice still inside its late-opening window is still running, so counted here as stuck
        // until the window ends: its end, timer and completion under kills included, is checked too.
        census = await takeCensus(urls, client, CHAOS_CLIENT_ID, expected, due, { stuck: true, openingsRecorded });
        return Object.values(census.lost).every((n) => n === 0) && census.stuck.length === 0;
      },
      options.settleTimeoutSeconds * 1000,
    );
    const settledAt = Date.now();
    enter('done');
    census = await persist('reading the records', () => takeCensus(urls, client, CHAOS_CLIENT_ID, expected, due, { stuck: true, openingsRecorded }), 60_000, retrying);
    const faults = await faultCounts(targets);
    const polling = [...pool.pollingAfterMs].sort((a, b) => a - b);
    // Once, after the run: the emulator keeps its rate-limit windows and counts across its restarts.
    const rateLimits = await persist("reading PowerOffice's rate limits", () => readRateLimits(urls.powerOffice), 60_000, retrying);
    const passed = settled && Object.values(census.lost).every((n) => n === 0) && Object.values(census.duplicated).every((n) => n === 0) && census.stuck.length === 0 && rateLimits.held;
    return {
      options,
      stateDir,
      kills: { worker: monkey.workerKills(), server: monkey.serverKills(), emulator: monkey.emulatorRestarts() },
      faults: { ...faults, afterProcessingAt },
      rateLimits,
      census,
      openingWait: waits,
      ocr,
      settledAfterLastKillSeconds: settled ? Math.max(0, settledAt - settleFrom) / 1000 : null,
      stageSeconds,
      workerPollingAfterSeconds: { median: (polling[Math.floor(polling.length / 2)] ?? 0) / 1000, max: (polling.at(-1) ?? 0) / 1000, starts: polling.length },
      durationSeconds: Math.round((Date.now() - began) / 1000),
      passed,
    };
  } finally {
    clearInterval(ticker);
    await monkey?.done.catch(() => undefined);
    await customers?.stop();
    await pool.stop();
    await webhook.close();
    await client.connection.close().catch(() => undefined);
    await emulators.close();
    await server.stop();
  }
}

/** What a worker process needs to reach this campaign's server and emulators (config/env-schema.ts). */
function workerEnvironment(emulators: RunningEmulators, temporalAddress: string, workers: number, waits: OpeningWaitConfig): NodeJS.ProcessEnv {
  // Several workers on one machine: a metrics port exported in the shell would be taken by the first.
  const { WORKER_METRICS_PORT: _oneWorkerOnly, ...inherited } = process.env;
  return {
    ...inherited,
    DEPLOYMENT_ENV: 'development',
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_NAMESPACE: 'default',
    TEMPORAL_TASK_QUEUE: TASK_QUEUE,
    POWEROFFICE_V1_BASE_URL: emulators.powerOfficeUrl,
    POWEROFFICE_V2_BASE_URL: emulators.powerOfficeV2Url,
    POWEROFFICE_V2_TOKEN_URL: emulators.powerOfficeV2TokenUrl,
    POWEROFFICE_APPLICATION_KEY: CHAOS_APPLICATION_KEY,
    POWEROFFICE_SUBSCRIPTION_KEY: emulators.powerOfficeSubscriptionKey,
    // PowerOffice's limits for the whole deployment: the Temporal server shares them out among the workers (README).
    POWEROFFICE_V1_REQUESTS_PER_SECOND: '50',
    POWEROFFICE_V2_REQUESTS_PER_SECOND: '10',
    DISTRIBUTION_PARTNER_BASE_URL: emulators.distributionUrl,
    DISTRIBUTION_PARTNER_API_KEY: CHAOS_PARTNER_API_KEY,
    LEDGER_BASE_URL: emulators.ledgerUrl,
    LEDGER_API_KEY: CHAOS_LEDGER_API_KEY,
    PEPPOL_DIRECTORY_BASE_URL: emulators.peppolDirectoryUrl,
    // Minutes instead of 4 and 14 days: the dev server does not skip time (openingWaits).
    OPENING_WAIT_SECONDS: String(waits.openingWaitSeconds),
    LATE_OPENING_WINDOW_SECONDS: String(waits.lateOpeningWindowSeconds),
    LOG_LEVEL: 'info',
    LOG_FORMAT: 'json',
  };
}
