import { createServer, type Server, type Socket } from 'node:net';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { unreachableTemporal } from '../../client/command-line';
import { loadConfig } from '../../config/config';
import { hasStackTrace, runProjectCommand, type CommandRun } from '../helpers/run-command';
import { productionEnvironment } from '../helpers/production-environment';
import { startLocalTemporal } from '../helpers/temporal';

/**
 * Bad configurations of the worker (`npm run worker`), started as an operator or a container starts
 * it. Each row: the exact sentences a person reads, the exit code, no stack trace, and that nothing
 * started: TEMPORAL_ADDRESS points at a loopback listener that counts connections, and a refused
 * configuration must leave it at zero (the worker stopped before it connected, so it never polled).
 */

/** A TCP listener on loopback that accepts connections, never answers, and counts them. */
interface SilentListener {
  address: string;
  connections(): number;
  close(): Promise<void>;
}

async function silentListener(): Promise<SilentListener> {
  const sockets = new Set<Socket>();
  let count = 0;
  const server: Server = createServer((socket) => {
    count += 1;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    address: `127.0.0.1:${port}`,
    connections: () => count,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A loopback port with nothing listening on it (bound, then released). */
async function closedPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return `127.0.0.1:${port}`;
}

const DEMO_ENCRYPTION_KEY = 'ZGVtby1vbmx5LWtleS1mb3ItY2xpZW50LWtleXMtISE=';
const DEMO_PAYEE = JSON.stringify({
  name: 'Factoring Finans AS',
  organisationNumber: '315123453',
  bankAccount: '15031234562',
  address: { streetName: 'Kirkegata 15', postalZone: '0153', cityName: 'Oslo', countryCode: 'NO' },
  email: 'faktura@factoringfinans.no',
});

const refused = (...sentences: string[]) => `Invalid configuration:\n${sentences.map((s) => `  - ${s}`).join('\n')}`;
const demoSecret = (variable: string) =>
  `${variable}: is a published demo or test value from this repository; DEPLOYMENT_ENV=production needs a secret of Factoring Finans' own (the value is hidden)`;
const emulatorUrl = (variable: string, where: string) =>
  `${variable}: points at this machine (${where}), where only the local emulators run; DEPLOYMENT_ENV=production needs the real service's URL`;

interface Row {
  name: string;
  /** The worker unless named: the webhook checks its own variables the same way. */
  process?: 'worker' | 'webhook';
  /** On top of a complete, valid production environment (test/helpers/production-environment.ts). */
  env: Record<string, string | undefined>;
  args?: string[];
  /** Exactly what the worker prints on stderr. */
  stderr: string;
  exitCode: number;
}

const rows: Row[] = [
  {
    name: 'production with the published demo application key, set explicitly',
    env: { POWEROFFICE_APPLICATION_KEY: 'demo-application-key' },
    stderr: refused(demoSecret('POWEROFFICE_APPLICATION_KEY')),
    exitCode: 1,
  },
  {
    name: "production with the emulator seed's subscription key",
    env: { POWEROFFICE_SUBSCRIPTION_KEY: 'demo-subscription-key' },
    stderr: refused(demoSecret('POWEROFFICE_SUBSCRIPTION_KEY')),
    exitCode: 1,
  },
  {
    name: 'production with the demo access-code secret (every access code computable offline)',
    env: { ACCESS_CODE_SECRET: 'demo-access-code-secret' },
    stderr: refused(demoSecret('ACCESS_CODE_SECRET')),
    exitCode: 1,
  },
  {
    name: "production with the test helpers' partner key",
    env: { DISTRIBUTION_PARTNER_API_KEY: 'test-partner-key' },
    stderr: refused(demoSecret('DISTRIBUTION_PARTNER_API_KEY')),
    exitCode: 1,
  },
  {
    name: 'production with the demo client-key encryption key',
    env: { CLIENT_KEY_ENCRYPTION_KEY: DEMO_ENCRYPTION_KEY },
    stderr: refused("CLIENT_KEY_ENCRYPTION_KEY: is the published demo key; DEPLOYMENT_ENV=production needs a secret of Factoring Finans' own (the value is hidden)"),
    exitCode: 1,
  },
  {
    name: 'production with the ledger key left unset',
    env: { LEDGER_API_KEY: undefined },
    stderr: refused('LEDGER_API_KEY: must be set when DEPLOYMENT_ENV=production (its default is a published demo value that only the local emulators accept)'),
    exitCode: 1,
  },
  {
    name: "production with the demo's payee and bank account",
    env: { FACTORING_FINANS_SETTINGS: DEMO_PAYEE },
    stderr: refused("FACTORING_FINANS_SETTINGS: holds the demo organisation number or bank account; DEPLOYMENT_ENV=production needs Factoring Finans' own"),
    exitCode: 1,
  },
  {
    name: 'production with the ledger emulator on 127.0.0.1',
    env: { LEDGER_BASE_URL: 'http://127.0.0.1:4030/' },
    stderr: refused(emulatorUrl('LEDGER_BASE_URL', '127.0.0.1:4030')),
    exitCode: 1,
  },
  {
    name: 'production with the partner emulator on localhost',
    env: { DISTRIBUTION_PARTNER_BASE_URL: 'http://localhost:4020/' },
    stderr: refused(emulatorUrl('DISTRIBUTION_PARTNER_BASE_URL', 'localhost:4020')),
    exitCode: 1,
  },
  {
    name: 'production with the PowerOffice v2 emulator on ::1',
    env: { POWEROFFICE_V2_BASE_URL: 'http://[::1]:4011/v2/' },
    stderr: refused(emulatorUrl('POWEROFFICE_V2_BASE_URL', '[::1]:4011')),
    exitCode: 1,
  },
  {
    name: 'several demo values at once: one sentence per variable',
    env: { LEDGER_API_KEY: 'demo-ledger-key', LEDGER_BASE_URL: 'http://localhost:4030/', CLIENT_KEY_ENCRYPTION_KEY_ID: 'demo-1' },
    stderr: refused(
      'CLIENT_KEY_ENCRYPTION_KEY_ID: "demo-1" names the demo key; DEPLOYMENT_ENV=production needs a name of its own for the production key (for example k1)',
      emulatorUrl('LEDGER_BASE_URL', 'localhost:4030'),
      demoSecret('LEDGER_API_KEY'),
    ),
    exitCode: 1,
  },
  {
    name: 'a partner URL that is not http(s)',
    env: { DISTRIBUTION_PARTNER_BASE_URL: 'ftp://partner.factoringfinans.no/' },
    stderr: refused('DISTRIBUTION_PARTNER_BASE_URL: expected an http(s) URL (got "ftp://partner.factoringfinans.no/")'),
    exitCode: 1,
  },
  {
    name: 'a ledger URL without a scheme',
    env: { LEDGER_BASE_URL: 'ledger.factoringfinans.no' },
    stderr: refused('LEDGER_BASE_URL: expected an http(s) URL (got "ledger.factoringfinans.no")'),
    exitCode: 1,
  },
  {
    name: 'a rate limit that is not a number',
    env: { POWEROFFICE_V1_REQUESTS_PER_SECOND: 'fifty' },
    stderr: refused('POWEROFFICE_V1_REQUESTS_PER_SECOND: expected a whole number from 1 to 50 (got "fifty")'),
    exitCode: 1,
  },
  {
    name: "a rate limit above PowerOffice's",
    env: { POWEROFFICE_V2_REQUESTS_PER_SECOND: '20' },
    stderr: refused('POWEROFFICE_V2_REQUESTS_PER_SECOND: expected a whole number from 1 to 10 (got "20")'),
    exitCode: 1,
  },
  {
    name: 'a rate limit with a fraction',
    env: { POWEROFFICE_V2_REQUESTS_PER_SECOND: '2.5' },
    stderr: refused('POWEROFFICE_V2_REQUESTS_PER_SECOND: expected a whole number from 1 to 10 (got "2.5")'),
    exitCode: 1,
  },
  {
    name: 'an encryption key of 5 bytes',
    env: { CLIENT_KEY_ENCRYPTION_KEY: 'c2hvcnQ=' },
    stderr: refused('CLIENT_KEY_ENCRYPTION_KEY: expected 32 random bytes, base64-encoded (openssl rand -base64 32) (the value is hidden)'),
    exitCode: 1,
  },
  {
    name: 'an access-code secret too short to keep codes unguessable',
    env: { ACCESS_CODE_SECRET: 'short-secret' },
    stderr: refused('ACCESS_CODE_SECRET: at least 16 characters (the value is hidden)'),
    exitCode: 1,
  },
  {
    name: 'a deployment environment that does not exist',
    env: { DEPLOYMENT_ENV: 'prod' },
    stderr: refused('DEPLOYMENT_ENV: expected development or production (got "prod")'),
    exitCode: 1,
  },
  {
    name: 'a log level that does not exist',
    env: { LOG_LEVEL: 'loud' },
    stderr: refused('LOG_LEVEL: expected trace, debug, info, warn, error, fatal or silent (got "loud")'),
    exitCode: 1,
  },
  {
    name: 'a client certificate without its key',
    env: { TEMPORAL_TLS_CERT_PATH: '/run/secrets/temporal/client.pem' },
    stderr: refused('TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH: mTLS needs both the certificate and the key'),
    exitCode: 1,
  },
  {
    name: 'a malformed rate limit and a demo key together: both named at once',
    env: { POWEROFFICE_V1_REQUESTS_PER_SECOND: '-5', LEDGER_API_KEY: 'demo-ledger-key' },
    stderr: refused('POWEROFFICE_V1_REQUESTS_PER_SECOND: expected a whole number from 1 to 50 (got "-5")', demoSecret('LEDGER_API_KEY')),
    exitCode: 1,
  },
  {
    name: 'the webhook in production with the demo signing secret (every call forgeable)',
    process: 'webhook',
    env: { WEBHOOK_SIGNING_SECRET: 'demo-webhook-signing-secret' },
    stderr: refused(demoSecret('WEBHOOK_SIGNING_SECRET')),
    exitCode: 1,
  },
  {
    name: 'the webhook in production with a port that is not a number',
    process: 'webhook',
    env: { WEBHOOK_PORT: '80a' },
    stderr: refused('WEBHOOK_PORT: expected a port number from 1 to 65535 (got "80a")'),
    exitCode: 1,
  },
  {
    name: 'a metrics port that is not a port',
    env: { WORKER_METRICS_PORT: '70000' },
    stderr: refused('WORKER_METRICS_PORT: expected a port number from 1 to 65535 (got "70000")'),
    exitCode: 1,
  },
  {
    name: 'an unknown option',
    env: {},
    args: ['--task-queue', 'other'],
    stderr: "error: unknown option '--task-queue'\n(npm run -s worker -- --help shows every option)",
    exitCode: 2,
  },
  {
    name: 'a stray argument',
    env: {},
    args: ['start'],
    stderr: "error: too many arguments. Expected 0 arguments but got 1.\n(npm run -s worker -- --help shows every option)",
    exitCode: 2,
  },
];

describe('the worker (and the webhook) refuse a bad configuration before they connect', () => {
  let listener: SilentListener;
  beforeAll(async () => {
    listener = await silentListener();
  });
  afterAll(() => listener.close());

  it.each(rows)('$name', async (row) => {
    const before = listener.connections();
    const file = row.process === 'webhook' ? 'client/webhook/main.ts' : 'worker/main.ts';
    const run = await runProjectCommand(file, row.args ?? [], productionEnvironment({ TEMPORAL_ADDRESS: listener.address, ...row.env }));
    expect({ code: run.code, stderr: run.stderr.trim() }).toEqual({ code: row.exitCode, stderr: row.stderr });
    expect(run.stdout).toBe('');
    expect(hasStackTrace(run.stderr)).toBe(false);
    // Nothing started: the worker never opened a connection to Temporal, so it never polled.
    expect(listener.connections() - before).toBe(0);
  });
});

describe('the worker with Temporal unreachable', () => {
  /** The commands' own sentence (client/command-line.ts): the worker says it the same way. */
  const sentence = (address: string, reason: string) => unreachableTemporal(loadConfig({ TEMPORAL_ADDRESS: address }).temporal, new Error(reason));

  it('names the address and what to check, exit 1, within 5 s, when nothing listens there', async () => {
    const address = await closedPort();
    const run = await runProjectCommand('worker/main.ts', [], productionEnvironment({ TEMPORAL_ADDRESS: address }));
    expectRefusal(run, sentence(address, 'connection refused'));
    expect(run.stderr).toContain(`Temporal server at ${address}`);
    expect(run.stderr).toContain('connection refused');
    expect(run.stderr).toContain('TEMPORAL_ADDRESS');
    expect(run.elapsedMs).toBeLessThan(5_000);
  });

  it('gives up after 3 s when the address accepts connections but never answers', async () => {
    // Also the control of the rows above: a good configuration does connect to the listener.
    const listener = await silentListener();
    try {
      const run = await runProjectCommand('worker/main.ts', [], productionEnvironment({ TEMPORAL_ADDRESS: listener.address }));
      expectRefusal(run, sentence(listener.address, 'deadline exceeded'));
      expect(run.stderr).toContain(`Temporal server at ${listener.address} within 3 s`);
      expect(listener.connections()).toBeGreaterThanOrEqual(1);
      expect(run.elapsedMs).toBeGreaterThanOrEqual(3_000);
      expect(run.elapsedMs).toBeLessThan(8_000);
    } finally {
      await listener.close();
    }
  });

  function expectRefusal(run: CommandRun, expected: string): void {
    expect({ code: run.code, stderr: run.stderr.trim() }).toEqual({ code: 1, stderr: expected });
    expect(hasStackTrace(run.stderr + run.stdout)).toBe(false);
    // No "worker started" line: it refused before creating a worker.
    expect(run.stdout).not.toContain('worker started');
  }
});

describe('the worker against a real Temporal server', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await startLocalTemporal();
  });
  afterAll(() => env?.teardown());

  it('names an unknown namespace in a sentence, exit 1, before it starts', async () => {
    const run = await runProjectCommand(
      'worker/main.ts',
      [],
      productionEnvironment({ TEMPORAL_ADDRESS: env.address, TEMPORAL_NAMESPACE: 'invoices-prod', LOG_LEVEL: 'info' }),
    );
    expect({ code: run.code, stderr: run.stderr.trim() }).toEqual({
      code: 1,
      stderr: `The Temporal server at ${env.address} has no namespace "invoices-prod": check TEMPORAL_NAMESPACE.`,
    });
    expect(hasStackTrace(run.stderr + run.stdout)).toBe(false);
    expect(run.stdout).not.toContain('worker started');
  });
});

describe('the worker explains itself', () => {
  it('--help shows the usage and the exit codes, exit 0, without connecting', async () => {
    const run = await runProjectCommand('worker/main.ts', ['--help'], { TEMPORAL_ADDRESS: await closedPort() });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: npm run -s worker -- [options]');
    expect(run.stdout).toContain('Exit codes: 0 stopped by a signal, 1 refused (bad environment, Temporal unreachable), 2 usage error.');
    expect(run.stderr).toBe('');
  });
});
