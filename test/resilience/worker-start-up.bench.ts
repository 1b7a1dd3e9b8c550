import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { temporal } from '@temporalio/proto';
import { startLocalTemporal } from '../helpers/temporal';

/**
 * How long `npm run worker` takes from its process start to its first poll, as Temporal sees it
 * (a poller on the task queue). Run: `npx tsx test/resilience/worker-start-up.bench.ts [runs]`.
 * The goal is 5 s; the figures are printed, not asserted (a loaded CI machine is slower).
 */
const root = join(__dirname, '..', '..');
const runs = Number(process.argv[2] ?? 3);

async function main(): Promise<void> {
  const env = await startLocalTemporal();
  const figures: number[] = [];
  try {
    for (let run = 1; run <= runs; run += 1) {
      const taskQueue = `start-up-${randomUUID()}`;
      const started = Date.now();
      const worker = spawn(process.execPath, ['--import', 'tsx', join(root, 'worker', 'main.ts')], {
        cwd: root,
        env: { ...process.env, TEMPORAL_ADDRESS: env.address, TEMPORAL_TASK_QUEUE: taskQueue, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      try {
        for (;;) {
          const { pollers } = await env.client.workflowService.describeTaskQueue({
            namespace: env.namespace ?? 'default',
            taskQueue: { name: taskQueue },
            taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
          });
          if (pollers.length > 0) break;
          if (worker.exitCode !== null) throw new Error(`the worker exited with ${worker.exitCode} before polling`);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        const seconds = (Date.now() - started) / 1000;
        figures.push(seconds);
        console.log(`run ${run}: first poll ${seconds.toFixed(2)} s after the process started`);
      } finally {
        worker.kill('SIGTERM');
        await new Promise((resolve) => worker.once('exit', resolve));
      }
    }
    figures.sort((a, b) => a - b);
    console.log(`worker start to first poll over ${runs} runs: median ${figures[Math.floor(runs / 2)]!.toFixed(2)} s, worst ${figures[runs - 1]!.toFixed(2)} s (goal: 5 s)`);
  } finally {
    await env.teardown();
  }
}

void main();
