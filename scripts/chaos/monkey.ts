import type { EmulatorName } from '../../emulators/start';
import { between, type Random } from './random';
import { sleep } from './persist';

/**
 * The chaos monkey: `workerKills` SIGKILLs of random worker processes, `serverKills` kills of the
 * Temporal server and `emulatorRestarts` restarts of a random emulator (every connection to it
 * dropped, its records kept), in random order, at random gaps spread over `windowMs` (each gap
 * between half and one and a half times the mean), while the workload runs.
 */
export interface MonkeyHands {
  killWorker(slot: number): Promise<void>;
  killServer(): Promise<void>;
  restartEmulator(name: EmulatorName): Promise<void>;
  workers: number;
  /** The emulators a restart picks from. */
  emulators: readonly EmulatorName[];
}

export interface MonkeyPlan {
  workerKills: number;
  serverKills: number;
  emulatorRestarts: number;
  windowMs: number;
}

export interface Monkey {
  done: Promise<void>;
  workerKills(): number;
  serverKills(): number;
  emulatorRestarts(): number;
  /** Epoch ms of the last event's end (the server or emulator answering again after a restart); undefined before the first. */
  lastKillAt(): number | undefined;
}

type Event = 'worker' | 'server' | 'emulator';

export function startMonkey(random: Random, plan: MonkeyPlan, hands: MonkeyHands): Monkey {
  const counts: Record<Event, number> = { worker: 0, server: 0, emulator: 0 };
  let last: number | undefined;
  const total = plan.workerKills + plan.serverKills + plan.emulatorRestarts;
  const meanGap = plan.windowMs / (total + 1);
  /** Each kind with a chance in proportion to how many of it are left. */
  const next = (): Event => {
    const serversLeft = plan.serverKills - counts.server;
    const emulatorsLeft = plan.emulatorRestarts - counts.emulator;
    const roll = random() * (serversLeft + emulatorsLeft + plan.workerKills - counts.worker);
    if (roll < serversLeft) return 'server';
    if (roll < serversLeft + emulatorsLeft) return 'emulator';
    return 'worker';
  };
  const done = (async () => {
    for (let i = 0; i < total; i += 1) {
      await sleep(between(random, Math.round(meanGap / 2), Math.round((meanGap * 3) / 2)));
      const event = next();
      counts[event] += 1;
      if (event === 'server') await hands.killServer();
      else if (event === 'emulator') await hands.restartEmulator(pick(random, hands.emulators));
      else await hands.killWorker(between(random, 1, hands.workers));
      last = Date.now();
    }
  })();
  return { done, workerKills: () => counts.worker, serverKills: () => counts.server, emulatorRestarts: () => counts.emulator, lastKillAt: () => last };
}

function pick<T>(random: Random, from: readonly T[]): T {
  const chosen = from[between(random, 0, from.length - 1)];
  if (chosen === undefined) throw new Error('nothing to pick from: an emulator restart needs at least one emulator');
  return chosen;
}

/** How the campaign's lines name each emulator. */
export const emulatorLabels: Record<EmulatorName, string> = {
  powerOffice: 'PowerOffice GO (v1 + v2)',
  distribution: 'distribution partner',
  ledger: 'ledger',
  peppolDirectory: 'PEPPOL Directory',
};
