import type { RunningEmulators } from '../../emulators/start';
import { BENCH_APPLICATION_KEY, BENCH_LEDGER_API_KEY, BENCH_PARTNER_API_KEY } from './seed';

/**
 * What our worker process needs for one round (config/env-schema.ts): this bench's server and
 * emulators, its own task queue, PowerOffice's full limits (one worker), the 4-day opening wait
 * (the default), and logs at info as in production (worker/main.ts says it polls at info).
 */
export const POWEROFFICE_RATES = { v1: 50, v2: 10 } as const;

export function ourWorkerEnvironment(emulators: RunningEmulators, temporalAddress: string, taskQueue: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DEPLOYMENT_ENV: 'development',
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_NAMESPACE: 'default',
    TEMPORAL_TASK_QUEUE: taskQueue,
    POWEROFFICE_V1_BASE_URL: emulators.powerOfficeUrl,
    POWEROFFICE_V2_BASE_URL: emulators.powerOfficeV2Url,
    POWEROFFICE_V2_TOKEN_URL: emulators.powerOfficeV2TokenUrl,
    POWEROFFICE_APPLICATION_KEY: BENCH_APPLICATION_KEY,
    POWEROFFICE_SUBSCRIPTION_KEY: emulators.powerOfficeSubscriptionKey,
    POWEROFFICE_V1_REQUESTS_PER_SECOND: String(POWEROFFICE_RATES.v1),
    POWEROFFICE_V2_REQUESTS_PER_SECOND: String(POWEROFFICE_RATES.v2),
    DISTRIBUTION_PARTNER_BASE_URL: emulators.distributionUrl,
    DISTRIBUTION_PARTNER_API_KEY: BENCH_PARTNER_API_KEY,
    LEDGER_BASE_URL: emulators.ledgerUrl,
    LEDGER_API_KEY: BENCH_LEDGER_API_KEY,
    PEPPOL_DIRECTORY_BASE_URL: emulators.peppolDirectoryUrl,
    LOG_LEVEL: 'info',
    // Often enough for the waiting round's settled figure (rounds.ts, SETTLE_SECONDS).
    WORKER_HEALTH_REPORT_SECONDS: '10',
    LOG_FORMAT: 'json',
  };
}

export function floorWorkerEnvironment(temporalAddress: string, taskQueue: string, bundlePath: string): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, TEMPORAL_ADDRESS: temporalAddress, TEMPORAL_TASK_QUEUE: taskQueue, FLOOR_WORKFLOW_BUNDLE: bundlePath };
}
