import { between, type Random } from './random';
import { sleep } from './persist';

/**
 * The chaos monkey: `workerKills` SIGKILLs of random worker processes and `serverKills` kills of
 * the Temporal server, in random order, at random gaps spread over `windowMs` (each gap between
 * half and one and a half times the mean), while the workload runs.
 */
export interface MonkeyHands {
  killWorker(slot: number): Promise<void>;
  killServer(): Promise<void>;
  workers: number;
}

export interface Monkey {
  done: Promise<void>;
  workerKills(): number;
  serverKills(): number;
  /** Epoch ms of the last kill's end (the server answering again, for a server kill); undefined before the first. */
  lastKillAt(): number | undefined;
}

export function startMonkey(random: Random, plan: { workerKills: number; serverKills: number; windowMs: number }, hands: MonkeyHands): Monkey {
  let workers = 0;
  let servers = 0;
  let last: number | undefined;
  const total = plan.workerKills + plan.serverKills;
  const meanGap = plan.windowMs / (total + 1);
  const done = (async () => {
    for (let i = 0; i < total; i += 1) {
      await sleep(between(random, Math.round(meanGap / 2), Math.round((meanGap * 3) / 2)));
      const serversLeft = plan.serverKills - servers;
      const workersLeft = plan.workerKills - workers;
      if (random() * (serversLeft + workersLeft) < serversLeft) {
        servers += 1;
        await hands.killServer();
      } else {
        workers += 1;
        await hands.killWorker(between(random, 1, hands.workers));
      }
      last = Date.now();
    }
  })();
  return { done, workerKills: () => workers, serverKills: () => servers, lastKillAt: () => last };
}
