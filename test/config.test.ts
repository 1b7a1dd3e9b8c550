import { ConfigError, loadConfig } from '../config/config';

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
  test('the demo keys and the emulator URL are refused, naming each missing variable', () => {
    let problems: string[] = [];
    try {
      loadConfig({ DEPLOYMENT_ENV: 'production' });
    } catch (err) {
      problems = (err as ConfigError).problems;
    }
    const required = [
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
    ];
    expect(problems).toEqual(required.map((v) => `${v}: must be set when DEPLOYMENT_ENV=production (the default only works with the local emulators)`));
  });
});
