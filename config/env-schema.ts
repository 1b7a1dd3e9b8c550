import { z } from 'zod';
import { factoringFinansSettingsSchema } from '../documents/settings';
import { DEFAULT_MAX_CACHED_WORKFLOWS } from '../worker/worker-tuning';

/**
 * Every environment variable the service reads, with its rule and its development default. Messages
 * are written for the person who set the variable: config.ts puts the variable's name in front.
 */

const hostPort = z
  .string()
  .regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, 'expected host:port, for example localhost:7233');

const booleanFlag = z.enum(['true', 'false', '1', '0'], 'expected true or false').transform((v) => v === 'true' || v === '1');

const httpUrl = z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' });

/** A whole number in [min, max]; one message for every way it can be wrong ("abc", "2.5", "99"). */
function wholeNumber(min: number, max: number, what = 'a whole number'): z.ZodType<number, string> {
  const message = `expected ${what} from ${min} to ${max}`;
  return z
    .string()
    .regex(/^\s*\d+\s*$/, message)
    .transform(Number)
    .pipe(z.number().min(min, message).max(max, message));
}

/** MISSION.md §3's 4 days, in seconds. */
export const DEFAULT_OPENING_WAIT_SECONDS = 4 * 24 * 3600;
/** How long after the letter a late opening is still recorded: 14 days. */
export const DEFAULT_LATE_OPENING_WINDOW_SECONDS = 14 * 24 * 3600;
/** 90 days: a longer wait is a typo, not a setting. */
const MAX_WAIT_SECONDS = 90 * 24 * 3600;

/** `id:base64key,id:base64key`: every key the payload codec may meet (adapters/temporal-codec). */
const codecKeys = z
  .string()
  .transform((raw, ctx) => {
    const keys: { id: string; key: Buffer }[] = [];
    for (const [index, entry] of raw.split(',').map((e) => e.trim()).entries()) {
      const colon = entry.indexOf(':');
      const id = colon === -1 ? '' : entry.slice(0, colon);
      const material = colon === -1 ? '' : entry.slice(colon + 1);
      // Only positions and ids in messages: the key material itself is never repeated.
      if (!/^[A-Za-z0-9_-]{1,32}$/.test(id)) {
        ctx.addIssue({ code: 'custom', message: `entry ${index + 1}: expected id:base64key, the id 1 to 32 letters, digits, - or _` });
        return z.NEVER;
      }
      const key = Buffer.from(material, 'base64');
      if (!/^[A-Za-z0-9+/]+={0,2}$/.test(material) || key.length !== 32) {
        ctx.addIssue({ code: 'custom', message: `key "${id}": expected 32 random bytes, base64-encoded (openssl rand -base64 32)` });
        return z.NEVER;
      }
      if (keys.some((k) => k.id === id)) {
        ctx.addIssue({ code: 'custom', message: `key "${id}" is listed twice` });
        return z.NEVER;
      }
      keys.push({ id, key });
    }
    return keys;
  });

/** The payload codec's development key, published here: production refuses it (config/production.ts). */
export const DEMO_CODEC_KEY_ID = 'demo-codec-1';
export const DEMO_CODEC_KEYS = `${DEMO_CODEC_KEY_ID}:${Buffer.from('demo-only-key-for-temporal-codec').toString('base64')}`;

/** The codec server's development token, published here: production refuses it. */
export const DEMO_CODEC_SERVER_TOKEN = 'demo-codec-server-token';

const secret = (minimum = 1) =>
  z.string().min(minimum, minimum > 1 ? `at least ${minimum} characters` : 'must not be empty');

export const envSchema = z.object({
  /** production: demo and test values of secrets and emulator URLs are refused (config/production.ts). */
  DEPLOYMENT_ENV: z.enum(['development', 'production'], 'expected development or production').default('development'),
  TEMPORAL_ADDRESS: hostPort.default('localhost:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('invoice-distribution'),
  TEMPORAL_API_KEY: secret().optional(),
  TEMPORAL_TLS: booleanFlag.optional(),
  TEMPORAL_TLS_CA_PATH: z.string().min(1).optional(),
  TEMPORAL_TLS_CERT_PATH: z.string().min(1).optional(),
  TEMPORAL_TLS_KEY_PATH: z.string().min(1).optional(),
  TEMPORAL_TLS_SERVER_NAME: z.string().min(1).optional(),
  /** Picks PowerOffice's demo or production hosts; the URL variables below override single hosts. */
  POWEROFFICE_ENVIRONMENT: z.enum(['demo', 'production'], 'expected demo or production').default('demo'),
  POWEROFFICE_V1_BASE_URL: httpUrl.optional(),
  POWEROFFICE_V2_BASE_URL: httpUrl.optional(),
  POWEROFFICE_V2_TOKEN_URL: httpUrl.optional(),
  POWEROFFICE_APPLICATION_KEY: secret().default('demo-application-key'),
  POWEROFFICE_SUBSCRIPTION_KEY: secret().default('demo-subscription-key'),
  /**
   * Optional keys of the *other* PowerOffice environment, used only by onboarding to tell an
   * operator "this client key is from demo, not production" instead of just "refused".
   */
  POWEROFFICE_OTHER_APPLICATION_KEY: secret().optional(),
  POWEROFFICE_OTHER_SUBSCRIPTION_KEY: secret().optional(),
  POWEROFFICE_OTHER_V1_BASE_URL: httpUrl.optional(),
  POWEROFFICE_OTHER_V2_BASE_URL: httpUrl.optional(),
  POWEROFFICE_OTHER_V2_TOKEN_URL: httpUrl.optional(),
  /** Seals client keys at rest (AES-256-GCM): 32 random bytes, base64. The default is for the demo only. */
  CLIENT_KEY_ENCRYPTION_KEY: z
    .string()
    .refine((v) => Buffer.from(v, 'base64').length === 32, 'expected 32 random bytes, base64-encoded (openssl rand -base64 32)')
    .default('ZGVtby1vbmx5LWtleS1mb3ItY2xpZW50LWtleXMtISE='),
  /** Names the key, so a rotated key can be told apart from a wrong one. */
  CLIENT_KEY_ENCRYPTION_KEY_ID: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,32}$/, 'expected 1 to 32 letters, digits, - or _')
    .default('demo-1'),
  /**
   * The payload codec's keys (AES-256-GCM): every payload in Temporal (inputs, results, signals,
   * queries, updates, memos, failure details) is encrypted with the current one; the others stay
   * configured as long as payloads written with them may still be read (rotation).
   */
  TEMPORAL_CODEC_KEYS: codecKeys.prefault(DEMO_CODEC_KEYS),
  /** The key new payloads are encrypted with; unset: the first of TEMPORAL_CODEC_KEYS. */
  TEMPORAL_CODEC_CURRENT_KEY_ID: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,32}$/, 'expected 1 to 32 letters, digits, - or _')
    .optional(),
  /** The codec server (client/codec-server): its port, the bearer token it demands, the Web UI origins it answers. */
  CODEC_SERVER_PORT: wholeNumber(1, 65535, 'a port number').default(4060),
  CODEC_SERVER_AUTH_TOKEN: secret(16).default(DEMO_CODEC_SERVER_TOKEN),
  CODEC_SERVER_CORS_ORIGINS: z
    .string()
    .transform((raw, ctx) => {
      const origins = raw.split(',').map((o) => o.trim()).filter((o) => o !== '');
      for (const origin of origins) {
        let url: URL | undefined;
        try {
          url = new URL(origin);
        } catch {
          url = undefined;
        }
        if (!url || !/^https?:$/.test(url.protocol) || url.origin !== origin) {
          ctx.addIssue({ code: 'custom', message: `"${origin}" is not an origin: expected scheme://host[:port], no path, comma-separated` });
          return z.NEVER;
        }
      }
      return origins;
    })
    .default(['http://localhost:8233', 'http://127.0.0.1:8233']),
  /**
   * PowerOffice's limits for the whole deployment (every client, every replica): every replica gets
   * the same value. The Temporal server enforces them across replicas (worker/create-worker.ts).
   */
  POWEROFFICE_V1_REQUESTS_PER_SECOND: wholeNumber(1, 50).default(50),
  POWEROFFICE_V2_REQUESTS_PER_SECOND: wholeNumber(1, 10).default(10),
  DISTRIBUTION_PARTNER_BASE_URL: httpUrl.default('http://localhost:4020/'),
  DISTRIBUTION_PARTNER_API_KEY: secret().default('demo-distribution-key'),
  /** Our factoring ledger (booking, return-data events). */
  LEDGER_BASE_URL: httpUrl.default('http://localhost:4030/'),
  LEDGER_API_KEY: secret().default('demo-ledger-key'),
  /** The PEPPOL directory to ask whether a receiver takes EHF. */
  PEPPOL_DIRECTORY_BASE_URL: httpUrl.default('https://directory.peppol.eu/'),
  /** Derives each invoice's one-time access code (HMAC), so it never needs to be stored. */
  ACCESS_CODE_SECRET: secret(16).default('demo-access-code-secret'),
  /** The webhook (client/webhook): its port and the secret the partner signs with. */
  WEBHOOK_PORT: wholeNumber(1, 65535, 'a port number').default(4040),
  WEBHOOK_SIGNING_SECRET: secret(16).default('demo-webhook-signing-secret'),
  /**
   * The webhook's Prometheus endpoint (GET /metrics), on a port of its own: the webhook's port faces
   * the partner, the metrics only the scraper. Unset: no endpoint.
   */
  WEBHOOK_METRICS_PORT: wholeNumber(1, 65535, 'a port number').optional(),
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
  /**
   * MISSION.md §3: an e-mail with link not opened within 4 days is followed by a letter; a late
   * opening is still recorded for 14 days after it. Shorter only for test runs on a server that does
   * not skip time (npm run chaos); production refuses anything but these (config/production.ts).
   */
  OPENING_WAIT_SECONDS: wholeNumber(1, MAX_WAIT_SECONDS, 'a number of seconds').default(DEFAULT_OPENING_WAIT_SECONDS),
  LATE_OPENING_WINDOW_SECONDS: wholeNumber(1, MAX_WAIT_SECONDS, 'a number of seconds').default(DEFAULT_LATE_OPENING_WINDOW_SECONDS),
  LOG_LEVEL: z
    .enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'], 'expected trace, debug, info, warn, error, fatal or silent')
    .default('info'),
  LOG_FORMAT: z.enum(['json', 'pretty'], 'expected json or pretty').default('json'),
  /** A workflow bundle made ahead of time (worker/bundle-workflows.ts); the container image sets it. */
  WORKFLOW_BUNDLE_DIR: z.string().min(1, 'expected a directory').optional(),
  /**
   * Workflows a worker keeps in memory between their tasks (worker/create-worker.ts says how the
   * default was chosen); one that is evicted is replayed from its history at its next task.
   */
  WORKER_MAX_CACHED_WORKFLOWS: wholeNumber(2, 100_000).default(DEFAULT_MAX_CACHED_WORKFLOWS),
  /** How often the worker logs its memory and what it holds ("worker health", worker/worker-health-report.ts). */
  WORKER_HEALTH_REPORT_SECONDS: wholeNumber(1, 86_400, 'a number of seconds').default(60),
  /**
   * The worker's Prometheus endpoint (GET /metrics, served by the SDK's Rust core): its runtime
   * metrics and ours (README, Metrics). Unset: no endpoint, so several workers on one machine
   * (npm run chaos, the bench) never fight over a port.
   */
  WORKER_METRICS_PORT: wholeNumber(1, 65535, 'a port number').optional(),
  /**
   * The Temporal Web UI as an operator's browser reaches it; `invoice show` links to the invoice's
   * workflow there. Default: the dev server's UI that `npm start` runs (DEMO_UI_PORT 8233).
   */
  TEMPORAL_UI_URL: httpUrl.default('http://localhost:8233'),
});

export type Env = z.infer<typeof envSchema>;
export type Variable = keyof Env;

/** Variables whose values are never echoed back in an error message. */
export const SECRET_VARIABLES: ReadonlySet<Variable> = new Set<Variable>([
  'TEMPORAL_API_KEY',
  'POWEROFFICE_APPLICATION_KEY',
  'POWEROFFICE_SUBSCRIPTION_KEY',
  'POWEROFFICE_OTHER_APPLICATION_KEY',
  'POWEROFFICE_OTHER_SUBSCRIPTION_KEY',
  'CLIENT_KEY_ENCRYPTION_KEY',
  'DISTRIBUTION_PARTNER_API_KEY',
  'LEDGER_API_KEY',
  'ACCESS_CODE_SECRET',
  'WEBHOOK_SIGNING_SECRET',
  'TEMPORAL_CODEC_KEYS',
  'CODEC_SERVER_AUTH_TOKEN',
]);

/** Variables holding a URL of an outside service: in production never a local emulator. */
export const URL_VARIABLES: readonly Variable[] = [
  'POWEROFFICE_V1_BASE_URL',
  'POWEROFFICE_V2_BASE_URL',
  'POWEROFFICE_V2_TOKEN_URL',
  'POWEROFFICE_OTHER_V1_BASE_URL',
  'POWEROFFICE_OTHER_V2_BASE_URL',
  'POWEROFFICE_OTHER_V2_TOKEN_URL',
  'DISTRIBUTION_PARTNER_BASE_URL',
  'LEDGER_BASE_URL',
  'PEPPOL_DIRECTORY_BASE_URL',
];

const TEMPORAL_CONNECTION: readonly Variable[] = [
  'TEMPORAL_ADDRESS',
  'TEMPORAL_NAMESPACE',
  'TEMPORAL_TASK_QUEUE',
  'TEMPORAL_API_KEY',
  'TEMPORAL_TLS',
  'TEMPORAL_TLS_CA_PATH',
  'TEMPORAL_TLS_CERT_PATH',
  'TEMPORAL_TLS_KEY_PATH',
  'TEMPORAL_TLS_SERVER_NAME',
];
/** Every process that talks to Temporal encrypts and decrypts its payloads. */
const PAYLOAD_CODEC: readonly Variable[] = ['TEMPORAL_CODEC_KEYS', 'TEMPORAL_CODEC_CURRENT_KEY_ID'];
const EVERY_PROCESS: readonly Variable[] = ['DEPLOYMENT_ENV', ...TEMPORAL_CONNECTION, ...PAYLOAD_CODEC, 'LOG_LEVEL', 'LOG_FORMAT'];

/**
 * Which variables each deployed process reads. A process validates (and in production demands)
 * only its own, so docker-compose.yml can give each service only its own secrets
 * (test/docker-compose.test.ts checks the file against these lists).
 */
export const PROCESS_VARIABLES = {
  worker: [
    ...EVERY_PROCESS,
    'POWEROFFICE_ENVIRONMENT',
    'POWEROFFICE_V1_BASE_URL',
    'POWEROFFICE_V2_BASE_URL',
    'POWEROFFICE_V2_TOKEN_URL',
    'POWEROFFICE_APPLICATION_KEY',
    'POWEROFFICE_SUBSCRIPTION_KEY',
    'POWEROFFICE_OTHER_APPLICATION_KEY',
    'POWEROFFICE_OTHER_SUBSCRIPTION_KEY',
    'POWEROFFICE_OTHER_V1_BASE_URL',
    'POWEROFFICE_OTHER_V2_BASE_URL',
    'POWEROFFICE_OTHER_V2_TOKEN_URL',
    'POWEROFFICE_V1_REQUESTS_PER_SECOND',
    'POWEROFFICE_V2_REQUESTS_PER_SECOND',
    'CLIENT_KEY_ENCRYPTION_KEY',
    'CLIENT_KEY_ENCRYPTION_KEY_ID',
    'DISTRIBUTION_PARTNER_BASE_URL',
    'DISTRIBUTION_PARTNER_API_KEY',
    'LEDGER_BASE_URL',
    'LEDGER_API_KEY',
    'PEPPOL_DIRECTORY_BASE_URL',
    'ACCESS_CODE_SECRET',
    'FACTORING_FINANS_SETTINGS',
    'OPENING_WAIT_SECONDS',
    'LATE_OPENING_WINDOW_SECONDS',
    'WORKFLOW_BUNDLE_DIR',
    'WORKER_MAX_CACHED_WORKFLOWS',
    'WORKER_HEALTH_REPORT_SECONDS',
    'WORKER_METRICS_PORT',
    // Read by the operator commands, which run with the worker's environment (its image, its deploy/.env).
    'TEMPORAL_UI_URL',
  ],
  webhook: [...EVERY_PROCESS, 'WEBHOOK_PORT', 'WEBHOOK_SIGNING_SECRET', 'WEBHOOK_METRICS_PORT'],
  /** The codec server never talks to Temporal: the keys, its port, token and the UI's origins. */
  codecServer: ['DEPLOYMENT_ENV', ...PAYLOAD_CODEC, 'CODEC_SERVER_PORT', 'CODEC_SERVER_AUTH_TOKEN', 'CODEC_SERVER_CORS_ORIGINS', 'LOG_LEVEL', 'LOG_FORMAT'],
} as const satisfies Record<string, readonly Variable[]>;

export type ProcessName = keyof typeof PROCESS_VARIABLES;

/**
 * Variables production must name itself: their defaults are the published demo values (or the
 * emulators' URLs), or, for POWEROFFICE_ENVIRONMENT, a default that would quietly talk to
 * PowerOffice's demo.
 */
export const REQUIRED_IN_PRODUCTION: readonly Variable[] = [
  'POWEROFFICE_ENVIRONMENT',
  'POWEROFFICE_APPLICATION_KEY',
  'POWEROFFICE_SUBSCRIPTION_KEY',
  'CLIENT_KEY_ENCRYPTION_KEY',
  'CLIENT_KEY_ENCRYPTION_KEY_ID',
  'DISTRIBUTION_PARTNER_BASE_URL',
  'DISTRIBUTION_PARTNER_API_KEY',
  'LEDGER_BASE_URL',
  'LEDGER_API_KEY',
  'ACCESS_CODE_SECRET',
  'WEBHOOK_SIGNING_SECRET',
  'FACTORING_FINANS_SETTINGS',
  'TEMPORAL_CODEC_KEYS',
  'TEMPORAL_CODEC_CURRENT_KEY_ID',
  'CODEC_SERVER_AUTH_TOKEN',
  'CODEC_SERVER_CORS_ORIGINS',
];
