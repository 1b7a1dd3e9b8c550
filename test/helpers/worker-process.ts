import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { WORKER_NODE_FLAGS, WORKER_PROCESS_ENVIRONMENT } from '../../worker/worker-tuning';
import type { ServiceUnderTest } from './service';

const root = join(__dirname, '..', '..');

/**
 * `npm run worker`, as production runs it (its heap cap and allocator setting included), in its own
 * process so a test can kill it outright; it serves the service's task queue on `temporalAddress`.
 */
export function startWorkerProcess(service: ServiceUnderTest, temporalAddress: string): ChildProcess {
  return spawn(process.execPath, [...WORKER_NODE_FLAGS, '--import', 'tsx', join(root, 'worker', 'main.ts')], {
    cwd: root,
    env: {
      ...process.env,
      ...WORKER_PROCESS_ENVIRONMENT,
      ...service.environment,
      TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_TASK_QUEUE: service.taskQueue,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}
