import { getHeapStatistics } from 'node:v8';
import type { WorkerStatus } from '@temporalio/worker';

/**
 * What the worker says about itself at a fixed interval (log "worker health"): its memory and what
 * it holds. Operators read a worker's growth from these lines without attaching a profiler.
 *
 * The heap figures are the main thread's V8 heap (activities, adapters, caches). The workflows run
 * in the SDK's workflow thread, an isolate of its own whose heap Node does not report here: it is
 * in rssMb, with the SDK's native core, and grows with cachedWorkflows.
 */
export interface WorkerHealth {
  rssMb: number;
  heapUsedMb: number;
  heapTotalMb: number;
  /** The main thread's heap limit (WORKER_NODE_FLAGS' cap, or Node's own from the machine's memory). */
  heapLimitMb: number;
  /** Memory of C++ objects bound to JS (the SDK's native bridge among them) and Buffers. */
  externalMb: number;
  cachedWorkflows: number;
  workflowActivationsInFlight: number;
  activitiesInFlight: number;
}

export const WORKER_HEALTH_MESSAGE = 'worker health';

export function workerHealth(
  memory: NodeJS.MemoryUsage,
  heapLimitBytes: number,
  status: Pick<WorkerStatus, 'numCachedWorkflows' | 'numInFlightWorkflowActivations' | 'numInFlightActivities'>,
): WorkerHealth {
  const mb = (bytes: number) => Math.round(bytes / 1024 / 102.4) / 10;
  return {
    rssMb: mb(memory.rss),
    heapUsedMb: mb(memory.heapUsed),
    heapTotalMb: mb(memory.heapTotal),
    heapLimitMb: mb(heapLimitBytes),
    externalMb: mb(memory.external),
    cachedWorkflows: status.numCachedWorkflows,
    workflowActivationsInFlight: status.numInFlightWorkflowActivations,
    activitiesInFlight: status.numInFlightActivities,
  };
}

/** Logs the worker's health every `everySeconds` until the returned function is called. */
export function reportWorkerHealth(
  status: () => WorkerStatus,
  log: (health: WorkerHealth, message: string) => void,
  everySeconds: number,
): () => void {
  const timer = setInterval(() => log(workerHealth(process.memoryUsage(), getHeapStatistics().heap_size_limit, status()), WORKER_HEALTH_MESSAGE), everySeconds * 1000);
  // The report never keeps a stopping worker alive.
  timer.unref();
  return () => clearInterval(timer);
}
