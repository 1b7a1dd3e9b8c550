import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { powerOfficeSeedSchema, type PowerOfficeSeed, type SeedInvoice } from '../../emulators/poweroffice/fixture-schema';
import { loadConfig, type Config } from '../../config/config';
import { startEmulators, type RunningEmulators } from '../../emulators/start';
import { SecretCipher } from '../../adapters/secrets/secret-cipher';
import pino from 'pino';
import { onboardClient } from '../../client/onboarding';
import { buildWebhookServer, INVOICE_OPENED_PATH } from '../../client/webhook/server';
import { clientSettingsInputSchema, type StoredClientSettings } from '../../domain/client-settings';
import { clientSettingsWorkflow, clientSettingsWorkflowId } from '../../workflows/client-settings-workflow';
import { activityDependencies } from '../../worker/activity-dependencies';
import { createInvoiceWorker } from '../../worker/create-worker';
import type { InvoiceWorker } from '../../worker/invoice-worker';
import { workflowBundle } from './temporal';

export const APPLICATION_KEY = 'test-application-key';
export const PARTNER_API_KEY = 'test-partner-key';
export const SUBSCRIPTION_KEY = 'test-subscription-key';
export const LEDGER_API_KEY = 'test-ledger-key';
export const WEBHOOK_SIGNING_SECRET = 'test-webhook-signing-secret';

/** A client company with `count` fresh invoices; new ids every call so tests never share workflows. */
export function seedWithInvoices(count: number, clientId = `c${randomUUID().slice(0, 8)}`): PowerOfficeSeed & { clientId: string } {
  const availableInvoices: SeedInvoice[] = Array.from({ length: count }, (_, i) => ({
    id: randomUUID(),
    invoiceNo: 20001 + i,
    customerCode: 10010 + (i % 3),
    totalAmount: 1000 + i + 0.5,
    invoiceDate: '2026-11-27T00:00:00',
    dueDate: '2026-12-11T00:00:00',
    isDelivered: false,
    factoringInvoiceStatus: 1,
  }));
  // One customer per customer number used above, so v2 lookups and the emulator's made-up EHFs find them.
  const customers = [10010, 10011, 10012].map((Number) => ({
    Number,
    Name: `Testkunde ${Number} AS`,
    OrganizationNumber: '987145234',
    EmailAddress: `post-${Number}@example.no`,
    MailAddress: { AddressLine1: 'Testveien 1', ZipCode: '0150', City: 'Oslo', CountryCode: 'NO' },
  }));
  const seed = powerOfficeSeedSchema.parse({
    applicationKey: APPLICATION_KEY,
    subscriptionKey: SUBSCRIPTION_KEY,
    companies: [{ clientId, clientKey: `key-${clientId}`, name: 'Testfirma AS', organizationNumber: '923609016', availableInvoices, customers }],
  });
  return { clientId, ...seed };
}

/** The production config, parsed from the environment the emulators imply. */
export function serviceConfig(emulators: RunningEmulators, seed: PowerOfficeSeed, overrides: Record<string, string> = {}): Config {
  return loadConfig(serviceEnvironment(emulators, seed, overrides));
}

/** The environment variables a worker process needs to reach the emulators (see config/config.ts). */
export function serviceEnvironment(emulators: RunningEmulators, seed: PowerOfficeSeed, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    ...overrides,
    POWEROFFICE_V1_BASE_URL: emulators.powerOfficeUrl,
    POWEROFFICE_V2_BASE_URL: emulators.powerOfficeV2Url,
    POWEROFFICE_V2_TOKEN_URL: emulators.powerOfficeV2TokenUrl,
    POWEROFFICE_APPLICATION_KEY: seed.applicationKey,
    POWEROFFICE_SUBSCRIPTION_KEY: emulators.powerOfficeSubscriptionKey,
    DISTRIBUTION_PARTNER_BASE_URL: emulators.distributionUrl,
    DISTRIBUTION_PARTNER_API_KEY: PARTNER_API_KEY,
    LEDGER_BASE_URL: emulators.ledgerUrl,
    LEDGER_API_KEY: LEDGER_API_KEY,
    PEPPOL_DIRECTORY_BASE_URL: emulators.peppolDirectoryUrl,
    WEBHOOK_SIGNING_SECRET,
  };
}

export interface ServiceUnderTest {
  emulators: RunningEmulators;
  worker: InvoiceWorker;
  taskQueue: string;
  config: Config;
  /** The environment variables behind `config`: a worker in another process gets the same. */
  environment: Record<string, string>;
  /** Stops this process's worker (a test may hand the task queue to another worker). */
  stopWorker(): Promise<void>;
  stop(): Promise<void>;
}

let kidClientNumbers = 10_000 + Math.floor(Math.random() * 50_000);
/** Unique within a test file's Temporal server, as onboarding requires. */
export function nextKidClientNumber(): number {
  kidClientNumbers += 1;
  return kidClientNumbers;
}

/** The cipher the worker of `config` opens client keys with. */
export function cipherOf(config: Config): SecretCipher {
  return new SecretCipher(config.clientKeyEncryption.key, config.clientKeyEncryption.keyId);
}

/**
 * Emulators on free loopback ports and a real worker on its own task queue, wired exactly as in
 * production (activityDependencies), against the given Temporal test environment. By default every
 * company of the seed is onboarded the way an operator does it (onboardClient); stop() ends their
 * settings workflows again, so the next test's batch does not see them.
 */
export async function startService(
  env: TestWorkflowEnvironment,
  seed: PowerOfficeSeed,
  options: { onboard?: boolean; configOverrides?: Record<string, string>; clientSettings?: Record<string, unknown> } = {},
): Promise<ServiceUnderTest> {
  // Our webhook first: the partner emulator reports "opened" to it, as the real partner would.
  const webhook = buildWebhookServer({ temporal: env.client, secret: WEBHOOK_SIGNING_SECRET, logger: pino({ level: 'warn' }) });
  const webhookUrl = await webhook.listen({ host: '127.0.0.1', port: 0 });
  const emulators = await startEmulators({
    distributionApiKey: PARTNER_API_KEY,
    ledgerApiKey: LEDGER_API_KEY,
    seed,
    webhook: { url: `${webhookUrl}${INVOICE_OPENED_PATH}`, secret: WEBHOOK_SIGNING_SECRET },
  });
  const environment = serviceEnvironment(emulators, seed, options.configOverrides);
  const config = loadConfig(environment);
  const taskQueue = `test-${randomUUID()}`;
  const worker = await createInvoiceWorker({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
    payloadCodec: config.temporal.payloadCodec,
    workflowBundle: await workflowBundle(),
    deps: activityDependencies(config),
    powerOfficeRequestsPerSecond: { v1: config.powerOffice.v1RequestsPerSecond, v2: config.powerOffice.v2RequestsPerSecond },
  });
  const running = worker.run();
  const onboarded: string[] = [];
  let workerStopped = false;
  const stopWorker = async () => {
    if (workerStopped) return;
    workerStopped = true;
    worker.shutdown();
    await running;
  };
  const stop = async () => {
    for (const clientId of onboarded) {
      await env.client.workflow.getHandle(clientSettingsWorkflowId(clientId)).terminate('test finished').catch(() => undefined);
    }
    await stopWorker();
    await emulators.close();
    await webhook.close();
  };
  try {
    if (options.onboard !== false) {
      for (const company of seed.companies) {
        const kid = { clientNumber: nextKidClientNumber() };
        if (env.supportsTimeSkipping) {
          // The time-skipping server has no visibility (list), which onboarding's KID check uses:
          // the settings workflow starts with the settings instead.
          const settings: StoredClientSettings = {
            ...clientSettingsInputSchema.parse({ ...options.clientSettings, clientId: company.clientId, kid }),
            clientName: company.name,
            clientKey: cipherOf(config).seal(company.clientKey),
            status: 'Active',
            changedAt: new Date().toISOString(),
          };
          await env.client.workflow.start(clientSettingsWorkflow, {
            workflowId: clientSettingsWorkflowId(company.clientId),
            taskQueue,
            args: [{ clientId: company.clientId, settings }],
          });
        } else {
          await onboardClient(env.client, taskQueue, cipherOf(config), { settings: { ...options.clientSettings, clientId: company.clientId, kid }, clientKey: company.clientKey });
        }
        onboarded.push(company.clientId);
      }
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { emulators, worker, taskQueue, config, environment, stopWorker, stop };
}
