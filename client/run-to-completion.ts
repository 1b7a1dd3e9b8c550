import { ServiceError, WorkflowExecutionAlreadyStartedError, WorkflowFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import type { QueryDefinition } from '@temporalio/common';
import type { Command } from 'commander';
import { nonWorkingReason } from '../domain/norwegian-calendar';
import { osloDate } from '../domain/oslo-time';
import { configOrRefuse, integerIn, Refusal, sentenceOf, withTemporal } from './command-line';
import { progressDisplay, progressIntervalSeconds, type ProgressDisplay } from './progress-display';

/**
 * The commands that start a run by hand (batch, write-back, return data): start it, say which
 * workflow it is (to find in the Web UI), show its progress on stderr while waiting (in place on a
 * terminal, plain lines every ~10 s otherwise), then a readable summary on stdout, or with --json
 * the result as JSON on stdout (everything else on stderr then).
 * A failed run (e.g. refused on a public holiday) is a refusal: its reason, exit 1.
 */
export interface ManualRun<Result> {
  /** The operator's word for it: "batch", "write-back", "return-data run". */
  what: string;
  /** Checks before anything is started (e.g. the named clients exist); throwing refuses. */
  before?: (client: Client) => Promise<void>;
  start: (client: Client, taskQueue: string) => Promise<WorkflowHandle>;
  /** The run's progress query; its answer has the result's shape. */
  progress: QueryDefinition<Result>;
  progressLine: (progress: Result) => string;
  /** Lines under the progress line (e.g. per client); may ask Temporal's visibility. */
  progressDetails?: (progress: Result, client: Client, workflowId: string) => Promise<string[]>;
  summary: (result: Result, workflowId: string) => string[];
}

export interface RunOptions {
  json?: boolean;
  progressEvery: number;
}

interface WaitOptions extends RunOptions {
  taskQueue: string;
}

/** How long a progress query may take before the command says no worker answered. */
const PROGRESS_QUERY_DEADLINE_MS = 5_000;

/** The options every run command shares. */
export function withRunOptions(command: Command): Command {
  return command
    .option('--json', 'print the result as JSON on stdout, for scripts (progress goes to stderr)')
    .option('--progress-every <seconds>', 'while waiting, print the progress this often (on stderr; a terminal updates it in place, at least every 2 s)', integerIn(1, 3600), 10);
}

export async function runToCompletion<Result>(run: ManualRun<Result>, options: RunOptions): Promise<void> {
  const config = configOrRefuse();
  // With --json, stdout is the result only.
  const say = options.json ? (line: string) => console.error(line) : (line: string) => console.log(line);
  await withTemporal(config.temporal, async (client) => {
    await run.before?.(client);
    const handle = await startOrRefuse(run, client, config.temporal.taskQueue);
    // The handler first: whoever reads the line below may press Ctrl-C at once.
    stopWaitingOnCtrlC(say, run.what, handle.workflowId);
    say(`Started ${run.what} ${handle.workflowId} (Web UI: filter on its workflow id); waiting for it to finish…`);
    let result: Result;
    try {
      result = (await waitWithProgress(client, handle, run, { ...options, taskQueue: config.temporal.taskQueue }, progressDisplay())) as Result;
    } catch (err) {
      if (err instanceof WorkflowFailedError) throw new Refusal(`The ${run.what} ${handle.workflowId} failed: ${inOperatorTerms(sentenceOf(err))}`);
      throw err;
    }
    if (options.json) console.log(JSON.stringify(result, null, 2));
    else for (const line of run.summary(result, handle.workflowId)) console.log(line);
  });
}

/** Manual runs are named by the second they start in: a second start in that second is refused, not a stack. */
async function startOrRefuse<Result>(run: ManualRun<Result>, client: Client, taskQueue: string): Promise<WorkflowHandle> {
  try {
    return await run.start(client, taskQueue);
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) {
      throw new Refusal(`A ${run.what} ${err.workflowId} was started this same second; wait for it (or a second) and run the command again.`);
    }
    throw err;
  }
}

async function waitWithProgress<Result>(
  client: Client,
  handle: WorkflowHandle,
  run: ManualRun<Result>,
  options: WaitOptions,
  display: ProgressDisplay,
): Promise<unknown> {
  const started = Date.now();
  const every = progressIntervalSeconds(display, options.progressEvery);
  const result = handle.result();
  const finished = result.then(
    () => true,
    () => true,
  );
  for (;;) {
    let timer: NodeJS.Timeout | undefined;
    const tick = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), every * 1000)));
    const done = await Promise.race([finished, tick]);
    clearTimeout(timer);
    if (done) return result;
    const seconds = Math.round((Date.now() - started) / 1000);
    const [line, ...details] = await progressNow(client, handle, run, options.taskQueue);
    display.show([`still running after ${seconds} s: ${line}`, ...details]);
  }
}

async function progressNow<Result>(client: Client, handle: WorkflowHandle, run: ManualRun<Result>, taskQueue: string): Promise<[string, ...string[]]> {
  let progress: Result;
  try {
    progress = await client.connection.withDeadline(Date.now() + PROGRESS_QUERY_DEADLINE_MS, () => handle.query(run.progress));
  } catch (err) {
    // A query is answered by a worker: no answer almost always means none polls the task queue.
    if (err instanceof ServiceError) return [`no worker answered within ${PROGRESS_QUERY_DEADLINE_MS / 1000} s; is one running on task queue ${taskQueue} (npm run worker)?`];
    return [`no progress answer (${sentenceOf(err)})`];
  }
  // The details are a help, never a reason to stop waiting.
  const details = run.progressDetails ? await run.progressDetails(progress, client, handle.workflowId).catch((err: unknown) => [`  (details not available: ${sentenceOf(err)})`]) : [];
  return [run.progressLine(progress), ...details];
}

/** Ctrl-C stops the waiting, not the run: say so, and where to follow it. */
function stopWaitingOnCtrlC(say: (line: string) => void, what: string, workflowId: string): void {
  process.once('SIGINT', () => {
    say(`Stopped waiting; the ${what} ${workflowId} goes on (see it in the Web UI).`);
    process.exit(130);
  });
}

/** The workflow's own advice names the workflow input; an operator types the command's option. */
export function inOperatorTerms(sentence: string): string {
  return sentence.replace(/with force: true/g, 'with --force');
}

/**
 * Refuses before anything is started on a weekend or public holiday unless forced (the workflow
 * guards the same, but then a failed run would be left behind).
 */
export function refuseOnNonWorkingDay(what: string, force: boolean | undefined, now: Date = new Date()): void {
  if (force) return;
  const today = osloDate(now);
  const reason = nonWorkingReason(today);
  if (reason) throw new Refusal(`${today} is not a Norwegian working day (${reason}); no ${what} was started. Add --force to run it anyway.`);
}
