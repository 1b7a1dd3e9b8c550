import { createServer, type Server } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { setClientStatus } from '../../client/onboarding';
import { clientSettingsWorkflowId } from '../../workflows/client-settings-workflow';
import { closedPort, COMMAND_FILES, commandEnvironment, observableState, observableStateSettled, type CommandName } from '../commands/operator-commands';
import { hasStackTrace, runProjectCommand } from '../helpers/run-command';
import { seedWithInvoices, startService, type ServiceUnderTest } from '../helpers/service';
import { startLocalTemporal } from '../helpers/temporal';

/**
 * Bad input to the operator commands (issue 9, "Commands answer like a tool"): each row is what an
 * operator types, the sentence they read, and the exit code; and each shows that nothing was
 * stored, sent or changed.
 *  - Usage errors run with TEMPORAL_ADDRESS at a closed port: they must be answered (exit 2, the
 *    usage message) without any server, so nothing can have been changed.
 *  - Refusals past parsing run against a real dev server, worker and emulators: the workflows in
 *    Temporal and every emulator's records are compared before and after.
 */
interface UsageRow {
  command: CommandName;
  argv: string[];
  /** The first line of stderr, exactly, or a precise part of it. */
  message: string;
  env?: Record<string, string>;
  code?: number;
}

const USAGE_ROWS: UsageRow[] = [
  { command: 'batch', argv: ['--bogus'], message: "error: unknown option '--bogus'" },
  { command: 'batch', argv: ['--force=yes'], message: "error: unknown option '--force=yes'" },
  { command: 'batch', argv: ['tomorrow'], message: 'error: too many arguments. Expected 0 arguments but got 1.' },
  { command: 'batch', argv: ['--progress-every'], message: "error: option '--progress-every <seconds>' argument missing" },
  { command: 'batch', argv: ['--progress-every', '0'], message: "error: option '--progress-every <seconds>' argument '0' is invalid. expected a whole number from 1 to 3600." },
  { command: 'write-back', argv: ['--client'], message: "error: option '--client <id>' argument missing" },
  { command: 'write-back', argv: ['--force=yes'], message: "error: unknown option '--force=yes'" },
  { command: 'write-back', argv: ['--clients', '1001'], message: "error: unknown option '--clients'" },
  { command: 'write-back', argv: ['--client', '1001', 'now'], message: 'error: too many arguments. Expected 0 arguments but got 1.' },
  { command: 'write-back', argv: ['--client', "1001' OR 1=1"], message: "error: option '--client <id>' argument '1001' OR 1=1' is invalid. a client id is 1-40 letters, digits" },
  { command: 'return-data', argv: ['--bogus'], message: "error: unknown option '--bogus'" },
  { command: 'return-data', argv: ['--force=yes'], message: "error: unknown option '--force=yes'" },
  { command: 'return-data', argv: ['now'], message: 'error: too many arguments. Expected 0 arguments but got 1.' },
  { command: 'return-data', argv: ['--json=true'], message: "error: unknown option '--json=true'" },
  { command: 'schedules', argv: ['--bogus'], message: "error: unknown option '--bogus'" },
  { command: 'schedules', argv: ['2027'], message: 'error: too many arguments. Expected 0 arguments but got 1.' },
  { command: 'report', argv: [], message: "error: required option '--client-id <id>' not specified" },
  { command: 'report', argv: ['--client-id'], message: "error: option '--client-id <id>' argument missing" },
  { command: 'report', argv: ['--client-id='], message: "error: option '--client-id <id>' argument '' is invalid. a client id is 1-40 letters, digits" },
  { command: 'report', argv: ['--client-id', '1001', '--csv', '--json'], message: "error: option '--csv' cannot be used with option '--json'" },
  { command: 'report', argv: ['--client-id', '1001', '1002'], message: 'error: too many arguments. Expected 0 arguments but got 1.' },
  { command: 'unmatched-payments', argv: ['--bogus'], message: "error: unknown option '--bogus'" },
  { command: 'today', argv: ['--bogus'], message: "error: unknown option '--bogus'" },
  { command: 'today', argv: ['--rows', '0'], message: "error: option '--rows <n>' argument '0' is invalid. expected a whole number from 1 to 10000." },
  { command: 'today', argv: ['--client-id', "1001' OR 1=1"], message: "error: option '--client-id <id>' argument '1001' OR 1=1' is invalid. a client id is 1-40 letters, digits" },
  { command: 'today', argv: ['yesterday'], message: 'error: too many arguments. Expected 0 arguments but got 1.' },
  { command: 'unmatched-payments', argv: ['--client-id', '1001'], message: "error: unknown option '--client-id'" },
  { command: 'webhook', argv: ['--port', '70000'], message: "error: option '--port <port>' argument '70000' is invalid. expected a whole number from 1 to 65535." },
  { command: 'webhook', argv: ['--bogus'], message: "error: unknown option '--bogus'" },
  { command: 'emulators', argv: ['--bogus'], message: "error: unknown option '--bogus'" },
  // Configuration is checked before any connection: a refusal (exit 1) naming the variable.
  { command: 'webhook', argv: [], env: { WEBHOOK_SIGNING_SECRET: 'short' }, message: 'WEBHOOK_SIGNING_SECRET: at least 16 characters', code: 1 },
];

describe('bad input to the operator commands', () => {
  describe('usage errors are answered without a Temporal server', () => {
    let port: number;
    beforeAll(async () => {
      port = await closedPort();
    });

    test.each(USAGE_ROWS.map((row) => ({ ...row, name: `${Object.entries(row.env ?? {}).map(([k, v]) => `${k}=${v} `).join('')}${row.command} ${row.argv.join(' ')}`.trim() })))('$name → "$message"', async (row) => {
      const run = await runProjectCommand(COMMAND_FILES[row.command], row.argv, { TEMPORAL_ADDRESS: `127.0.0.1:${port}`, ...row.env });

      expect(run.stderr).toContain(row.message);
      expect(run.code).toBe(row.code ?? 2);
      if ((row.code ?? 2) === 2) expect(run.stderr).toContain(`(npm run -s ${row.command} -- --help shows every option)`);
      // Not a refusal to connect: the command never tried, so it changed nothing anywhere.
      expect(run.stderr).not.toContain('Could not reach the Temporal server');
      expect(run.stdout).toBe('');
      expect(hasStackTrace(run.stderr)).toBe(false);
      expect(run.elapsedMs).toBeLessThan(8_000);
    });
  });

  describe('refusals past parsing change nothing in Temporal or at the emulators', () => {
    const ACTIVE = `act${randomUUID().slice(0, 6)}`;
    const DISABLED = `dis${randomUUID().slice(0, 6)}`;
    const REMOVED = `rem${randomUUID().slice(0, 6)}`;
    const NEVER = `nev${randomUUID().slice(0, 6)}`;
    let env: TestWorkflowEnvironment;
    let service: ServiceUnderTest;
    let occupied: Server;
    let occupiedPort: number;
    /** Free ports for the emulators' other listeners, so only the occupied one can be in the way. */
    let freePorts: number[];

    beforeAll(async () => {
      env = await startLocalTemporal();
      const seeds = [seedWithInvoices(2, ACTIVE), seedWithInvoices(2, DISABLED), seedWithInvoices(1, REMOVED)];
      service = await startService(env, { ...seeds[0]!, companies: seeds.flatMap((s) => s.companies) });
      await setClientStatus(env.client, DISABLED, 'Disabled', 'contract ended');
      await env.client.workflow.getHandle(clientSettingsWorkflowId(REMOVED)).terminate('removed by an operator');
      occupied = createServer();
      await new Promise<void>((resolve) => occupied.listen(0, '127.0.0.1', resolve));
      occupiedPort = (occupied.address() as { port: number }).port;
      freePorts = [await closedPort(), await closedPort(), await closedPort(), await closedPort()];
    });
    afterAll(async () => {
      occupied?.close();
      await service?.stop();
      await env?.teardown();
    });

    const ROWS: { name: string; command: CommandName; argv: () => string[]; message: () => string; env?: () => Record<string, string> }[] = [
      {
        name: 'report for a client that was never onboarded',
        command: 'report',
        argv: () => ['--client-id', NEVER],
        message: () => `Client ${NEVER} has not been onboarded: Temporal has no settings workflow client-${NEVER}. Check the id, or onboard the client first (npm run -s onboard).`,
      },
      {
        name: 'report --csv for a client that was never onboarded (the CSV goes to clients)',
        command: 'report',
        argv: () => ['--client-id', NEVER, '--csv'],
        message: () => `Client ${NEVER} has not been onboarded`,
      },
      {
        name: 'report for a disabled client',
        command: 'report',
        argv: () => ['--client-id', DISABLED],
        message: () =>
          `Client ${DISABLED} is disabled: its invoices are neither distributed nor written back. Enable it first (npm run -s onboard -- --client-id ${DISABLED} --enable); --show says why it was disabled.`,
      },
      {
        name: 'report for a client whose settings workflow was terminated',
        command: 'report',
        argv: () => ['--client-id', REMOVED],
        message: () => `Client ${REMOVED} is not set up: its settings workflow client-${REMOVED} is terminated. Onboard the client again (npm run -s onboard).`,
      },
      {
        name: 'write-back for a client that was never onboarded',
        command: 'write-back',
        argv: () => ['--force', '--client', NEVER],
        message: () => `Client ${NEVER} has not been onboarded: Temporal has no settings workflow client-${NEVER}.`,
      },
      {
        name: 'write-back for a known and an unknown client starts nothing for either',
        command: 'write-back',
        argv: () => ['--force', '--client', ACTIVE, '--client', NEVER],
        message: () => `Client ${NEVER} has not been onboarded`,
      },
      {
        name: 'write-back for a disabled client',
        command: 'write-back',
        argv: () => ['--force', '--client', DISABLED],
        message: () => `Client ${DISABLED} is disabled: its invoices are neither distributed nor written back.`,
      },
      {
        name: 'report in a namespace the server does not have',
        command: 'report',
        argv: () => ['--client-id', ACTIVE],
        env: () => ({ TEMPORAL_NAMESPACE: 'no-such-namespace' }),
        message: () => `The Temporal server at ${env.address} has no namespace "no-such-namespace": check TEMPORAL_NAMESPACE.`,
      },
      {
        name: 'webhook start-up on a port already in use',
        command: 'webhook',
        argv: () => ['--host', '127.0.0.1', '--port', String(occupiedPort)],
        message: () => `Port ${occupiedPort} on 127.0.0.1 is already in use: stop what listens there (another npm start?) or choose another port.`,
      },
      {
        name: 'emulators on a port already in use',
        command: 'emulators',
        argv: () => [],
        env: () => ({
          POWEROFFICE_V1_BASE_URL: `http://127.0.0.1:${occupiedPort}/`,
          POWEROFFICE_V2_BASE_URL: `http://127.0.0.1:${freePorts[0]}/v2/`,
          POWEROFFICE_V2_TOKEN_URL: `http://127.0.0.1:${freePorts[0]}/OAuth/Token`,
          DISTRIBUTION_PARTNER_BASE_URL: `http://127.0.0.1:${freePorts[1]}/`,
          LEDGER_BASE_URL: `http://127.0.0.1:${freePorts[2]}/`,
          PEPPOL_DIRECTORY_EMULATOR_PORT: String(freePorts[3]),
        }),
        message: () => `Port ${occupiedPort} on 127.0.0.1 is already in use: stop what listens there (another npm start?) or choose another port.`,
      },
    ];

    test.each(ROWS)('$name: exit 1 with one sentence, nothing changed', async (row) => {
      const before = await observableState(env, service);

      const run = await runProjectCommand(COMMAND_FILES[row.command], row.argv(), { ...commandEnvironment(env, service), ...row.env?.() });

      expect(run.stderr).toContain(row.message());
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(hasStackTrace(run.stderr)).toBe(false);
      expect(await observableStateSettled(env, service)).toEqual(before);
    });
  });
});
