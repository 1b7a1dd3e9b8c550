import { z } from 'zod';
import { DEMO_SETTINGS } from '../documents/demo-settings';
import { factoringFinansSettingsSchema, type FactoringFinansSettings } from '../documents/settings';

/**
 * The one place environment variables are read. Every process (worker, emulators, admin scripts)
 * calls `loadConfig()` at start-up; a bad value stops it with a message naming the variable.
 */

const hostPort = z
  .string()
  .regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, 'expected host:port, for example localhost:7233');

const booleanFlag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const httpUrl = z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' });

/** Variables whose values must never be echoed back in an error message. */
const SECRET_VARIABLES = new Set([
  'TEMPORAL_API_KEY',
  'POWEROFFICE_APPLICATION_KEY',
  'POWEROFFICE_SUBSCRIPTION_KEY',
  'POWEROFFICE_OTHER_APPLICATION_KEY',
  'POWEROFFICE_OTHER_SUBSCRIPTION_KEY',
  'CLIENT_KEY_ENCRYPTION_KEY',
  'DISTRIBUTION_PARTNER_API_KEY',
]);

export const envSchema = z.object({
  /** production: the demo defaults of secrets and partner URLs are refused. */
  DEPLOYMENT_ENV: z.enum(['development', 'production']).default('development'),
  TEMPORAL_ADDRESS: hostPort.default('localhost:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('invoice-distribution'),
  TEMPORAL_API_KEY: z.string().min(1).optional(),
  TEMPORAL_TLS: booleanFlag.optional(),
  TEMPORAL_TLS_CA_PATH: z.string().min(1).optional(),
  TEMPORAL_TLS_CERT_PATH: z.string().min(1).optional(),
  TEMPORAL_TLS_KEY_PATH: z.string().min(1).optional(),
  TEMPORAL_TLS_SERVER_NAME: z.string().min(1).optional(),
  /** Picks PowerOffice's demo or production hosts; the URL variables below override single hosts. */
  POWEROFFICE_ENVIRONMENT: z.enum(['demo', 'production']).default('demo'),
  POWEROFFICE_V1_BASE_URL: httpUrl.optional(),
  POWEROFFICE_V2_BASE_URL: httpUrl.optional(),
  POWEROFFICE_V2_TOKEN_URL: httpUrl.optional(),
  POWEROFFICE_APPLICATION_KEY: z.string().min(1).default('demo-application-key'),
  POWEROFFICE_SUBSCRIPTION_KEY: z.string().min(1).default('demo-subscription-key'),
  /**
   * Optional keys of the *other* PowerOffice environment, used only by onboarding to tell an
   * operator "this client key is from demo, not production" instead of just "refused".
   */
  POWEROFFICE_OTHER_APPLICATION_KEY: z.string().min(1).optional(),
  POWEROFFICE_OTHER_SUBSCRIPTION_KEY: z.string().min(1).optional(),
  POWEROFFICE_OTHER_V1_BASE_URL: httpUrl.optional(),
  POWEROFFICE_OTHER_V2_BASE_URL: httpUrl.optional(),
  POWEROFFICE_OTHER_V2_TOKEN_URL: httpUrl.optional(),
  /** Seals client keys at rest (AES-256-GCM): 32 random bytes, base64. The default is for the demo only. */
  CLIENT_KEY_ENCRYPTION_KEY: z
    .string()
    .refine((v) => Buffer.from(v, 'base64').length === 32, 'expected 32 random bytes, base64-encoded (openssl rand -base64 32)')
    .default('ZGVtby1vbmx5LWtleS1mb3ItY2xpZW50LWtleXMtISE='),
  /** Names the key, so a rotated key can be told apart from a wrong one. */
  CLIENT_KEY_ENCRYPTION_KEY_ID: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/).default('demo-1'),
  /** Shared by all clients; with several worker replicas give each its share. */
  POWEROFFICE_V1_REQUESTS_PER_SECOND: z.coerce.number().int().min(1).max(50).default(50),
  POWEROFFICE_V2_REQUESTS_PER_SECOND: z.coerce.number().int().min(1).max(10).default(10),
  DISTRIBUTION_PARTNER_BASE_URL: httpUrl.default('http://localhost:4020/'),
  DISTRIBUTION_PARTNER_API_KEY: z.string().min(1).default('demo-distribution-key'),
  /** Our factoring ledger (booking, return-data events). */
  LEDGER_BASE_URL: httpUrl.default('http://localhost:4030/'),
  LEDGER_API_KEY: z.string().min(1).default('demo-ledger-key'),
  /** The PEPPOL directory to ask whether a receiver takes EHF. */
  PEPPOL_DIRECTORY_BASE_URL: httpUrl.default('https://directory.peppol.eu/'),
  /** Derives each invoice's one-time access code (HMAC), so it never needs to be stored. */
  ACCESS_CODE_SECRET: z.string().min(16, 'at least 16 characters').default('demo-access-code-secret'),
  /** The webhook (client/webhook): its port and the secret the partner signs with. */
  WEBHOOK_PORT: z.coerce.number().int().min(1).max(65535).default(4040),
  WEBHOOK_SIGNING_SECRET: z.string().min(16, 'at least 16 characters').default('demo-webhook-signing-secret'),
  /** Factoring Finans itself on every invoice (payee, account, notice), as JSON; demo values by default. */
  FACTORING_FINANS_SETTINGS: z
    .string()
    .transform((raw, ctx) => {
      try {
        return JSON.parse(raw) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'expected JSON' });
        return z.NEVER;
      }
    })
    .pipe(factoringFinansSettingsSchema)
    .optional(),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['json', 'pretty']).default('json'),
});

export type Env = z.infer<typeof envSchema>;

export interface TemporalConnectionConfig {
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
  webhook: { port: number; signingSecret: string };
  factoringFinans: FactoringFinansSettings;
  log: { level: Env['LOG_LEVEL']; format: Env['LOG_FORMAT'] };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function describeIssue(issue: z.core.$ZodIssue, env: NodeJS.ProcessEnv): string {
  const variable = String(issue.path[0] ?? '(unknown)');
  const raw = env[variable];
  const shown = raw === undefined ? 'it is not set' : SECRET_VARIABLES.has(variable) ? 'the value is hidden' : `got "${raw}"`;
  return `${variable}: ${issue.message} (${shown})`;
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

/** Defaults that only the local emulators accept; production must name the real values. */
const REQUIRED_IN_PRODUCTION = [
  'POWEROFFICE_APPLICATION_KEY',
  'POWEROFFICE_SUBSCRIPTION_KEY',
  'CLIENT_KEY_ENCRYPTION_KEY',
  'DISTRIBUTION_PARTNER_BASE_URL',
  'DISTRIBUTION_PARTNER_API_KEY',
  'LEDGER_BASE_URL',
  'LEDGER_API_KEY',
  'ACCESS_CODE_SECRET',
  'WEBHOOK_SIGNING_SECRET',
  'FACTORING_FINANS_SETTINGS',
] as const;

/** PowerOffice's hosts (reference poweroffice.md §1): demo and production are fully separate. */
const POWEROFFICE_HOSTS = {
  demo: { v1: 'https://api-demo.poweroffice.net/', v2: 'https://goapi.poweroffice.net/Demo/v2/', v2Token: 'https://goapi.poweroffice.net/Demo/OAuth/Token' },
  production: { v1: 'https://api.poweroffice.net/', v2: 'https://goapi.poweroffice.net/v2/', v2Token: 'https://goapi.poweroffice.net/OAuth/Token' },
} as const;

function crossFieldProblems(env: Env, raw: NodeJS.ProcessEnv): string[] {
  const problems: string[] = [];
  if (env.DEPLOYMENT_ENV === 'production') {
    for (const variable of REQUIRED_IN_PRODUCTION) {
      if (!raw[variable]) problems.push(`${variable}: must be set when DEPLOYMENT_ENV=production (the default only works with the local emulators)`);
    }
  }
  if ((env.TEMPORAL_TLS_CERT_PATH === undefined) !== (env.TEMPORAL_TLS_KEY_PATH === undefined)) {
    problems.push('TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH: mTLS needs both the certificate and the key');
  }
  if (env.TEMPORAL_API_KEY !== undefined && env.TEMPORAL_TLS === false) {
    problems.push('TEMPORAL_TLS: an API key is only sent over TLS; remove TEMPORAL_TLS=false or the API key');
  }
  return problems;
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

/** Parses the environment; throws ConfigError listing every bad variable at once. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((i) => describeIssue(i, env)));
  const e = parsed.data;
  const problems = crossFieldProblems(e, env);
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      apiKey: e.TEMPORAL_API_KEY,
      tls: tlsConfig(e),
    },
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
    webhook: { port: e.WEBHOOK_PORT, signingSecret: e.WEBHOOK_SIGNING_SECRET },
    factoringFinans: e.FACTORING_FINANS_SETTINGS ?? DEMO_SETTINGS,
    log: { level: e.LOG_LEVEL, format: e.LOG_FORMAT },
  };
}

/** For process entry points: print the problems and exit instead of a stack trace. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  try {
    return loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
}
