import type { Client } from '@temporalio/client';
import { tsToMs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';

/**
 * What Temporal's own records say about a batch after its run (issue 11's targets: every run's
 * history under 2 MB, no workflow task over 1 s, no "task not found"): the size of each run of the
 * batch (describe), and the workflow tasks of the batch's runs and of a sample of its children
 * (their histories), from scheduled (waiting for a worker included) and from started to completed.
 */
export interface HistoryFigures {
  batchRuns: number;
  /** The largest run of the batch: bytes and events. */
  largestHistoryBytes: number;
  largestHistoryEvents: number;
  /** Seconds from a workflow task's scheduling to its completion, the slowest one seen. */
  slowestTaskSeconds: number;
  /** Seconds from a worker picking a task up to completing it, the slowest one seen. */
  slowestTaskProcessingSeconds: number;
  /**
   * Workflow tasks that timed out: start-to-close is the worker holding a task past its 10 s ("Workflow
   * task not found"); schedule-to-start is a sticky task no worker took within 5 s, then given to any.
   */
  taskTimeouts: { startToClose: number; scheduleToStart: number };
  /** Workflow tasks that failed, by cause (UNHANDLED_COMMAND: a signal came in while the batch moved on). */
  taskFailures: Record<string, number>;
  /** Histories read for the task figures: every run of the batch and this many children. */
  childrenSampled: number;
}

type History = Awaited<ReturnType<ReturnType<Client['workflow']['getHandle']>['fetchHistory']>>;

interface TaskFigures {
  slowestMs: number;
  slowestProcessingMs: number;
  timeouts: HistoryFigures['taskTimeouts'];
  failures: Record<string, number>;
}

const { TimeoutType, WorkflowTaskFailedCause } = temporal.api.enums.v1;

function causeName(cause: number | null | undefined): string {
  return (WorkflowTaskFailedCause[cause ?? 0] ?? String(cause)).replace(/^WORKFLOW_TASK_FAILED_CAUSE_/, '');
}

function taskFigures(history: History): TaskFigures {
  const times = new Map<string, number>();
  const figures: TaskFigures = { slowestMs: 0, slowestProcessingMs: 0, timeouts: { startToClose: 0, scheduleToStart: 0 }, failures: {} };
  for (const event of history.events ?? []) {
    const at = tsToMs(event.eventTime);
    if (event.workflowTaskScheduledEventAttributes || event.workflowTaskStartedEventAttributes) times.set(String(event.eventId), at);
    const timedOut = event.workflowTaskTimedOutEventAttributes;
    if (timedOut) {
      if (timedOut.timeoutType === TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START) figures.timeouts.scheduleToStart += 1;
      else figures.timeouts.startToClose += 1;
    }
    const failed = event.workflowTaskFailedEventAttributes;
    if (failed) figures.failures[causeName(failed.cause)] = (figures.failures[causeName(failed.cause)] ?? 0) + 1;
    const completed = event.workflowTaskCompletedEventAttributes;
    if (!completed) continue;
    const scheduled = times.get(String(completed.scheduledEventId));
    const started = times.get(String(completed.startedEventId));
    if (scheduled !== undefined) figures.slowestMs = Math.max(figures.slowestMs, at - scheduled);
    if (started !== undefined) figures.slowestProcessingMs = Math.max(figures.slowestProcessingMs, at - started);
  }
  return figures;
}

/** `childIds`: the children to read (a sample: reading 10,000 histories would take longer than the batch). */
export async function historyFigures(client: Client, batchId: string, childIds: string[]): Promise<HistoryFigures> {
  const runIds: string[] = [];
  for await (const run of client.workflow.list({ query: `WorkflowId = '${batchId}'` })) runIds.push(run.runId);
  let largestHistoryBytes = 0;
  let largestHistoryEvents = 0;
  const all: TaskFigures[] = [];
  for (const runId of runIds) {
    const handle = client.workflow.getHandle(batchId, runId);
    const description = await handle.describe();
    largestHistoryBytes = Math.max(largestHistoryBytes, description.historySize ?? 0);
    largestHistoryEvents = Math.max(largestHistoryEvents, description.historyLength);
    all.push(taskFigures(await handle.fetchHistory()));
  }
  for (const id of childIds) all.push(taskFigures(await client.workflow.getHandle(id).fetchHistory()));
  return {
    batchRuns: runIds.length,
    largestHistoryBytes,
    largestHistoryEvents,
    slowestTaskSeconds: Math.max(0, ...all.map((f) => f.slowestMs)) / 1000,
    slowestTaskProcessingSeconds: Math.max(0, ...all.map((f) => f.slowestProcessingMs)) / 1000,
    taskTimeouts: {
      startToClose: all.reduce((sum, f) => sum + f.timeouts.startToClose, 0),
      scheduleToStart: all.reduce((sum, f) => sum + f.timeouts.scheduleToStart, 0),
    },
    taskFailures: all.reduce<Record<string, number>>((sum, f) => {
      for (const [cause, n] of Object.entries(f.failures)) sum[cause] = (sum[cause] ?? 0) + n;
      return sum;
    }, {}),
    childrenSampled: childIds.length,
  };
}

/** Up to `count` items spread evenly over the list (first and last included). */
export function evenSample<T>(items: readonly T[], count: number): T[] {
  if (items.length <= count) return [...items];
  return Array.from({ length: count }, (_, i) => items[Math.round((i * (items.length - 1)) / (count - 1))]!);
}
