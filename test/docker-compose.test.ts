import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { PROCESS_VARIABLES } from '../config/config';
import { REQUIRED_IN_PRODUCTION, SECRET_VARIABLES } from '../config/env-schema';
import { allSearchAttributes } from '../workflows/search-attributes';
import { productionEnvironment } from './helpers/production-environment';

const root = path.resolve(__dirname, '..');
const composeFile = path.join(root, 'docker-compose.yml');
const envExample = path.join(root, 'deploy', '.env.example');
const requiredServices = ['postgresql', 'temporal', 'temporal-ui', 'worker'];

/** True when a docker client with the compose plugin is on PATH (no engine needed for `config`). */
function dockerComposeAvailable(): boolean {
  const probe = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8', timeout: 30_000 });
  return probe.error === undefined && probe.status === 0;
}

/** `docker compose` on the file, given every secret an operator's deploy/.env would (no other .env). */
function dockerCompose(args: string[]): string {
  return execFileSync('docker', ['compose', '-f', composeFile, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...stackEnvironment() },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 60_000,
  });
}

/** Replaces ${VAR:-default} / ${VAR-default} by the default and ${VAR} / ${VAR:?msg} by nothing. */
function withDefaults(text: string): string {
  return text.replace(/\$\{[A-Za-z_][A-Za-z0-9_]*(?::?-([^}]*))?(?::?\?[^}]*)?\}/g, (_match, fallback?: string) => fallback ?? '');
}

/** The `image:` values of uncommented lines, with interpolation defaults applied. */
function imageReferences(composeText: string): string[] {
  const images: string[] = [];
  for (const match of composeText.matchAll(/^[ \t]*image:[ \t]*(\S+)[ \t]*$/gm)) {
    const raw = match[1];
    if (raw !== undefined) images.push(withDefaults(raw.replace(/^["']|["']$/g, '')));
  }
  return images;
}

/** The explicit tag of an image reference (`repo/name:tag[@digest]`), or undefined if it has none. */
function imageTag(reference: string): string | undefined {
  const withoutDigest = reference.split('@')[0] ?? '';
  const nameStart = withoutDigest.lastIndexOf('/') + 1;
  const colon = withoutDigest.indexOf(':', nameStart);
  return colon === -1 ? undefined : withoutDigest.slice(colon + 1);
}

function unpinnedImages(images: string[]): string[] {
  return images.filter((image) => {
    const tag = imageTag(image);
    return tag === undefined || tag === '' || tag === 'latest' || !/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag);
  });
}

/** "ClientId=Keyword InvoiceNo=Int ..." from the temporal-namespace job, normalised for comparison. */
function composeSearchAttributes(composeText: string): string[] {
  const list = /^[ \t]*TEMPORAL_SEARCH_ATTRIBUTES:[ \t]*"([^"]*)"/m.exec(composeText)?.[1] ?? '';
  return list
    .split(/\s+/)
    .filter((pair) => pair !== '')
    .map((pair) => pair.replace(/_/g, '').toLowerCase())
    .sort();
}

test('the production docker-compose.yml is valid for the docker client', () => {
  expect(existsSync(composeFile)).toBe(true);
  const composeText = readFileSync(composeFile, 'utf8');

  // Both with and without docker: the file's own text.
  const images = imageReferences(composeText);
  expect(images.length).toBeGreaterThanOrEqual(4);
  expect(unpinnedImages(images)).toEqual([]);
  // `^  <name>:` lines: the services (and other two-space keys such as named volumes).
  const twoSpaceKeys = [...composeText.matchAll(/^ {2}([A-Za-z0-9._-]+):[ \t]*$/gm)].map((match) => match[1]);
  expect(twoSpaceKeys).toEqual(expect.arrayContaining(requiredServices));
  // The namespace job registers exactly the search attributes the workflows use.
  expect(composeSearchAttributes(composeText)).toEqual(
    allSearchAttributes.map((key) => `${key.name}=${key.type}`.replace(/_/g, '').toLowerCase()).sort(),
  );

  if (!dockerComposeAvailable()) {
    console.warn(
      '`docker compose config` was not available (no docker client with the compose plugin on PATH): ' +
        'checked docker-compose.yml as text only.',
    );
    return;
  }

  // Throws, with compose's error message, if the file is invalid.
  dockerCompose(['config', '-q']);
  // The documented environment file must be accepted as well, once its secrets are filled in.
  expect(existsSync(envExample)).toBe(true);
  dockerCompose(['--env-file', envExample, 'config', '-q']);

  // The images compose actually resolves (interpolation applied by compose itself).
  const resolvedImages = dockerCompose(['config', '--images'])
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  expect(resolvedImages.length).toBeGreaterThanOrEqual(4);
  expect(unpinnedImages(resolvedImages)).toEqual([]);

  const services = dockerCompose(['config', '--services'])
    .split('\n')
    .map((line) => line.trim());
  expect(services).toEqual(expect.arrayContaining(requiredServices));
});

/**
 * The stack's resolved model, as `docker compose config --format json` prints it for `env` (and no
 * .env file). Without the compose plugin, the same from the file itself: YAML with merge keys, then
 * compose's interpolation rules on every string (${VAR}, ${VAR:-default}, ${VAR:?message}, $$), and
 * `VAR:` without a value taken from `env` or left out, as compose does.
 */
interface ComposeModel {
  services: Record<string, { environment?: Record<string, string | null> }>;
}

class ComposeRefused extends Error {}

function resolvedCompose(env: Record<string, string | undefined>): ComposeModel {
  const environment = { PATH: process.env.PATH, HOME: process.env.HOME, ...env };
  if (dockerComposeAvailable()) {
    const emptyEnvFile = path.join(mkdtempSync(path.join(tmpdir(), 'compose-')), 'empty.env');
    writeFileSync(emptyEnvFile, '');
    const run = spawnSync('docker', ['compose', '-f', composeFile, '--env-file', emptyEnvFile, 'config', '--format', 'json'], {
      cwd: root,
      encoding: 'utf8',
      env: environment,
      timeout: 60_000,
    });
    rmSync(path.dirname(emptyEnvFile), { recursive: true, force: true });
    if (run.status !== 0) throw new ComposeRefused(run.stderr);
    return JSON.parse(run.stdout) as ComposeModel;
  }
  return interpolated(parseYaml(readFileSync(composeFile, 'utf8'), { merge: true }), environment) as ComposeModel;
}

function interpolated(node: unknown, env: Record<string, string | undefined>): unknown {
  if (typeof node === 'string') return interpolate(node, env);
  if (Array.isArray(node)) return node.map((item) => interpolated(item, env));
  if (node && typeof node === 'object') {
    const result: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      const isMap = key === 'environment' && value !== null && typeof value === 'object' && !Array.isArray(value);
      result[key] = isMap ? resolveEnvironment(value as Record<string, unknown>, env) : interpolated(value, env);
    }
    return result;
  }
  return node;
}

/** `VAR:` with no value is taken from the environment compose runs in, and left out when unset there. */
function resolveEnvironment(raw: Record<string, unknown>, env: Record<string, string | undefined>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(raw)) {
    const resolved = value === null ? env[name] : interpolated(value, env);
    if (resolved !== undefined && resolved !== null) result[name] = resolved;
  }
  return result;
}

function interpolate(text: string, env: Record<string, string | undefined>): string {
  return text.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])([^}]*))?\}/g, (match, name?: string, colon?: string, op?: string, arg?: string) => {
    if (match === '$$' || name === undefined) return '$';
    const value = env[name];
    const unset = value === undefined || (colon === ':' && value === '');
    if (op === '-') return unset ? (arg ?? '') : value;
    if (op === '?') {
      if (unset) throw new ComposeRefused(`required variable ${name} is missing a value: ${arg ?? ''}`);
      return value;
    }
    return value ?? '';
  });
}

/** A distinct, recognisable value for every secret, so each can be traced to the services that get it. */
const SECRET_VALUES: Record<string, string> = {
  ...Object.fromEntries(
    Object.entries(productionEnvironment()).filter((entry): entry is [string, string] => (SECRET_VARIABLES as ReadonlySet<string>).has(entry[0]) && entry[1] !== undefined),
  ),
  TEMPORAL_API_KEY: 'tk_8Fq2Lx7Mc4Vz1Nb6',
  POWEROFFICE_OTHER_APPLICATION_KEY: '0b7e6f45-a1b2-4c3d-94e5-f6a7b8c9d0e1',
  POWEROFFICE_OTHER_SUBSCRIPTION_KEY: 'c3d4e5f6a7b8c9d00b7e6f45a1b2c3d4',
  POSTGRES_PASSWORD: 'Pg_5tR0ng-Pa55w0rd_2026',
};

/** Everything the stack needs to start in production, as an operator's deploy/.env would give it. */
const stackEnvironment = () => ({ ...productionEnvironment({ TEMPORAL_ADDRESS: undefined }), ...SECRET_VALUES });

function secretsIn(service: { environment?: Record<string, string | null> }): string[] {
  const values = Object.values(service.environment ?? {});
  return Object.entries(SECRET_VALUES)
    .filter(([, secret]) => values.some((value) => value !== null && value.includes(secret)))
    .map(([name]) => name)
    .sort();
}

describe('the secrets of the production stack', () => {
  const model = () => resolvedCompose(stackEnvironment());

  test("the webhook's environment holds none of the worker's secrets, only its own", () => {
    const webhook = model().services.webhook ?? {};
    expect(secretsIn(webhook)).toEqual(['TEMPORAL_API_KEY', 'TEMPORAL_CODEC_KEYS', 'WEBHOOK_SIGNING_SECRET']);
    expect(Object.keys(webhook.environment ?? {}).filter((name) => !(PROCESS_VARIABLES.webhook as readonly string[]).includes(name))).toEqual([]);
  });

  test('each service gets exactly the secrets of the process it runs', () => {
    const services = model().services;
    const secrets = Object.fromEntries(Object.entries(services).map(([name, service]) => [name, secretsIn(service)]));
    expect(secrets).toEqual({
      postgresql: ['POSTGRES_PASSWORD'],
      'temporal-schema': ['POSTGRES_PASSWORD'],
      temporal: ['POSTGRES_PASSWORD'],
      'temporal-namespace': [],
      'temporal-ui': [],
      'codec-server': ['CODEC_SERVER_AUTH_TOKEN', 'TEMPORAL_CODEC_KEYS'],
      worker: [
        'ACCESS_CODE_SECRET',
        'CLIENT_KEY_ENCRYPTION_KEY',
        'DISTRIBUTION_PARTNER_API_KEY',
        'LEDGER_API_KEY',
        'POWEROFFICE_APPLICATION_KEY',
        'POWEROFFICE_OTHER_APPLICATION_KEY',
        'POWEROFFICE_OTHER_SUBSCRIPTION_KEY',
        'POWEROFFICE_SUBSCRIPTION_KEY',
        'TEMPORAL_API_KEY',
        'TEMPORAL_CODEC_KEYS',
      ],
      webhook: ['TEMPORAL_API_KEY', 'TEMPORAL_CODEC_KEYS', 'WEBHOOK_SIGNING_SECRET'],
      prometheus: [],
    });
  });

  test('the worker, the webhook and the codec server get every variable they need in production, and no other', () => {
    const services = model().services;
    for (const process of ['worker', 'webhook', 'codec-server'] as const) {
      const names = Object.keys(services[process]?.environment ?? {});
      const reads = PROCESS_VARIABLES[process === 'codec-server' ? 'codecServer' : process] as readonly string[];
      expect({ process, unread: names.filter((name) => !reads.includes(name)) }).toEqual({ process, unread: [] });
      const required = REQUIRED_IN_PRODUCTION.filter((name) => reads.includes(name));
      expect({ process, missing: required.filter((name) => !names.includes(name)) }).toEqual({ process, missing: [] });
      expect(services[process]?.environment?.DEPLOYMENT_ENV).toBe('production');
    }
  });

  test('without a database password compose refuses to start, naming the variable', () => {
    const environment: Record<string, string | undefined> = { ...stackEnvironment(), POSTGRES_PASSWORD: undefined };
    expect(() => resolvedCompose(environment)).toThrow(ComposeRefused);
    expect(() => resolvedCompose(environment)).toThrow(/required variable POSTGRES_PASSWORD is missing a value: set POSTGRES_PASSWORD \(the Temporal database password\) in deploy\/\.env/);
    // An empty one, as an unfilled copy of deploy/.env.example gives it, is refused the same way.
    expect(() => resolvedCompose({ ...environment, POSTGRES_PASSWORD: '' })).toThrow(/required variable POSTGRES_PASSWORD is missing a value/);
  });

  test.each(['TEMPORAL_CODEC_KEYS', 'CODEC_SERVER_AUTH_TOKEN', 'POWEROFFICE_APPLICATION_KEY', 'CLIENT_KEY_ENCRYPTION_KEY', 'ACCESS_CODE_SECRET', 'LEDGER_API_KEY', 'WEBHOOK_SIGNING_SECRET', 'FACTORING_FINANS_SETTINGS'])(
    'without %s compose refuses to start, naming it',
    (variable) => {
      expect(() => resolvedCompose({ ...stackEnvironment(), [variable]: undefined })).toThrow(new RegExp(`required variable ${variable} is missing a value: set ${variable}`));
    },
  );

  test('no secret in the compose file has a default value', () => {
    const text = readFileSync(composeFile, 'utf8');
    const withDefault = [...text.matchAll(/\$\{([A-Z_]+):?-/g)].map((match) => match[1] ?? '').filter((name) => name in SECRET_VALUES || name.includes('PASSWORD'));
    expect(withDefault).toEqual([]);
  });
});

test('deploy/.env.example documents every variable the worker, the webhook and the codec server read, unless compose fixes it', () => {
  const example = readFileSync(envExample, 'utf8');
  const compose = readFileSync(composeFile, 'utf8');
  const fixedInCompose = (name: string) => new RegExp(`^\\s+${name}: (?!\\$\\{)\\S`, 'm').test(compose);
  const documented = (name: string) => new RegExp(`^#? ?${name}=`, 'm').test(example);
  const read = [...new Set<string>([...PROCESS_VARIABLES.worker, ...PROCESS_VARIABLES.webhook, ...PROCESS_VARIABLES.codecServer])];
  expect(read.filter((name) => !documented(name) && !fixedInCompose(name))).toEqual([]);
});
