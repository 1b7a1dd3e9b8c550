import { runProjectCommand } from '../helpers/run-command';
import { closedPort, COMMAND_FILES, type CommandName } from './operator-commands';

/**
 * `--help` on every operator command: how to call it, what it does, and every option with a
 * description. Run with Temporal unreachable: asking for help needs no server.
 */
/** Commands with options of their own; `invoice` has subcommands (below). */
const EXPECTED_OPTIONS: Record<Exclude<CommandName, 'invoice'>, string[]> = {
  batch: ['--force', '--json', '--progress-every <seconds>', '-h, --help'],
  'write-back': ['--force', '--client <id>', '--json', '--progress-every <seconds>', '-h, --help'],
  'return-data': ['--force', '--json', '--progress-every <seconds>', '-h, --help'],
  schedules: ['--json', '-h, --help'],
  report: ['--client-id <id>', '--csv', '--json', '-h, --help'],
  'dry-run': ['--client-id <id>', '--csv', '--json', '-h, --help'],
  today: ['--client-id <id>', '--rows <n>', '--json', '-h, --help'],
  'unmatched-payments': ['--json', '-h, --help'],
  webhook: ['--port <port>', '--host <address>', '-h, --help'],
  'codec-server': ['--port <port>', '--host <address>', '-h, --help'],
  emulators: ['-h, --help'],
};

/** The options section of commander's help: each option's flags and the start of its description. */
function optionsOf(help: string): { flags: string; description: string }[] {
  const section = help.split(/^Options:$/m)[1] ?? '';
  return [...section.matchAll(/^ {2}(-\S.*?)(?: {2,}(\S.*))?$/gm)].map((m) => ({ flags: m[1]!.trim(), description: m[2] ?? '' }));
}

describe('--help', () => {
  test.each(Object.keys(EXPECTED_OPTIONS) as (keyof typeof EXPECTED_OPTIONS)[])('npm run -s %s -- --help says how to call it and describes every option', async (command) => {
    const run = await runProjectCommand(COMMAND_FILES[command], ['--help'], { TEMPORAL_ADDRESS: `127.0.0.1:${await closedPort()}` });

    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(new RegExp(`^Usage: npm run -s ${command} -- \\[options\\]\\n\\n\\S`));
    const options = optionsOf(run.stdout);
    expect(options.map((o) => o.flags)).toEqual(EXPECTED_OPTIONS[command]);
    for (const option of options) expect(option.description.length).toBeGreaterThan(10);
  });

  const INVOICE_FINDING = ['--client-id <id>', '--invoice-no <n>', '--kid <kid>'];
  const OPERATOR = ['--by <name>', '--reason <text>', '--json', '-h, --help'];
  const INVOICE_SUBCOMMAND_OPTIONS: Record<string, string[]> = {
    show: [...INVOICE_FINDING, '--json', '-h, --help'],
    retry: [...INVOICE_FINDING, ...OPERATOR],
    resend: [...INVOICE_FINDING, '--channel <channel>', ...OPERATOR],
    'mark-opened': [...INVOICE_FINDING, ...OPERATOR],
    'cancel-letter': [...INVOICE_FINDING, ...OPERATOR],
    withdraw: [...INVOICE_FINDING, ...OPERATOR],
  };

  test.each(Object.keys(INVOICE_SUBCOMMAND_OPTIONS))('npm run -s invoice -- %s --help says how to call it and describes every option', async (subcommand) => {
    const run = await runProjectCommand(COMMAND_FILES.invoice, [subcommand, '--help'], { TEMPORAL_ADDRESS: `127.0.0.1:${await closedPort()}` });

    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(new RegExp(`^Usage: npm run -s invoice -- ${subcommand} \\[options\\]\\n\\n\\S`));
    const options = optionsOf(run.stdout);
    expect(options.map((o) => o.flags)).toEqual(INVOICE_SUBCOMMAND_OPTIONS[subcommand]);
    for (const option of options) expect(option.description.length).toBeGreaterThan(10);
  });

  test('npm run -s invoice without a subcommand lists the subcommands and is a usage error', async () => {
    const run = await runProjectCommand(COMMAND_FILES.invoice, [], { TEMPORAL_ADDRESS: `127.0.0.1:${await closedPort()}` });

    expect(run.code).toBe(2);
    const listed = `${run.stdout}${run.stderr}`;
    expect(listed).toMatch(/^ {2}show \[options\] +The invoice's state/m);
    for (const subcommand of ['retry', 'resend', 'mark-opened', 'cancel-letter', 'withdraw']) expect(listed).toMatch(new RegExp(`^ {2}${subcommand} \\[options\\] +\\S`, 'm'));
  });
});
