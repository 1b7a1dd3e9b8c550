import { hasStackTrace, runProjectCommand } from '../helpers/run-command';
import { closedPort, COMMAND_FILES, type CommandName } from './operator-commands';

/**
 * With the Temporal server unreachable, every command that needs it says which address it could
 * not reach and what to check, at once (the SDK alone says "Failed to connect before the deadline"
 * after 11-14 s). The goal is under 5 s from the operator's Enter to the sentence; the test allows
 * 8 s so a loaded machine does not make it flaky, and prints the measured figure.
 */
const ROWS: { command: CommandName; args: string[] }[] = [
  { command: 'batch', args: ['--force'] },
  { command: 'write-back', args: ['--force', '--client', '1001'] },
  { command: 'return-data', args: ['--force'] },
  { command: 'schedules', args: [] },
  { command: 'report', args: ['--client-id', '1001'] },
  { command: 'dry-run', args: ['--client-id', '1001'] },
  { command: 'unmatched-payments', args: [] },
  { command: 'today', args: [] },
  { command: 'webhook', args: [] },
];

describe('with Temporal down', () => {
  let port: number;
  beforeAll(async () => {
    port = await closedPort();
  });

  test.each(ROWS)('$command $args names the unreachable address and what to check, and exits 1 within seconds', async ({ command, args }) => {
    const webhookPort = String(await closedPort());
    const run = await runProjectCommand(COMMAND_FILES[command], args, { TEMPORAL_ADDRESS: `127.0.0.1:${port}`, WEBHOOK_PORT: webhookPort });

    console.log(`${command} ${args.join(' ')}: refused after ${run.elapsedMs} ms`);
    expect(run.stderr.trim()).toBe(
      `Could not reach the Temporal server at 127.0.0.1:${port} (connection refused). Check that it is running (npm start starts one locally) and that TEMPORAL_ADDRESS is right.`,
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(hasStackTrace(run.stderr)).toBe(false);
    expect(run.elapsedMs).toBeLessThan(8_000);
  });

  test('an unknown Temporal host is named as such', async () => {
    const run = await runProjectCommand(COMMAND_FILES.report, ['--client-id', '1001'], { TEMPORAL_ADDRESS: 'temporal.invalid:7233' });

    expect(run.stderr.trim()).toBe(
      'Could not reach the Temporal server at temporal.invalid:7233 (unknown host). Check that it is running (npm start starts one locally) and that TEMPORAL_ADDRESS is right.',
    );
    expect(run.code).toBe(1);
  });
});
