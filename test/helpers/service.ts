import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { PowerOfficeSeed, SeedInvoice } from '../../emulators/poweroffice/fixture-schema';
import { loadConfig, type Config } from '../../config/config';
import { startEmulators, type RunningEmulators } from '../../emulators/start';
import { activityDependencies } from '../../worker/activity-dependencies';
import { createInvoiceWorker } from '../../worker/create-worker';
import { workflowBundle } from './temporal';

export const APPLICATION_KEY = 'test-application-key';
export const PARTNER_API_KEY = 'test-partner-key';

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
  return {
    clientId,
    applicationKey: APPLICATION_KEY,
    companies: [{ clientId, clientKey: `key-${clientId}`, name: 'Testfirma AS', organizationNumber: '923609016', availableInvoices }],
  };
}

/** The production config, parsed from the environment the emulators imply. */
export function serviceConfig(emulators: RunningEmulators, seed: PowerOfficeSeed): Config {
  return loadConfig({
    POWEROFFICE_V1_BASE_URL: emulators.powerOfficeUrl,
    // The v2 listener of the emulator (emulators/start.ts); until it serves v2, nothing calls these.
    POWEROFFICE_V2_BASE_URL: new URL('v2/', emulators.powerOfficeUrl).href,
    POWEROFFICE_V2_TOKEN_URL: new URL('OAuth/Token', emulators.powerOfficeUrl).href,
    POWEROFFICE_APPLICATION_KEY: seed.applicationKey,
    POWEROFFICE_CLIENT_KEYS: seed.companies.map((c) => `${c.clientId}=${c.clientKey}`).join(';'),
    DISTRIBUTION_PARTNER_BASE_URL: emulators.distributionUrl,
    DISTRIBUTION_PARTNER_API_KEY: PARTNER_API_KEY,
  });
}

export interface ServiceUnderTest {
  emulators: RunningEmulators;
  worker: Worker;
  taskQueue: string;
  stop(): Promise<void>;
}

/**
 * Emulators on free loopback ports and a real worker on its own task queue, wired exactly as in
 * production (activityDependencies), against the given Temporal test environment.
 */
export async function startService(env: TestWorkflowEnvironment, seed: PowerOfficeSeed): Promise<ServiceUnderTest> {
  const emulators = await startEmulators({ distributionApiKey: PARTNER_API_KEY, seed });
  const taskQueue = `test-${randomUUID()}`;
  const worker = await createInvoiceWorker({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
    workflowBundle: await workflowBundle(),
    deps: activityDependencies(serviceConfig(emulators, seed)),
  });
  const running = worker.run();
  return {
    emulators,
    worker,
    taskQueue,
    stop: async () => {
      worker.shutdown();
      await running;
      await emulators.close();
    },
  };
}
