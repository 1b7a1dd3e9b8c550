import type { RoundFigures, WaitingFigures } from './rounds';
import type { BenchReport, SizeReport } from './run';

/** What `npm run bench` prints: one Markdown table per size and one for the waiting memory, pasteable into the README. */
const one = (digits: number) => (n: number) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const seconds = one(1);
const whole = one(0);

function failures(byCause: Record<string, number>): string {
  const entries = Object.entries(byCause);
  return entries.length === 0 ? '0' : entries.map(([cause, n]) => `${n} ${cause}`).join(', ');
}

type Row = [string, (r: RoundFigures) => string];

const rows: Row[] = [
  ['wall time, batch start to every invoice sent (s)', (r) => seconds(r.wallSeconds)],
  ['invoices/s', (r) => seconds(r.invoicesPerSecond)],
  ['worker CPU (s)', (r) => seconds(r.workerCpuSeconds)],
  ['worker peak RSS (MB)', (r) => whole(r.workerPeakRssMb)],
  ['Temporal server CPU (s)', (r) => seconds(r.serverCpuSeconds)],
  ['bench process CPU: emulators, polling (s)', (r) => seconds(r.benchProcessCpuSeconds)],
  ["batch's largest run: history KB (events)", (r) => `${whole(r.history.largestHistoryBytes / 1024)} (${whole(r.history.largestHistoryEvents)})`],
  ['batch runs', (r) => String(r.history.batchRuns)],
  ['slowest workflow task: scheduled → completed (s)', (r) => one(2)(r.history.slowestTaskSeconds)],
  ['slowest workflow task: started → completed (s)', (r) => one(2)(r.history.slowestTaskProcessingSeconds)],
  ['workflow tasks timed out: start-to-close ("task not found") / sticky schedule-to-start', (r) => `${r.history.taskTimeouts.startToClose} / ${r.history.taskTimeouts.scheduleToStart}`],
  ['workflow tasks failed (cause)', (r) => failures(r.history.taskFailures)],
  ['invoices sent more than once', (r) => (r.duplicateSends === undefined ? '–' : String(r.duplicateSends))],
  ['PowerOffice calls v1 / v2', (r) => (r.powerOffice ? `${whole(r.powerOffice.v1Calls)} / ${whole(r.powerOffice.v2Calls)}` : '–')],
  ['PowerOffice lower bound at the configured rate (s)', (r) => (r.powerOffice ? seconds(r.powerOffice.lowerBoundSeconds) : '–')],
];

function sizeTable(size: SizeReport): string {
  const cell = (runs: RoundFigures[], value: (r: RoundFigures) => string) => runs.map(value).join(' · ');
  const table = [
    ['', `floor (${size.floor.length === 1 ? 'one round' : 'rounds 1 · 2 · …'})`, 'ours'],
    ...rows.map(([label, value]) => [label, cell(size.floor, value), cell(size.ours, value)]),
  ];
  const rates = size.ours[0]?.powerOffice;
  return [
    `${whole(size.invoices)} invoices (EHF): ours / floor per round ${size.ratios.map(one(2)).join(', ')}; median ${one(2)(size.medianRatio)}` +
      (rates ? ` (PowerOffice at ${rates.v1PerSecond} / ${rates.v2PerSecond} requests/s, v1 / v2)` : ''),
    '',
    ...markdown(table),
  ].join('\n');
}

function waitingTable(waiting: WaitingFigures[]): string {
  const table = [
    ['e-mails with link waiting (4 days)', 'until all wait (s)', 'worker RSS then (MB)', 'worker peak RSS (MB)', 'settled: RSS (MB)', 'settled: main thread V8 heap used (MB)', 'settled: workflows cached'],
    ...waiting.map((w) => [
      whole(w.invoices),
      seconds(w.secondsUntilAllWaiting),
      whole(w.workerRssMb),
      whole(w.workerPeakRssMb),
      whole(w.settled.rssMb),
      w.settled.mainHeapUsedMb === null ? 'not reported' : whole(w.settled.mainHeapUsedMb),
      w.settled.cachedWorkflows === null ? 'not reported' : whole(w.settled.cachedWorkflows),
    ]),
  ];
  return markdown(table).join('\n');
}

function markdown(table: string[][]): string[] {
  const widths = table[0]!.map((_, c) => Math.max(...table.map((row) => (row[c] ?? '').length)));
  const line = (row: string[]) => `| ${row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join(' | ')} |`;
  const rule = `| ${widths.map((w, c) => (c === 0 ? '-'.repeat(w) : `${'-'.repeat(Math.max(1, w - 1))}:`)).join(' | ')} |`;
  return [line(table[0]!), rule, ...table.slice(1).map(line)];
}

export function benchTables(report: BenchReport): string {
  return [
    `bench: ${report.options.rounds} round(s) per size, floor and ours alternated, one Temporal dev server, ${report.cpus} CPUs, commit ${report.commit}, ${report.durationSeconds} s in all` +
      (Object.keys(report.options.workerEnvironment).length ? `; our worker with ${Object.entries(report.options.workerEnvironment).map(([k, v]) => `${k}=${v}`).join(' ')}` : ''),
    ...report.sizes.map((size) => `\n${sizeTable(size)}`),
    ...(report.waiting.length ? [`\n${waitingTable(report.waiting)}`] : []),
  ].join('\n');
}
