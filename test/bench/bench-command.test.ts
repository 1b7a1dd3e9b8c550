import { z } from 'zod';
import { runProjectCommand } from '../helpers/run-command';

/**
 * `npm run bench` at a tiny size, so the command cannot rot: its own Temporal dev server, one round
 * of the floor and of our batch with 20 invoices, and 50 e-mails with link left waiting. Shape and
 * presence only: every figure is there and positive, never how fast (no timed assertions; the
 * figures are for a person to read against the targets).
 */
const positive = z.number().positive();
const historySchema = z.object({
  batchRuns: z.number().int().min(1),
  largestHistoryBytes: positive,
  largestHistoryEvents: positive,
  slowestTaskSeconds: positive,
  slowestTaskProcessingSeconds: positive,
  taskTimeouts: z.object({ startToClose: z.number().int().min(0), scheduleToStart: z.number().int().min(0) }),
  taskFailures: z.record(z.string(), z.number().int().positive()),
  childrenSampled: z.literal(20),
});
const roundSchema = z.object({
  round: z.literal(1),
  invoices: z.literal(20),
  wallSeconds: positive,
  invoicesPerSecond: positive,
  workerCpuSeconds: positive,
  workerPeakRssMb: positive,
  serverCpuSeconds: positive,
  benchProcessCpuSeconds: positive,
  history: historySchema,
});
const powerOfficeSchema = z.object({ v1Calls: positive, v2Calls: z.number().int().min(0), v1PerSecond: positive, v2PerSecond: positive, lowerBoundSeconds: positive });
const reportSchema = z.object({
  options: z.object({ sizes: z.tuple([z.literal(20)]), rounds: z.literal(1), waiting: z.tuple([z.literal(50)]), workerEnvironment: z.object({ WORKER_MAX_CACHED_WORKFLOWS: z.literal('40') }) }),
  sizes: z.tuple([
    z.object({
      invoices: z.literal(20),
      floor: z.tuple([roundSchema.extend({ kind: z.literal('floor'), powerOffice: z.undefined().optional() })]),
      ours: z.tuple([roundSchema.extend({ kind: z.literal('ours'), powerOffice: powerOfficeSchema, duplicateSends: z.literal(0) })]),
      ratios: z.tuple([positive]),
      medianRatio: positive,
    }),
  ]),
  waiting: z.tuple([
    z.object({
      invoices: z.literal(50),
      secondsUntilAllWaiting: positive,
      workerRssMb: positive,
      workerPeakRssMb: positive,
      // The heap and cache figures come from the worker's own "worker health" lines: present, so they were read.
      settled: z.object({ afterSeconds: positive, rssMb: positive, mainHeapUsedMb: positive, cachedWorkflows: z.number().int().min(0) }),
    }),
  ]),
  durationSeconds: positive,
});

describe('npm run bench', () => {
  test('20 invoices, one round each of the floor and our batch, 50 waiting: a report with every figure present and positive', async () => {
    const run = await runProjectCommand(
      'scripts/bench.ts',
      ['--sizes', '20', '--rounds', '1', '--waiting', '50', '--worker-env', 'WORKER_MAX_CACHED_WORKFLOWS=40', '--json'],
      { TEMPORAL_CLI_PATH: process.env.TEMPORAL_CLI_PATH, TEMPORAL_VENV_DIR: process.env.TEMPORAL_VENV_DIR },
      { timeoutMs: 300_000 },
    );
    if (run.code !== 0) throw new Error(`npm run bench ended with ${run.code}:\n${run.stderr.slice(-3000)}`);
    const report = reportSchema.parse(JSON.parse(run.stdout));
    const [size] = report.sizes;
    // Every invoice of ours called PowerOffice at least once (InvoiceEhf), and the bound follows from the calls.
    expect(size.ours[0].powerOffice.v1Calls).toBeGreaterThanOrEqual(20);
    expect(size.ours[0].powerOffice.lowerBoundSeconds).toBeCloseTo(Math.max(size.ours[0].powerOffice.v1Calls / 50, size.ours[0].powerOffice.v2Calls / 10), 6);
    expect(size.ratios[0]).toBeCloseTo(size.ours[0].wallSeconds / size.floor[0].wallSeconds, 6);
    // The worker ran with the bench's --worker-env: 50 invoices wait, at most 40 are kept in memory.
    expect(report.waiting[0].settled.cachedWorkflows).toBeLessThanOrEqual(40);
    // Progress went to stderr, the report alone to stdout.
    expect(run.stderr).toContain('20 invoices, round 1/1: the floor');
  }, 360_000);

  test('a --worker-env that is not NAME=value is a usage error (exit 2) with an example', async () => {
    const run = await runProjectCommand('scripts/bench.ts', ['--worker-env', 'cache=500']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('expected NAME=value, e.g. WORKER_MAX_CACHED_WORKFLOWS=500');
  });

  test('a bad size is a usage error (exit 2) naming what is expected', async () => {
    const run = await runProjectCommand('scripts/bench.ts', ['--sizes', '500,abc']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('expected whole numbers from 1 to 100000');
  });
});
