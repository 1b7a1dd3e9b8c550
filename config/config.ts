import type { z } from 'zod';
import { DEMO_SETTINGS } from '../documents/demo-settings';
import type { FactoringFinansSettings } from '../documents/settings';
import { envSchema, PROCESS_VARIABLES, SECRET_VARIABLES, type Env, type ProcessName, type Variable } from './env-schema';
import { productionProblems } from './production';

export { envSchema, PROCESS_VARIABLES, type Env, type ProcessName } from './env-schema';

/**
 * The one place environment variables are read. Every process (worker, webhook, emulators, admin
 * commands) calls `loadConfig()` at start-up; a bad value stops it with one sentence per variable,
 * naming it and what is wrong (a secret's value is never shown).
 */

export interface TemporalConnectionConfig {
  /**
   * How payloads are encrypted: part of the connection so that every client and worker made from
   * it (adapters/temporal-codec/data-converter.ts) encrypts, with no way to forget it.
   */
  payloadCodec: PayloadCodecConfig;
  address: string;
  namespace: string;
  taskQueue: string;
  apiKey?: string;
  tls?: { serverName?: string; caPath?: string; certPath?: string; keyPath?: string };
}

export interface PowerOfficeEnvironmentConfig {
  name: 'demo' | 'production';
  v1BaseUrl: string;
  v2BaseUrl: string;
  v2TokenUrl: string;
  applicationKey: string;
  subscriptionKey: string;
}

/** MISSION.md §3's 4 days and 14 days unless a test run shortens them (production refuses that). */
export interface OpeningWaitConfig {
  openingWaitSeconds: number;
  lateOpeningWindowSeconds: number;
}

/** The payload codec's keys (TEMPORAL_CODEC_KEYS) and the one new payloads are encrypted with. */
export interface PayloadCodecConfig {
  keys: { id: string; key: Buffer }[];
  currentKeyId: string;
}

/** The codec server the Web UI asks to decode payloads (client/codec-server). */
export interface CodecServerConfig {
  port: number;
  authToken: string;
  corsOrigins: string[];
}

export interface Config {
  temporal: TemporalConnectionConfig;
  powerOffice: {
    environment: 'demo' | 'production';
    v1BaseUrl: string;
    v2BaseUrl: string;
    v2TokenUrl: string;
    applicationKey: string;
    subscriptionKey: string;
    v1RequestsPerSecond: number;
    v2RequestsPerSecond: number;
    otherEnvironment?: PowerOfficeEnvironmentConfig;
  };
  clientKeyEncryption: { key: string; keyId: string };
  distributionPartner: { baseUrl: string; apiKey: string };
  ledger: { baseUrl: string; apiKey: string };
  peppolDirectory: { baseUrl: string };
  accessCodeSecret: string;
  /** The wait for an e-mail with link to be opened before the letter, and for a late opening after it. */
  openingWait: OpeningWaitConfig;
  /** metricsPort: its Prometheus endpoint (WEBHOOK_METRICS_PORT), when configured. */
  webhook: { port: number; signingSecret: string; metricsPort?: number };
  codecServer: CodecServerConfig;
  factoringFinans: FactoringFinansSettings;
  log: { level: Env['LOG_LEVEL']; format: Env['LOG_FORMAT'] };
  /** Where the worker reads (and, when it may, writes) its workflow bundle; default .temporal/workflow-bundle. */
  workflowBundleDir?: string;
  maxCachedWorkflows: number;
  /** Seconds between the worker's "worker health" log lines. */
  healthReportSeconds: number;
  /** The worker's Prometheus endpoint (WORKER_METRICS_PORT), when configured. */
  metricsPort?: number;
  /** The Temporal Web UI's address, without a trailing '/' (TEMPORAL_UI_URL). */
  webUiUrl: string;
}

/** What the worker reads: everything but the webhook's port and signing secret. */
export type WorkerConfig = Omit<Config, 'webhook' | 'codecServer'>;
/** What the webhook reads: Temporal and the payload codec, its port and signing secret, logging. */
export type WebhookConfig = Pick<Config, 'temporal' | 'webhook' | 'log'>;
/** What the codec server reads: the payload codec's keys, its port, token and origins, logging. */
export type StandaloneCodecServerConfig = Pick<Config, 'codecServer' | 'log'> & { payloadCodec: PayloadCodecConfig };

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function describeIssue(issue: z.core.$ZodIssue, env: Record<string, string>): [Variable, string] {
  const variable = String(issue.path[0] ?? '(unknown)') as Variable;
  const raw = env[variable];
  const shown = raw === undefined ? 'it is not set' : SECRET_VARIABLES.has(variable) ? 'the value is hidden' : `got "${raw}"`;
  return [variable, `${variable}: ${issue.message} (${shown})`];
}

function tlsConfig(env: Env): TemporalConnectionConfig['tls'] {
  const wantsTls = env.TEMPORAL_TLS ?? (env.TEMPORAL_API_KEY !== undefined || env.TEMPORAL_TLS_CERT_PATH !== undefined);
  if (!wantsTls) return undefined;
  return {
    serverName: env.TEMPORAL_TLS_SERVER_NAME,
    caPath: env.TEMPORAL_TLS_CA_PATH,
    certPath: env.TEMPORAL_TLS_CERT_PATH,
    keyPath: env.TEMPORAL_TLS_KEY_PATH,
  };
}

/** PowerOffice's hosts (reference poweroffice.md §1): demo and production are fully separate. */
const POWEROFFICE_HOSTS = {
  demo: { v1: 'https://api-demo.poweroffice.net/', v2: 'https://goapi.poweroffice.net/Demo/v2/', v2Token: 'https://goapi.poweroffice.net/Demo/OAuth/Token' },
  production: { v1: 'https://api.poweroffice.net/', v2: 'https://goapi.poweroffice.net/v2/', v2Token: 'https://goapi.poweroffice.net/OAuth/Token' },
} as const;

function temporalProblems(env: Env): Map<Variable, string> {
  const problems = new Map<Variable, string>();
  if ((env.TEMPORAL_TLS_CERT_PATH === undefined) !== (env.TEMPORAL_TLS_KEY_PATH === undefined)) {
    const missing = env.TEMPORAL_TLS_CERT_PATH === undefined ? 'TEMPORAL_TLS_CERT_PATH' : 'TEMPORAL_TLS_KEY_PATH';
    problems.set(missing, 'TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH: mTLS needs both the certificate and the key');
  }
  if (env.TEMPORAL_API_KEY !== undefined && env.TEMPORAL_TLS === false) {
    problems.set('TEMPORAL_TLS', 'TEMPORAL_TLS: an API key is only sent over TLS; remove TEMPORAL_TLS=false or the API key');
  }
  return problems;
}

function codecProblems(env: Env): Map<Variable, string> {
  const problems = new Map<Variable, string>();
  const current = env.TEMPORAL_CODEC_CURRENT_KEY_ID;
  if (current !== undefined && !env.TEMPORAL_CODEC_KEYS.some((k) => k.id === current)) {
    const ids = env.TEMPORAL_CODEC_KEYS.map((k) => `"${k.id}"`).join(', ');
    problems.set('TEMPORAL_CODEC_CURRENT_KEY_ID', `TEMPORAL_CODEC_CURRENT_KEY_ID: "${current}" is not one of the keys of TEMPORAL_CODEC_KEYS (${ids})`);
  }
  return problems;
}

function payloadCodecSection(e: Env): PayloadCodecConfig {
  const first = e.TEMPORAL_CODEC_KEYS[0];
  if (!first) throw new ConfigError(['TEMPORAL_CODEC_KEYS: expected at least one key']);
  return { keys: e.TEMPORAL_CODEC_KEYS, currentKeyId: e.TEMPORAL_CODEC_CURRENT_KEY_ID ?? first.id };
}

function codecServerSections(e: Env): StandaloneCodecServerConfig {
  return {
    payloadCodec: payloadCodecSection(e),
    codecServer: { port: e.CODEC_SERVER_PORT, authToken: e.CODEC_SERVER_AUTH_TOKEN, corsOrigins: e.CODEC_SERVER_CORS_ORIGINS },
    log: { level: e.LOG_LEVEL, format: e.LOG_FORMAT },
  };
}

function otherEnvironment(e: Env): { otherEnvironment?: PowerOfficeEnvironmentConfig } {
  if (!e.POWEROFFICE_OTHER_APPLICATION_KEY) return {};
  const name = e.POWEROFFICE_ENVIRONMENT === 'production' ? 'demo' : 'production';
  return {
    otherEnvironment: {
      name,
      v1BaseUrl: e.POWEROFFICE_OTHER_V1_BASE_URL ?? POWEROFFICE_HOSTS[name].v1,
      v2BaseUrl: e.POWEROFFICE_OTHER_V2_BASE_URL ?? POWEROFFICE_HOSTS[name].v2,
      v2TokenUrl: e.POWEROFFICE_OTHER_V2_TOKEN_URL ?? POWEROFFICE_HOSTS[name].v2Token,
      applicationKey: e.POWEROFFICE_OTHER_APPLICATION_KEY,
      subscriptionKey: e.POWEROFFICE_OTHER_SUBSCRIPTION_KEY ?? e.POWEROFFICE_SUBSCRIPTION_KEY,
    },
  };
}

/**
 * The variables `reader` reads, as given. An empty value counts as unset: compose and .env files
 * pass `NAME=` as an empty string, which means "not configured", not "configured as nothing".
 */
function readVariables(env: NodeJS.ProcessEnv, variables: readonly Variable[]): Record<string, string> {
  const read: Record<string, string> = {};
  for (const variable of variables) {
    const value = env[variable];
    if (value !== undefined && value !== '') read[variable] = value;
  }
  return read;
}

const EVERY_VARIABLE = Object.keys(envSchema.shape) as Variable[];

/** One sentence per variable, in the order of the schema (and of README and deploy/.env.example). */
function inSchemaOrder(problems: Map<Variable, string>): string[] {
  return [...problems].sort(([a], [b]) => EVERY_VARIABLE.indexOf(a) - EVERY_VARIABLE.indexOf(b)).map(([, problem]) => problem);
}

/**
 * The parsed variables, or a ConfigError with one sentence per bad variable: the schema's verdict
 * first, then (in production) what production refuses, then the Temporal settings that go together.
 */
function parseEnvironment(env: NodeJS.ProcessEnv, variables: readonly Variable[]): Env {
  const raw = readVariables(env, variables);
  const parsed = envSchema.safeParse(raw);
  const problems = new Map<Variable, string>();
  for (const [variable, problem] of parsed.success ? [] : parsed.error.issues.map((i) => describeIssue(i, raw))) {
    if (!problems.has(variable)) problems.set(variable, problem);
  }
  if (raw.DEPLOYMENT_ENV === 'production') {
    for (const [variable, problem] of productionProblems(variables, raw)) {
      if (!problems.has(variable)) problems.set(variable, problem);
    }
  }
  if (parsed.success) {
    for (const [variable, problem] of [...temporalProblems(parsed.data), ...codecProblems(parsed.data)]) {
      if (!problems.has(variable)) problems.set(variable, problem);
    }
  }
  if (problems.size > 0 || !parsed.success) throw new ConfigError(inSchemaOrder(problems));
  return parsed.data;
}

function temporalSection(e: Env): TemporalConnectionConfig {
  return {
    payloadCodec: payloadCodecSection(e),
    address: e.TEMPORAL_ADDRESS,
    namespace: e.TEMPORAL_NAMESPACE,
    taskQueue: e.TEMPORAL_TASK_QUEUE,
    apiKey: e.TEMPORAL_API_KEY,
    tls: tlsConfig(e),
  };
}

function workerSections(e: Env): WorkerConfig {
  return {
    temporal: temporalSection(e),
    powerOffice: {
      environment: e.POWEROFFICE_ENVIRONMENT,
      v1BaseUrl: e.POWEROFFICE_V1_BASE_URL ?? POWEROFFICE_HOSTS[e.POWEROFFICE_ENVIRONMENT].v1,
      v2BaseUrl: e.POWEROFFICE_V2_BASE_URL ?? POWEROFFICE_HOSTS[e.POWEROFFICE_ENVIRONMENT].v2,
      v2TokenUrl: e.POWEROFFICE_V2_TOKEN_URL ?? POWEROFFICE_HOSTS[e.POWEROFFICE_ENVIRONMENT].v2Token,
      applicationKey: e.POWEROFFICE_APPLICATION_KEY,
      subscriptionKey: e.POWEROFFICE_SUBSCRIPTION_KEY,
      v1RequestsPerSecond: e.POWEROFFICE_V1_REQUESTS_PER_SECOND,
      v2RequestsPerSecond: e.POWEROFFICE_V2_REQUESTS_PER_SECOND,
      ...otherEnvironment(e),
    },
    clientKeyEncryption: { key: e.CLIENT_KEY_ENCRYPTION_KEY, keyId: e.CLIENT_KEY_ENCRYPTION_KEY_ID },
    distributionPartner: { baseUrl: e.DISTRIBUTION_PARTNER_BASE_URL, apiKey: e.DISTRIBUTION_PARTNER_API_KEY },
    ledger: { baseUrl: e.LEDGER_BASE_URL, apiKey: e.LEDGER_API_KEY },
    peppolDirectory: { baseUrl: e.PEPPOL_DIRECTORY_BASE_URL },
    accessCodeSecret: e.ACCESS_CODE_SECRET,
    openingWait: { openingWaitSeconds: e.OPENING_WAIT_SECONDS, lateOpeningWindowSeconds: e.LATE_OPENING_WINDOW_SECONDS },
    factoringFinans: e.FACTORING_FINANS_SETTINGS ?? DEMO_SETTINGS,
    log: { level: e.LOG_LEVEL, format: e.LOG_FORMAT },
    ...(e.WORKFLOW_BUNDLE_DIR ? { workflowBundleDir: e.WORKFLOW_BUNDLE_DIR } : {}),
    maxCachedWorkflows: e.WORKER_MAX_CACHED_WORKFLOWS,
    healthReportSeconds: e.WORKER_HEALTH_REPORT_SECONDS,
    ...(e.WORKER_METRICS_PORT !== undefined ? { metricsPort: e.WORKER_METRICS_PORT } : {}),
    webUiUrl: e.TEMPORAL_UI_URL.replace(/\/+$/, ''),
  };
}

function webhookSections(e: Env): WebhookConfig {
  return {
    temporal: temporalSection(e),
    webhook: {
      port: e.WEBHOOK_PORT,
      signingSecret: e.WEBHOOK_SIGNING_SECRET,
      ...(e.WEBHOOK_METRICS_PORT !== undefined ? { metricsPort: e.WEBHOOK_METRICS_PORT } : {}),
    },
    log: { level: e.LOG_LEVEL, format: e.LOG_FORMAT },
  };
}

/**
 * Parses the environment; throws ConfigError listing every bad variable at once. Without `reader`
 * every variable counts (`npm start`, the commands, tests); with one, only the variables that
 * process reads are checked and demanded (PROCESS_VARIABLES), and only its sections are returned.
 */
export function loadConfig(env?: NodeJS.ProcessEnv): Config;
export function loadConfig(env: NodeJS.ProcessEnv, reader: 'worker'): WorkerConfig;
export function loadConfig(env: NodeJS.ProcessEnv, reader: 'webhook'): WebhookConfig;
export function loadConfig(env: NodeJS.ProcessEnv, reader: 'codecServer'): StandaloneCodecServerConfig;
export function loadConfig(env: NodeJS.ProcessEnv = process.env, reader?: ProcessName): Config | WorkerConfig | WebhookConfig | StandaloneCodecServerConfig {
  if (reader === 'worker') return workerSections(parseEnvironment(env, PROCESS_VARIABLES.worker));
  if (reader === 'webhook') return webhookSections(parseEnvironment(env, PROCESS_VARIABLES.webhook));
  if (reader === 'codecServer') return codecServerSections(parseEnvironment(env, PROCESS_VARIABLES.codecServer));
  const e = parseEnvironment(env, EVERY_VARIABLE);
  return { ...workerSections(e), ...webhookSections(e), ...codecServerSections(e) };
}

/**
 * Only the payload codec's keys, for the tools that talk to Temporal without our configuration
 * (the bench's floor worker, test helpers): with nothing set, the development key every process
 * of `npm start` and the tests share.
 */
export function loadPayloadCodecConfig(env: NodeJS.ProcessEnv = process.env): PayloadCodecConfig {
  return payloadCodecSection(parseEnvironment(env, ['DEPLOYMENT_ENV', 'TEMPORAL_CODEC_KEYS', 'TEMPORAL_CODEC_CURRENT_KEY_ID']));
}

/** The exit code of a refused configuration: a refusal (1), as for every command; 2 is for usage errors. */
export const EXIT_CONFIG_REFUSED = 1;

/**
 * For process entry points that do not use client/command-line.ts: print one sentence per bad
 * variable (no stack) and exit 1. Commands use `configOrRefuse()` there instead.
 */
export function loadConfigOrExit(env?: NodeJS.ProcessEnv): Config;
export function loadConfigOrExit(env: NodeJS.ProcessEnv, reader: 'worker'): WorkerConfig;
export function loadConfigOrExit(env: NodeJS.ProcessEnv, reader: 'webhook'): WebhookConfig;
export function loadConfigOrExit(env: NodeJS.ProcessEnv, reader: 'codecServer'): StandaloneCodecServerConfig;
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env, reader?: ProcessName): Config | WorkerConfig | WebhookConfig | StandaloneCodecServerConfig {
  try {
    if (reader === 'worker') return loadConfig(env, reader);
    if (reader === 'webhook') return loadConfig(env, reader);
    if (reader === 'codecServer') return loadConfig(env, reader);
    return loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(EXIT_CONFIG_REFUSED);
    }
    throw err;
  }
}
