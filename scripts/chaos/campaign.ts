import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SecretCipher } from '../../adapters/secrets/secret-cipher';
import { importOcrFile } from '../../client/ocr-import';
import { onboardClient } from '../../client/onboarding';
import { startManualBatch } from '../../client/start-batch';
import { startManualReturnData } from '../../client/start-return-data';
import { startManualWriteBack } from '../../client/start-write-back';
import { connectClient } from '../../client/temporal-client';
import { loadConfig } from '../../config/config';
import { batchWorkflowId, writeBackWorkflowId } from '../../domain/workflow-ids';
import { osloCompact } from '../../domain/oslo-time';
import { startEmulators, type RunningEmulators } from '../../emulators/start';
import { manualReturnDataWorkflowId } from '../../workflows/return-data-messages';
import { ocrFile, ocrRecords } from '../../test/ocr-giro/ocr-file-builder';
import { freePort, startDevServer, type DevServer } from '../lib/dev-server';
import { requireBinary, TEMPORAL_HOME } from '../lib/temporal-binaries';
import { bookingsOf, takeCensus, type Census, type ChaosUrls, type Due, type ExpectedInvoice } from './census';
import { clearFaults, faultCounts, faultTargets, injectFaults, type FaultCounts } from './emulator-faults';
import { startMonkey, type Monkey } from './monkey';
import { persist, sleep, startOnce } from './persist';
import { seededRandom, between } from './random';
import { CHAOS_APPLICATION_KEY, CHAOS_CLIENT_ID, CHAOS_LEDGER_API_KEY, CHAOS_PARTNER_API_KEY, chaosClientSettings, chaosSeed } from './seed';
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
  kills: { worker: number; server: number };
  faults: FaultCounts & { afterProcessingAt: string[] };
  census: Census;
  /** The OCR import's own result: every payment pays a booked invoice with its KID, so none should be kept aside. */
  ocr: { registered: number; keptAside: { line: number; reason: string; explanation: string }[] };
  /** Seconds from the last kill (or the workload's end, without kills) to settled; null: never settled. */
  settledAfterLastKillSeconds: number | null;
  /** Seconds each step of the workload took, from its start to its end (faults and kills included). */
  stageSeconds: Record<string, number>;
  /** Every worker process's start to its first poll, in seconds. */
  workerPollingAfterSeconds: { median: number; max: number; starts: number };
  durationSeconds: number;
  passed: boolean;
}

const TASK_QUEUE = 'invoice-distribution';

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
  const emulators = await startEmulators({ distributionApiKey: CHAOS_PARTNER_API_KEY, ledgerApiKey: CHAOS_LEDGER_API_KEY, seed });
  const urls: ChaosUrls & { peppolDirectory: string } = {
    powerOffice: emulators.powerOfficeUrl,
    distribution: emulators.distributionUrl,
    ledger: emulators.ledgerUrl,
    peppolDirectory: emulators.peppolDirectoryUrl,
  };
  const environment = workerEnvironment(emulators, server.address, options.workers);
  const config = loadConfig(environment, 'worker');
  const client = await connectClient(config.temporal);
  const pool = new WorkerPool(options.workers, environment, stateDir, {
    polling: (slot, afterMs, pid) => line(`worker ${slot} (pid ${pid ?? '?'}) polls ${(afterMs / 1000).toFixed(1)} s after its start`),
    exited: (slot, how) => line(`worker ${slot} ended (${how}); starting it again`),
  });
  const targets = faultTargets(urls);
  const expected: ExpectedInvoice[] = (seed.companies[0]?.availableInvoices ?? []).map((i) => ({ id: i.id, invoiceNo: i.invoiceNo }));
  const due: Due = { writeBack: false, paid: [], vouchers: false };
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
        ` · kills ${monkey?.workerKills() ?? 0} worker, ${monkey?.serverKills() ?? 0} server · faults ${faults.before} before, ${faults.after} after`,
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
    monkey = startMonkey(random, { workerKills: options.kills, serverKills: options.serverKills, windowMs: options.killWindowSeconds * 1000 }, {
      workers: options.workers,
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
    });

    // The workload, step by step as operators run it; every call rides out a server restart.
    enter('distribution');
    const now = new Date();
    const batchId = batchWorkflowId('manual', osloCompact(now));
    await persist('starting the batch', () => startOnce(() => startManualBatch(client, TASK_QUEUE, { force: true }, now)), stageMs, retrying);
    line(`batch ${batchId} started`);
    await workflowResult(batchId);
    const pendingQuery = `WorkflowType = 'invoiceWorkflow' AND ClientId = '${CHAOS_CLIENT_ID}' AND WriteBack = 'Pending'`;
    const distributed = await waitFor(async () => (await client.workflow.count(pendingQuery)).count === expected.length, stageMs);
    line(distributed ? 'every invoice is sent and awaits the write-back' : 'not every invoice reached the write-back in time; going on');

    enter('write-back');
    const writeBackId = writeBackWorkflowId('manual', osloCompact(now));
    await persist('starting the write-back', () => startOnce(() => startManualWriteBack(client, TASK_QUEUE, { force: true }, now)), stageMs, retrying);
    await workflowResult(writeBackId);
    due.writeBack = true;
    line('write-back done');

    enter('OCR import');
    const bookings = (await bookingsOf(urls, CHAOS_CLIENT_ID)).filter((b) => b.documentType === 'Invoice');
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

    if (monkey.workerKills() + monkey.serverKills() < options.kills + options.serverKills) line('the workload is done; the remaining kills follow');
    await monkey.done;
    await clearFaults(targets);
    const settleFrom = monkey.lastKillAt() ?? Date.now();
    let census: Census | undefined;
    enter('settling');
    const settled = await waitFor(
      async () => {
        census = await takeCensus(urls, client, CHAOS_CLIENT_ID, expected, due, { stuck: true });
        return Object.values(census.lost).every((n) => n === 0) && census.stuck.length === 0;
      },
      options.settleTimeoutSeconds * 1000,
    );
    const settledAt = Date.now();
    enter('done');
    census = await persist('reading the records', () => takeCensus(urls, client, CHAOS_CLIENT_ID, expected, due, { stuck: true }), 60_000, retrying);
    const faults = await faultCounts(targets);
    const polling = [...pool.pollingAfterMs].sort((a, b) => a - b);
    const passed = settled && Object.values(census.lost).every((n) => n === 0) && Object.values(census.duplicated).every((n) => n === 0) && census.stuck.length === 0;
    return {
      options,
      stateDir,
      kills: { worker: monkey.workerKills(), server: monkey.serverKills() },
      faults: { ...faults, afterProcessingAt },
      census,
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
    await pool.stop();
    await client.connection.close().catch(() => undefined);
    await emulators.close();
    await server.stop();
  }
}

/** What a worker process needs to reach this campaign's server and emulators (config/env-schema.ts). */
function workerEnvironment(emulators: RunningEmulators, temporalAddress: string, workers: number): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DEPLOYMENT_ENV: 'development',
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_NAMESPACE: 'default',
    TEMPORAL_TASK_QUEUE: TASK_QUEUE,
    POWEROFFICE_V1_BASE_URL: emulators.powerOfficeUrl,
    POWEROFFICE_V2_BASE_URL: emulators.powerOfficeV2Url,
    POWEROFFICE_V2_TOKEN_URL: emulators.powerOfficeV2TokenUrl,
    POWEROFFICE_APPLICATION_KEY: CHAOS_APPLICATION_KEY,
    POWEROFFICE_SUBSCRIPTION_KEY: emulators.powerOfficeSubscriptionKey,
    // PowerOffice's limits are per key, shared by every worker: each takes its share (README).
    POWEROFFICE_V1_REQUESTS_PER_SECOND: String(Math.max(1, Math.floor(50 / workers))),
    POWEROFFICE_V2_REQUESTS_PER_SECOND: String(Math.max(1, Math.floor(10 / workers))),
    DISTRIBUTION_PARTNER_BASE_URL: emulators.distributionUrl,
    DISTRIBUTION_PARTNER_API_KEY: CHAOS_PARTNER_API_KEY,
    LEDGER_BASE_URL: emulators.ledgerUrl,
    LEDGER_API_KEY: CHAOS_LEDGER_API_KEY,
    PEPPOL_DIRECTORY_BASE_URL: emulators.peppolDirectoryUrl,
    LOG_LEVEL: 'info',
    LOG_FORMAT: 'json',
  };
}
