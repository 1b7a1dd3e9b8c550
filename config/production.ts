import { isIP } from 'node:net';
import { DEMO_SETTINGS } from '../documents/demo-settings';
import {
  DEFAULT_LATE_OPENING_WINDOW_SECONDS,
  DEMO_CODEC_KEY_ID,
  DEFAULT_OPENING_WAIT_SECONDS,
  envSchema,
  REQUIRED_IN_PRODUCTION,
  SECRET_VARIABLES,
  URL_VARIABLES,
  type Variable,
} from './env-schema';

/**
 * What DEPLOYMENT_ENV=production refuses, beyond the schema: a value left to its demo default, a
 * secret that anyone who read this repository knows (the access code of a demo invoice could then
 * be computed offline, a webhook call forged), and a URL of a local emulator. One sentence per
 * variable, never the secret itself.
 */

const SET_IT = 'DEPLOYMENT_ENV=production needs';

const WHY_REQUIRED_SECRET = 'its default is a published demo value that only the local emulators accept';
const WHY_REQUIRED: Partial<Record<Variable, string>> = {
  POWEROFFICE_ENVIRONMENT: "demo or production; the default, demo, would quietly use PowerOffice's demo",
  CLIENT_KEY_ENCRYPTION_KEY_ID: 'its default names the demo key; name the production key, for example k1',
  DISTRIBUTION_PARTNER_BASE_URL: 'its default is the local emulator',
  LEDGER_BASE_URL: 'its default is the local emulator',
  FACTORING_FINANS_SETTINGS: "its default is the demo's payee and bank account",
  TEMPORAL_CODEC_KEYS: 'its default is the published demo key: every payload in Temporal would be readable by anyone with this repository (id:base64key, openssl rand -base64 32)',
  TEMPORAL_CODEC_CURRENT_KEY_ID: 'name the key new payloads are encrypted with, so a rotation is a deliberate change',
  CODEC_SERVER_CORS_ORIGINS: "the Web UI's origin (for example https://temporal-ui.factoringfinans.no): its default is the local dev server's",
};

/** The development defaults of the secrets, read from the schema so a new default is covered too. */
function schemaDefaults(): string[] {
  const defaults = envSchema.parse({}) as Record<string, unknown>;
  return [...SECRET_VARIABLES].map((v) => defaults[v]).filter((v): v is string => typeof v === 'string');
}

/**
 * Keys and secrets published in this repository: the defaults above, the emulators' seed
 * (emulators/poweroffice/fixtures/demo-company.json, fixture-schema.ts, emulators/start.ts) and the
 * test helpers (test/helpers/service.ts). test/config.test.ts checks each source against this list.
 */
export const PUBLISHED_DEMO_SECRETS: ReadonlySet<string> = new Set([
  ...schemaDefaults(),
  'demo-client-key-1001',
  'demo-client-key-1002',
  'emulator-subscription-key',
  'test-application-key',
  'test-subscription-key',
  'test-partner-key',
  'test-ledger-key',
  'test-webhook-signing-secret',
]);

/** Words that mark a placeholder or a test value when they stand alone between separators. */
const PLACEHOLDER_WORDS = new Set(['demo', 'test', 'testing', 'emulator', 'example', 'sample', 'dummy', 'fake', 'changeme', 'placeholder', 'insecure']);

function isPlaceholder(value: string): boolean {
  const words = value.toLowerCase().split(/[^a-z0-9]+/);
  return words.some((word) => PLACEHOLDER_WORDS.has(word)) || /^(.)\1*$/.test(value) || /^(x+|change[-_ ]?me|secret|password|12345.*)$/i.test(value);
}

/** Ports the emulators and `npm start` listen on by default (scripts/start.ts DEMO_*_PORT). */
export const EMULATOR_PORTS: ReadonlySet<number> = new Set([4010, 4011, 4020, 4030, 4040, 4050, 4060]);

/** Where a URL points at this machine: loopback or "any address" (URL keeps IPv6 in brackets). */
function isLocalHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.') || host === '0.0.0.0';
  if (isIP(host) === 6) return host === '::1' || host === '::' || /^::ffff:(7f|127\.)/.test(host);
  return false;
}

/** Why a URL is an emulator's, or undefined. Names the host and port only, never credentials. */
function emulatorUrlReason(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined; // the schema has reported it already
  }
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const where = `${url.hostname}:${port}`;
  if (isLocalHost(url.hostname)) return `points at this machine (${where}), where only the local emulators run`;
  if (EMULATOR_PORTS.has(port)) return `points at port ${port}, an emulator's port (${where})`;
  if (url.pathname.includes('/_emulator')) return `points at an emulator's admin API (${where})`;
  return undefined;
}

function demoEncryptionKey(value: string): string | undefined {
  const bytes = Buffer.from(value, 'base64');
  const demo = Buffer.from(String(envSchema.shape.CLIENT_KEY_ENCRYPTION_KEY.parse(undefined)), 'base64');
  if (bytes.equals(demo)) return 'is the published demo key';
  // 32 random bytes are all printable ASCII with a chance of about 1 in 10^14: this is a phrase.
  if (bytes.length === 32 && bytes.every((b) => b >= 0x20 && b < 0x7f)) return 'decodes to readable text, not 32 random bytes';
  return undefined;
}

/** The first codec key that is the demo key or text rather than random bytes; names only its id. */
function demoCodecKey(value: string): string | undefined {
  const parsed = envSchema.shape.TEMPORAL_CODEC_KEYS.safeParse(value);
  if (!parsed.success) return undefined; // the schema has reported it already
  const demo = envSchema.shape.TEMPORAL_CODEC_KEYS.parse(undefined)[0]?.key;
  for (const { id, key } of parsed.data) {
    if (id === DEMO_CODEC_KEY_ID || (demo && key.equals(demo))) return `key "${id}" is the published demo key`;
    if (key.every((b) => b >= 0x20 && b < 0x7f)) return `key "${id}" decodes to readable text, not 32 random bytes`;
  }
  return undefined;
}

function secretProblem(variable: Variable, value: string): string | undefined {
  const why =
    variable === 'CLIENT_KEY_ENCRYPTION_KEY'
      ? demoEncryptionKey(value)
      : variable === 'TEMPORAL_CODEC_KEYS'
        ? demoCodecKey(value)
      : PUBLISHED_DEMO_SECRETS.has(value)
        ? 'is a published demo or test value from this repository'
        : isPlaceholder(value)
          ? 'looks like a demo, test or placeholder value'
          : undefined;
  return why && `${variable}: ${why}; ${SET_IT} a secret of Factoring Finans' own (the value is hidden)`;
}

function settingsProblem(value: string): string | undefined {
  const parsed = envSchema.shape.FACTORING_FINANS_SETTINGS.safeParse(value);
  const settings = parsed.success ? parsed.data : undefined;
  if (!settings) return undefined; // the schema has reported it already
  if (settings.organisationNumber === DEMO_SETTINGS.organisationNumber || settings.bankAccount === DEMO_SETTINGS.bankAccount) {
    return `FACTORING_FINANS_SETTINGS: holds the demo organisation number or bank account; ${SET_IT} Factoring Finans' own`;
  }
  return undefined;
}

/**
 * The production problems of the given variables (those the process reads), at most one per
 * variable. `raw` is the environment as given, empty values already removed; it need not pass the
 * schema, so that every problem is reported at once.
 */
export function productionProblems(variables: readonly Variable[], raw: Record<string, string>): Map<Variable, string> {
  const problems = new Map<Variable, string>();
  const reads = new Set(variables);
  for (const variable of REQUIRED_IN_PRODUCTION) {
    if (reads.has(variable) && raw[variable] === undefined) {
      problems.set(variable, `${variable}: must be set when DEPLOYMENT_ENV=production (${WHY_REQUIRED[variable] ?? WHY_REQUIRED_SECRET})`);
    }
  }
  for (const variable of variables) {
    const value = raw[variable];
    if (value === undefined || problems.has(variable)) continue;
    const problem = SECRET_VARIABLES.has(variable)
      ? secretProblem(variable, value)
      : URL_VARIABLES.includes(variable)
        ? urlProblem(variable, value)
        : variable === 'FACTORING_FINANS_SETTINGS'
          ? settingsProblem(value)
          : variable in MISSION_WAITS
            ? waitProblem(variable, value)
          : variable === 'TEMPORAL_CODEC_CURRENT_KEY_ID' && value === DEMO_CODEC_KEY_ID
            ? `TEMPORAL_CODEC_CURRENT_KEY_ID: "${DEMO_CODEC_KEY_ID}" names the demo key; ${SET_IT} a key of its own in TEMPORAL_CODEC_KEYS`
          : variable === 'CLIENT_KEY_ENCRYPTION_KEY_ID' && value === 'demo-1'
            ? `CLIENT_KEY_ENCRYPTION_KEY_ID: "demo-1" names the demo key; ${SET_IT} a name of its own for the production key (for example k1)`
            : undefined;
    if (problem) problems.set(variable, problem);
  }
  return problems;
}

/**
 * The opening wait and the late-opening window are MISSION.md §3's (a letter after 4 days without
 * an opening; a late opening recorded for 14 days after it). They are settings only so that a test
 * run on a server without time skipping (npm run chaos) can take the letter path in minutes.
 */
const MISSION_WAITS: Partial<Record<Variable, { seconds: number; why: string }>> = {
  OPENING_WAIT_SECONDS: { seconds: DEFAULT_OPENING_WAIT_SECONDS, why: 'MISSION.md §3 sends the letter when an e-mail with link is not opened within 4 days' },
  LATE_OPENING_WINDOW_SECONDS: { seconds: DEFAULT_LATE_OPENING_WINDOW_SECONDS, why: 'a late opening is recorded for 14 days after the letter' },
};

function waitProblem(variable: Variable, value: string): string | undefined {
  const rule = MISSION_WAITS[variable];
  // Not a whole number: the schema has reported it already.
  if (!rule || !/^\s*\d+\s*$/.test(value) || Number(value) === rule.seconds) return undefined;
  return `${variable}: DEPLOYMENT_ENV=production takes only ${rule.seconds} (or leave it unset): ${rule.why}; other values are for test runs such as npm run chaos (got "${value.trim()}")`;
}

function urlProblem(variable: Variable, value: string): string | undefined {
  const why = emulatorUrlReason(value);
  return why && `${variable}: ${why}; ${SET_IT} the real service's URL`;
}
