import { InvalidArgumentError } from 'commander';
import { integerIn, newCommand, runCommand, EXIT_REFUSED } from '../client/command-line';
import { runChaos, type ChaosOptions } from './chaos/campaign';
import { chaosTable } from './chaos/table';

/**
 * `npm run -s chaos`: the chaos campaign anyone can run (issue 10). Brings up its own Temporal dev
 * server, the emulators and N worker processes, runs a batch, the write-back, an OCR import and the
 * return data while it kills workers and the server, restarts emulators and injects upstream
 * faults; then prints one table. Exit 0 only when nothing was lost, nothing duplicated and nothing
 * stuck, and the workers together kept to PowerOffice's rate limits.
 */
function shareOf(value: string): number {
  const percent = /^(\d+(?:\.\d+)?)\s*%$/.exec(value.trim());
  const n = percent ? Number(percent[1]) / 100 : Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 0.9) throw new InvalidArgumentError('expected a share from 0 to 0.9 (e.g. 0.2) or a percentage (20%).');
  return n;
}

interface CommandOptions {
  invoices: number;
  workers: number;
  kills: number;
  serverKills: number;
  emulatorRestarts: number;
  faultRate: number;
  seed?: number;
  killWindow?: number;
  settleTimeout: number;
  json?: boolean;
}

const program = newCommand(
  'chaos',
  'Run a chaos campaign on this machine: Temporal dev server, emulators and worker processes of its own; a batch, the write-back, an OCR import and the return data under worker and server kills, emulator restarts and upstream faults. Prints one table; exit 1 on any loss, duplicate or stuck workflow, or when the workers together went over the rate limit of PowerOffice GO.',
)
  .option('--invoices <n>', 'invoices of the campaign client', integerIn(1, 2000), 300)
  .option('--workers <n>', 'worker processes', integerIn(1, 8), 2)
  .option('--kills <n>', 'worker SIGKILLs (each worker is started again)', integerIn(0, 500), 8)
  .option('--server-kills <n>', 'Temporal server kills (restarted on the same SQLite file)', integerIn(0, 50), 1)
  .option('--emulator-restarts <n>', 'restarts of a random emulator: every connection dropped, down 1-3 s, its records kept', integerIn(0, 50), 3)
  .option('--fault-rate <share>', 'share of upstream requests faulted, half after processing where the emulators offer it', shareOf, 0.1)
  .option('--seed <n>', 'random seed (kill gaps, victims); printed so a run can be repeated', integerIn(0, 2 ** 31 - 1))
  .option('--kill-window <seconds>', 'spread the kills over this long (default: 60 s + 0.9 s per invoice, about the workload on this 2-core machine)', integerIn(5, 7200))
  .option('--settle-timeout <seconds>', 'how long to wait for everything to settle after the last kill', integerIn(10, 3600), 300)
  .option('--json', 'print only the report as JSON on stdout (progress goes to stderr)')
  .addHelpText('after', '\nState and logs (server, each worker) stay in .temporal/chaos-<time>-<seed>/ (git-ignored).')
  .action(async (cli: CommandOptions) => {
    const options: ChaosOptions = {
      invoices: cli.invoices,
      workers: cli.workers,
      kills: cli.kills,
      serverKills: cli.serverKills,
      emulatorRestarts: cli.emulatorRestarts,
      faultRate: cli.faultRate,
      seed: cli.seed ?? Math.floor(Math.random() * 2 ** 31),
      killWindowSeconds: cli.killWindow ?? Math.round(60 + cli.invoices * 0.9),
      settleTimeoutSeconds: cli.settleTimeout,
    };
    const say = (line: string) => (cli.json ? console.error(line) : console.log(line));
    const report = await runChaos(options, say);
    if (cli.json) console.log(JSON.stringify(report, null, 2));
    else console.log(`\n${chaosTable(report)}\n\nState and logs: ${report.stateDir}`);
    if (!report.passed) process.exitCode = EXIT_REFUSED;
  });

void runCommand(program);
