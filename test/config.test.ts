import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig, loadConfigOrExit, PROCESS_VARIABLES } from '../config/config';
import { REQUIRED_IN_PRODUCTION, SECRET_VARIABLES } from '../config/env-schema';
import { EMULATOR_PORTS } from '../config/production';
import { DEMO_SETTINGS } from '../documents/demo-settings';
import { powerOfficeSeedSchema } from '../emulators/poweroffice/fixture-schema';
import { APPLICATION_KEY, LEDGER_API_KEY, PARTNER_API_KEY, SUBSCRIPTION_KEY, WEBHOOK_SIGNING_SECRET } from './helpers/service';
import { PRODUCTION_FACTORING_FINANS_SETTINGS, productionEnvironment } from './helpers/production-environment';

const ROOT = join(__dirname, '..');

/** The problems loadConfig reports for `env` (empty when it accepts it). */
function problemsOf(env: Record<string, string | undefined>, reader?: 'worker' | 'webhook'): string[] {
  try {
    if (reader === 'worker') loadConfig(env, 'worker');
    else if (reader === 'webhook') loadConfig(env, 'webhook');
    else loadConfig(env);
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
}

describe('configuration from the environment', () => {
  test('defaults give a working local setup', () => {
    const config = loadConfig({});
    expect(config.temporal).toMatchObject({ address: 'localhost:7233', namespace: 'default', taskQueue: 'invoice-distribution' });
    expect(config.temporal.tls).toBeUndefined();
    expect(config.log).toEqual({ level: 'info', format: 'json' });
  });

  test('a bad Temporal address stops start-up with the variable, the rule and the value', () => {
    expect(() => loadConfig({ TEMPORAL_ADDRESS: 'temporal.example.com' })).toThrow(
      'TEMPORAL_ADDRESS: expected host:port, for example localhost:7233 (got "temporal.example.com")',
    );
  });

  test('every bad variable is reported at once', () => {
    let error: unknown;
    try {
      loadConfig({ LOG_LEVEL: 'loud', DISTRIBUTION_PARTNER_BASE_URL: 'ftp://partner', TEMPORAL_TLS: 'yes' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toContain('LOG_LEVEL');
    expect(problems).toContain('DISTRIBUTION_PARTNER_BASE_URL: expected an http(s) URL (got "ftp://partner")');
    expect(problems).toContain('TEMPORAL_TLS');
  });

  test('a malformed secret is reported without echoing the secret', () => {
    expect(() => loadConfig({ CLIENT_KEY_ENCRYPTION_KEY: 'supersecretvalue' })).toThrow(/CLIENT_KEY_ENCRYPTION_KEY: .*\(the value is hidden\)/);
    expect(() => loadConfig({ CLIENT_KEY_ENCRYPTION_KEY: 'supersecretvalue' })).not.toThrow(/supersecretvalue/);
  });

  test('PowerOffice demo and production hosts come from one setting; a URL variable overrides one host', () => {
    expect(loadConfig({}).powerOffice).toMatchObject({
      environment: 'demo',
      v1BaseUrl: 'https://api-demo.poweroffice.net/',
      v2BaseUrl: 'https://goapi.poweroffice.net/Demo/v2/',
      v2TokenUrl: 'https://goapi.poweroffice.net/Demo/OAuth/Token',
    });
    expect(loadConfig({ POWEROFFICE_ENVIRONMENT: 'production', POWEROFFICE_V1_BASE_URL: 'http://127.0.0.1:4010/' }).powerOffice).toMatchObject({
      v1BaseUrl: 'http://127.0.0.1:4010/',
      v2BaseUrl: 'https://goapi.poweroffice.net/v2/',
      v2TokenUrl: 'https://goapi.poweroffice.net/OAuth/Token',
    });
  });

  test('the shared PowerOffice rate limits cannot be set above what PowerOffice allows', () => {
    expect(() => loadConfig({ POWEROFFICE_V2_REQUESTS_PER_SECOND: '20' })).toThrow(/POWEROFFICE_V2_REQUESTS_PER_SECOND: .*10/);
  });

  test('the client-key encryption key must be 32 bytes of base64', () => {
    expect(() => loadConfig({ CLIENT_KEY_ENCRYPTION_KEY: 'c2hvcnQ=' })).toThrow(/CLIENT_KEY_ENCRYPTION_KEY: expected 32 random bytes, base64-encoded .*\(the value is hidden\)/);
  });

  test("Factoring Finans' own settings must be valid JSON with a valid organisation and account number", () => {
    expect(() => loadConfig({ FACTORING_FINANS_SETTINGS: '{not json' })).toThrow(/FACTORING_FINANS_SETTINGS: expected JSON/);
    const settings = { name: 'Factoring Finans AS', organisationNumber: '123456789', bankAccount: '15031234562', address: { streetName: 'Gate 1', postalZone: '0150', cityName: 'Oslo', countryCode: 'NO' }, email: 'a@b.no' };
    expect(() => loadConfig({ FACTORING_FINANS_SETTINGS: JSON.stringify(settings) })).toThrow(/FACTORING_FINANS_SETTINGS: not a valid Norwegian organisation number/);
    expect(loadConfig({}).factoringFinans.name).toBe('Factoring Finans AS');
  });

  test('an API key turns TLS on, and mTLS needs both certificate and key', () => {
    expect(loadConfig({ TEMPORAL_API_KEY: 'k' }).temporal.tls).toEqual({});
    expect(() => loadConfig({ TEMPORAL_TLS_CERT_PATH: '/certs/client.pem' })).toThrow(/TEMPORAL_TLS_KEY_PATH: mTLS needs both/);
    expect(() => loadConfig({ TEMPORAL_API_KEY: 'k', TEMPORAL_TLS: 'false' })).toThrow(/only sent over TLS/);
  });
});

describe('configuration in production', () => {
  test('every variable left to its demo default is named, one sentence each', () => {
    expect(problemsOf({ DEPLOYMENT_ENV: 'production' })).toEqual([
      "POWEROFFICE_ENVIRONMENT: must be set when DEPLOYMENT_ENV=production (demo or production; the default, demo, would quietly use PowerOffice's demo)",
      'POWEROFFICE_APPLICATION_KEY: must be set when DEPLOYMENT_ENV=production (its default is a published demo value that only the local emulators accept)',
      'POWEROFFICE_SUBSCRIPTION_KEY: must be set when DEPLOYMENT_ENV=production (its default is a published demo value that only the local emulators accept)',
      'CLIENT_KEY_ENCRYPTION_KEY: must be set when DEPLOYMENT_ENV=production (its default is a published demo value that only the local emulators accept)',
      'CLIENT_KEY_ENCRYPTION_KEY_ID: must be set when DEPLOYMENT_ENV=production (its default names the demo key; name the production key, for example k1)',
      'TEMPORAL_CODEC_KEYS: must be set when DEPLOYMENT_ENV=production (its default is the published demo key: every payload in Temporal would be readable by anyone with this repository (id:base64key, openssl rand -base64 32))',
      'TEMPORAL_CODEC_CURRENT_KEY_ID: must be set when DEPLOYMENT_ENV=production (name the key new payloads are encrypted with, so a rotation is a deliberate change)',
      'CODEC_SERVER_AUTH_TOKEN: must be set when DEPLOYMENT_ENV=production (its default is a published demo value that only the local emulators accept)',
      "CODEC_SERVER_CORS_ORIGINS: must be set when DEPLOYMENT_ENV=production (the Web UI's origin (for example https://temporal-ui.factoringfinans.no): its default is the local dev server's)",
      'DISTRIBUTION_PARTNER_BASE_URL: must be set when DEPLOYMENT_ENV=production (its default is the local emulator)',
      'DISTRIBUTION_PARTNER_API_KEY: must be set when DEPLOYMENT_ENV=production (its default is a published demo value that only the local emulators accept)',
      'LEDGER_BASE_URL: must be set when DEPLOYMENT_ENV=production (its default is the local emulator)',
      'LEDGER_API_KEY: must be set when DEPLOYMENT_ENV=production (its default is a published demo value that only the local emulators accept)',
      'ACCESS_CODE_SECRET: must be set when DEPLOYMENT_ENV=production (its default is a published demo value that only the local emulators accept)',
      'WEBHOOK_SIGNING_SECRET: must be set when DEPLOYMENT_ENV=production (its default is a published demo value that only the local emulators accept)',
      "FACTORING_FINANS_SETTINGS: must be set when DEPLOYMENT_ENV=production (its default is the demo's payee and bank account)",
    ]);
  });

  test('a complete production environment with values of its own is accepted', () => {
    const config = loadConfig(productionEnvironment());
    expect(config.powerOffice.environment).toBe('production');
    expect(config.factoringFinans.organisationNumber).toBe(PRODUCTION_FACTORING_FINANS_SETTINGS.organisationNumber);
  });

  test('an empty value counts as unset, as compose passes `NAME=` from an .env file', () => {
    expect(problemsOf(productionEnvironment({ LEDGER_API_KEY: '' }))).toEqual([
      'LEDGER_API_KEY: must be set when DEPLOYMENT_ENV=production (its default is a published demo value that only the local emulators accept)',
    ]);
  });

  test('the default of every secret, set explicitly, is refused like an unset one, without echoing it', () => {
    const defaults = loadConfig({});
    const explicitDefaults = {
      POWEROFFICE_APPLICATION_KEY: defaults.powerOffice.applicationKey,
      POWEROFFICE_SUBSCRIPTION_KEY: defaults.powerOffice.subscriptionKey,
      DISTRIBUTION_PARTNER_API_KEY: defaults.distributionPartner.apiKey,
      LEDGER_API_KEY: defaults.ledger.apiKey,
      ACCESS_CODE_SECRET: defaults.accessCodeSecret,
      WEBHOOK_SIGNING_SECRET: defaults.webhook.signingSecret,
    };
    const problems = problemsOf(productionEnvironment(explicitDefaults));
    expect(problems).toEqual(
      Object.keys(explicitDefaults).map(
        (variable) => `${variable}: is a published demo or test value from this repository; DEPLOYMENT_ENV=production needs a secret of Factoring Finans' own (the value is hidden)`,
      ),
    );
    for (const value of Object.values(explicitDefaults)) expect(problems.join('\n')).not.toContain(value);
  });

  test('the demo client-key encryption key, its id and the demo payee are refused when set explicitly', () => {
    const defaults = loadConfig({});
    expect(
      problemsOf(
        productionEnvironment({
          CLIENT_KEY_ENCRYPTION_KEY: defaults.clientKeyEncryption.key,
          CLIENT_KEY_ENCRYPTION_KEY_ID: defaults.clientKeyEncryption.keyId,
          FACTORING_FINANS_SETTINGS: JSON.stringify(DEMO_SETTINGS),
        }),
      ),
    ).toEqual([
      "CLIENT_KEY_ENCRYPTION_KEY: is the published demo key; DEPLOYMENT_ENV=production needs a secret of Factoring Finans' own (the value is hidden)",
      'CLIENT_KEY_ENCRYPTION_KEY_ID: "demo-1" names the demo key; DEPLOYMENT_ENV=production needs a name of its own for the production key (for example k1)',
      "FACTORING_FINANS_SETTINGS: holds the demo organisation number or bank account; DEPLOYMENT_ENV=production needs Factoring Finans' own",
    ]);
  });

  test("the keys of the emulators' demo seed and of the test helpers are refused", () => {
    const seed = powerOfficeSeedSchema.parse(JSON.parse(readFileSync(join(ROOT, 'emulators/poweroffice/fixtures/demo-company.json'), 'utf8')));
    const emulatorDefaultSubscriptionKey = powerOfficeSeedSchema.parse({ applicationKey: 'x', companies: [] }).subscriptionKey;
    const published = [
      seed.applicationKey,
      seed.subscriptionKey,
      ...seed.companies.map((company) => company.clientKey),
      emulatorDefaultSubscriptionKey,
      APPLICATION_KEY,
      SUBSCRIPTION_KEY,
      PARTNER_API_KEY,
      LEDGER_API_KEY,
      WEBHOOK_SIGNING_SECRET,
    ];
    for (const value of published) {
      expect(problemsOf(productionEnvironment({ POWEROFFICE_APPLICATION_KEY: value }))).toEqual([
        "POWEROFFICE_APPLICATION_KEY: is a published demo or test value from this repository; DEPLOYMENT_ENV=production needs a secret of Factoring Finans' own (the value is hidden)",
      ]);
    }
  });

  test.each([
    ['a test key', 'LEDGER_API_KEY', 'test-key-2'],
    ['a placeholder', 'DISTRIBUTION_PARTNER_API_KEY', 'changeme'],
    ['an example secret', 'ACCESS_CODE_SECRET', 'example-access-code-secret'],
    ['one repeated character', 'WEBHOOK_SIGNING_SECRET', 'xxxxxxxxxxxxxxxxxxxxxxxx'],
  ])('%s is refused as a secret in production', (_what, variable, value) => {
    expect(problemsOf(productionEnvironment({ [variable]: value }))).toEqual([
      `${variable}: looks like a demo, test or placeholder value; DEPLOYMENT_ENV=production needs a secret of Factoring Finans' own (the value is hidden)`,
    ]);
  });

  test('an encryption key that decodes to text is a phrase, not 32 random bytes', () => {
    const phrase = Buffer.from('our-very-own-production-key-2026').toString('base64');
    expect(problemsOf(productionEnvironment({ CLIENT_KEY_ENCRYPTION_KEY: phrase }))).toEqual([
      "CLIENT_KEY_ENCRYPTION_KEY: decodes to readable text, not 32 random bytes; DEPLOYMENT_ENV=production needs a secret of Factoring Finans' own (the value is hidden)",
    ]);
  });

  test.each([
    ['localhost', 'LEDGER_BASE_URL', 'http://localhost:4030/', 'points at this machine (localhost:4030), where only the local emulators run'],
    ['a loopback address', 'DISTRIBUTION_PARTNER_BASE_URL', 'https://127.0.0.2/', 'points at this machine (127.0.0.2:443), where only the local emulators run'],
    ['IPv6 loopback', 'POWEROFFICE_V1_BASE_URL', 'http://[::1]:8080/', 'points at this machine ([::1]:8080), where only the local emulators run'],
    ['any address', 'PEPPOL_DIRECTORY_BASE_URL', 'http://0.0.0.0/', 'points at this machine (0.0.0.0:80), where only the local emulators run'],
    ['an emulator port on another host', 'POWEROFFICE_V2_BASE_URL', 'http://emulators:4011/v2/', "points at port 4011, an emulator's port (emulators:4011)"],
    ["an emulator's admin API", 'POWEROFFICE_V2_TOKEN_URL', 'https://po.internal/_emulator/token', "points at an emulator's admin API (po.internal:443)"],
    ['an emulator for the other environment', 'POWEROFFICE_OTHER_V1_BASE_URL', 'http://localhost:4010/', 'points at this machine (localhost:4010), where only the local emulators run'],
  ])('%s is refused as a URL in production', (_what, variable, url, why) => {
    expect(problemsOf(productionEnvironment({ [variable]: url }))).toEqual([`${variable}: ${why}; DEPLOYMENT_ENV=production needs the real service's URL`]);
  });

  test('a URL with credentials is named by host and port only', () => {
    const [problem] = problemsOf(productionEnvironment({ LEDGER_BASE_URL: 'http://ledger:hunter2@127.0.0.1:4030/' }));
    expect(problem).toBe("LEDGER_BASE_URL: points at this machine (127.0.0.1:4030), where only the local emulators run; DEPLOYMENT_ENV=production needs the real service's URL");
  });

  test("every default port of `npm start`'s emulators and webhook counts as an emulator's", () => {
    const start = readFileSync(join(ROOT, 'scripts/start.ts'), 'utf8');
    const demoPorts = [...start.matchAll(/DEMO_(\w+)_PORT: port\.default\((\d+)\)/g)]
      .filter(([, name]) => name !== 'TEMPORAL' && name !== 'UI')
      .map(([, , port]) => Number(port));
    expect(demoPorts.length).toBeGreaterThanOrEqual(6);
    expect(demoPorts.filter((port) => !EMULATOR_PORTS.has(port))).toEqual([]);
  });

  test('a variable both malformed and demo-like gets one sentence, the schema first', () => {
    expect(problemsOf(productionEnvironment({ ACCESS_CODE_SECRET: 'test' }))).toEqual(['ACCESS_CODE_SECRET: at least 16 characters (the value is hidden)']);
  });

  test('a malformed variable and a demo value are reported together', () => {
    expect(problemsOf(productionEnvironment({ POWEROFFICE_V1_REQUESTS_PER_SECOND: 'abc', LEDGER_API_KEY: 'demo-ledger-key' }))).toEqual([
      'POWEROFFICE_V1_REQUESTS_PER_SECOND: expected a whole number from 1 to 50 (got "abc")',
      "LEDGER_API_KEY: is a published demo or test value from this repository; DEPLOYMENT_ENV=production needs a secret of Factoring Finans' own (the value is hidden)",
    ]);
  });

  test('the worker needs only its own secrets and the webhook only its own', () => {
    const env = productionEnvironment();
    const only = (names: readonly string[]) => Object.fromEntries(names.map((name) => [name, env[name]]));
    expect(problemsOf(only(PROCESS_VARIABLES.worker), 'worker')).toEqual([]);
    expect(problemsOf(only(PROCESS_VARIABLES.webhook), 'webhook')).toEqual([]);
    expect(PROCESS_VARIABLES.webhook).not.toContain('CLIENT_KEY_ENCRYPTION_KEY');
    expect(PROCESS_VARIABLES.worker).not.toContain('WEBHOOK_SIGNING_SECRET');
    // A webhook given none of its secrets is refused, naming them; the worker's variables do not count.
    expect(problemsOf({ DEPLOYMENT_ENV: 'production' }, 'webhook')).toEqual([
      'TEMPORAL_CODEC_KEYS: must be set when DEPLOYMENT_ENV=production (its default is the published demo key: every payload in Temporal would be readable by anyone with this repository (id:base64key, openssl rand -base64 32))',
      'TEMPORAL_CODEC_CURRENT_KEY_ID: must be set when DEPLOYMENT_ENV=production (name the key new payloads are encrypted with, so a rotation is a deliberate change)',
      'WEBHOOK_SIGNING_SECRET: must be set when DEPLOYMENT_ENV=production (its default is a published demo value that only the local emulators accept)',
    ]);
  });

  test('every variable required in production is read by some process, and every secret is hidden in messages', () => {
    const read = new Set<string>([...PROCESS_VARIABLES.worker, ...PROCESS_VARIABLES.webhook, ...PROCESS_VARIABLES.codecServer]);
    expect(REQUIRED_IN_PRODUCTION.filter((v) => !read.has(v))).toEqual([]);
    const secrets = [...SECRET_VARIABLES];
    const problems = problemsOf(productionEnvironment(Object.fromEntries(secrets.map((v) => [v, 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx']))));
    expect(problems.map((problem) => problem.split(':')[0]).sort()).toEqual([...secrets].sort());
    for (const problem of problems) expect(problem).toMatch(/\(the value is hidden\)$/);
    for (const problem of problems) expect(problem).not.toContain('xxxxxxxx');
  });
});

describe('configuration in development', () => {
  test('the published demo values and the emulator URLs stay accepted', () => {
    const config = loadConfig({ POWEROFFICE_APPLICATION_KEY: 'demo-application-key', LEDGER_BASE_URL: 'http://127.0.0.1:4030/', CLIENT_KEY_ENCRYPTION_KEY_ID: 'demo-1' });
    expect(config.ledger.baseUrl).toBe('http://127.0.0.1:4030/');
    expect(config.powerOffice.applicationKey).toBe('demo-application-key');
  });
});

describe('loadConfigOrExit', () => {
  test('a bad environment is a refusal: the sentences on stderr and exit code 1', () => {
    const exit = jest.spyOn(process, 'exit').mockImplementation(() => {
      throw new Error('exited');
    });
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      expect(() => loadConfigOrExit({ WEBHOOK_PORT: 'abc' })).toThrow('exited');
      expect(exit).toHaveBeenCalledWith(1);
      expect(error).toHaveBeenCalledWith('Invalid configuration:\n  - WEBHOOK_PORT: expected a port number from 1 to 65535 (got "abc")');
    } finally {
      exit.mockRestore();
      error.mockRestore();
    }
  });
});
