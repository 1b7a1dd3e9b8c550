import { InvalidArgumentError, Option } from 'commander';
import { newCommand, runCommand } from '../client/command-line';
import { runBench } from './bench/run';
import { benchTables } from './bench/table';

/**
 * `npm run -s bench`: our batch against a bare Temporal floor (issue 11). Its own Temporal dev
 * server; per size, the floor's batch and ours alternated (floor, ours, floor, ours), each with a
 * worker process of its own whose CPU time and memory are read from /proc; then our worker's memory
 * with N e-mails waiting for their opening. Prints Markdown tables (or `--json`). Figures only:
 * the targets are judged by whoever reads them, not by an exit code.
 */
function sizeList(min: number, max: number): (value: string) => number[] {
  return (value: string) => {
    const sizes = value.split(',').map((part) => part.trim().replace(/_/g, ''));
    if (sizes.length === 0 || sizes.some((s) => !/^\d+$/.test(s) || Number(s) < min || Number(s) > max)) {
      throw new InvalidArgumentError(`expected whole numbers from ${min} to ${max}, separated by commas (e.g. 500,1500).`);
    }
    return sizes.map(Number);
  };
}

/** `NAME=value`, repeatable: our worker's environment on top of the bench's (tuning experiments). */
function workerVariable(value: string, previous: Record<string, string>): Record<string, string> {
  const match = /^([A-Z_][A-Z0-9_]*)=(.*)$/s.exec(value);
  if (!match) throw new InvalidArgumentError('expected NAME=value, e.g. WORKER_MAX_CACHED_WORKFLOWS=500.');
  return { ...previous, [match[1]!]: match[2]! };
}

function rounds(value: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1 || Number(value) > 20) throw new InvalidArgumentError('expected a whole number from 1 to 20.');
  return Number(value);
}

interface CommandOptions {
  sizes: number[];
  rounds: number;
  waiting: number[] | false;
  workerEnv: Record<string, string>;
  json?: boolean;
}

const program = newCommand(
  'bench',
  'Measure our batch against a bare Temporal floor of the same shape on a Temporal dev server of its own: wall time, invoices/s, worker CPU and peak RSS, the batch history and slowest workflow task, PowerOffice calls and the bound they set; then worker memory with invoices waiting for their opening.',
)
  .addOption(new Option('--sizes <n,n,…>', 'batch sizes (EHF invoices of one client)').argParser(sizeList(1, 100_000)).default([500, 1500, 10_000], '500,1500,10000'))
  .option('--rounds <n>', 'alternations per size (floor, ours)', rounds, 2)
  .addOption(new Option('--waiting <n,n,…>', 'e-mails with link left waiting (4 days) for the memory figure').argParser(sizeList(1, 100_000)).default([10_000, 50_000], '10000,50000'))
  .option('--no-waiting', 'skip the waiting-memory figure')
  .option('--worker-env <NAME=value>', "set a variable of our worker's environment, e.g. WORKER_MAX_CACHED_WORKFLOWS=500 or NODE_OPTIONS=--max-old-space-size=512 (repeatable)", workerVariable, {})
  .option('--json', 'print only the report as JSON on stdout (progress goes to stderr)')
  .addHelpText('after', '\nState and worker logs stay in .temporal/bench-<time>/ (git-ignored).')
  .action(async (cli: CommandOptions) => {
    const say = (line: string) => (cli.json ? console.error(line) : console.log(line));
    const report = await runBench({ sizes: cli.sizes, rounds: cli.rounds, waiting: cli.waiting === false ? [] : cli.waiting, workerEnvironment: cli.workerEnv }, say);
    if (cli.json) console.log(JSON.stringify(report, null, 2));
    else console.log(`\n${benchTables(report)}\n\nState and logs: ${report.stateDir}`);
  });

void runCommand(program);
