import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WORKER_NODE_FLAGS, WORKER_PROCESS_ENVIRONMENT } from '../worker/worker-tuning';

/**
 * The worker runs with the same heap cap and allocator setting wherever it is started, so the
 * bench's memory figures are production's (worker/worker-tuning.ts says why these values).
 */
const root = join(__dirname, '..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');

describe('the worker process settings', () => {
  test('the production image starts the worker with the heap cap and the allocator setting', () => {
    const dockerfile = read('Dockerfile');
    const cmd = /^CMD (\[.*\])$/m.exec(dockerfile)?.[1];
    expect(JSON.parse(cmd ?? '[]')).toEqual(['node', ...WORKER_NODE_FLAGS, 'dist/worker/main.js']);
    for (const [name, value] of Object.entries(WORKER_PROCESS_ENVIRONMENT)) expect(dockerfile).toMatch(new RegExp(`^\\s*${name}=${value}\\s*$`, 'm'));
  });

  test('npm run worker starts it the same way', () => {
    const { scripts } = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    const environment = Object.entries(WORKER_PROCESS_ENVIRONMENT).map(([name, value]) => `${name}=${value}`);
    expect(scripts.worker).toBe([...environment, 'node', ...WORKER_NODE_FLAGS, '--import', 'tsx', 'worker/main.ts'].join(' '));
  });
});
