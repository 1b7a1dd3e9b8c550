/** What a worker process prints once it polls: ours logs JSON (worker/main.ts), the floor a plain line (floor-worker.ts). */
export const OUR_WORKER_STARTED = '"msg":"worker started"';
export const FLOOR_WORKER_STARTED = 'floor worker started';
