import { z } from 'zod';

/**
 * Faults at the emulators, through their admin APIs (`POST /_emulator/faults`, emulators/faults.ts):
 * before processing (500, 429, a hang then a dropped connection: the request never took effect) and,
 * where the emulator offers it, after processing (`afterProcessing`: the write took effect, the
 * answer is lost). An emulator whose settings have no `afterProcessing` gets before-processing
 * faults for the whole rate.
 */
export interface FaultTarget {
  name: string;
  /** GET here lists the settings; POST sets them. */
  url: string;
}

export interface FaultCounts {
  before: number;
  after: number;
  /** Per emulator listener, before + after. */
  byTarget: Record<string, number>;
  /** Answers lost after processing per listener and "METHOD /route", to tie a duplicate to its cause. */
  afterByRoute: Record<string, number>;
}

const settingsAnswerSchema = z.looseObject({ settings: z.looseObject({}).optional(), injected: z.unknown().optional() });

export function faultTargets(urls: { powerOffice: string; distribution: string; ledger: string; peppolDirectory: string }): FaultTarget[] {
  return [
    { name: 'PowerOffice v1', url: `${urls.powerOffice}_emulator/faults/v1` },
    { name: 'PowerOffice v2', url: `${urls.powerOffice}_emulator/faults/v2` },
    { name: 'partner', url: `${urls.distribution}_emulator/faults` },
    { name: 'ledger', url: `${urls.ledger}_emulator/faults` },
    { name: 'PEPPOL Directory', url: `${urls.peppolDirectory}_emulator/faults` },
  ];
}

/** The GET address of a target's settings (PowerOffice lists both listeners at one address). */
function readUrl(target: FaultTarget): string {
  return target.url.replace(/\/faults\/v[12]$/, '/faults');
}

async function json(url: string, init?: RequestInit): Promise<unknown> {
  const response = await fetch(url, init);
  const text = await response.text();
  if (!response.ok) throw new Error(`${init?.method ?? 'GET'} ${url}: HTTP ${response.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as unknown;
}

/** Whether the emulator behind `target` knows after-processing faults (its settings name them). */
async function offersAfterProcessing(target: FaultTarget): Promise<boolean> {
  const answer = (await json(readUrl(target))) as Record<string, unknown>;
  const api = /\/faults\/(v[12])$/.exec(target.url)?.[1];
  const settings = api ? answer[api] : settingsAnswerSchema.parse(answer).settings;
  return typeof settings === 'object' && settings !== null && 'afterProcessing' in settings;
}

/**
 * Sets `rate` of faults on every target: half after processing where offered. Hangs last
 * `hangMs`, longer than a client waits, so the client gives up (before) or never hears (after).
 */
export async function injectFaults(targets: FaultTarget[], rate: number, seed: number, hangMs = 20_000): Promise<{ afterProcessingAt: string[] }> {
  const afterProcessingAt: string[] = [];
  for (const [index, target] of targets.entries()) {
    const after = rate > 0 && (await offersAfterProcessing(target));
    const before = after ? rate / 2 : rate;
    const settings: Record<string, unknown> = {
      rate500: before * 0.4,
      rate429: before * 0.3,
      rateTimeout: before * 0.3,
      timeoutMs: hangMs,
    };
    if (after) {
      settings.afterProcessing = { rate: rate / 2, mode: 'either', hangMs };
      // The same emulator change seeds the rolls: a campaign's faults can be repeated.
      settings.seed = seed + index;
      afterProcessingAt.push(target.name);
    }
    await json(target.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(settings) });
  }
  return { afterProcessingAt };
}

export async function clearFaults(targets: FaultTarget[]): Promise<void> {
  for (const target of targets) await json(target.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
}

/**
 * Faults injected so far, read back from the emulators: `injected` counts every fault, lost answers
 * included; `afterProcessing.injected` (per listener for PowerOffice) the lost answers alone.
 */
export async function faultCounts(targets: FaultTarget[]): Promise<FaultCounts> {
  const counts: FaultCounts = { before: 0, after: 0, byTarget: {}, afterByRoute: {} };
  for (const target of targets) {
    const answer = (await json(readUrl(target))) as Record<string, unknown>;
    const api = /\/faults\/(v[12])$/.exec(target.url)?.[1];
    const pick = (value: unknown) => (api && typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[api] : value);
    const injected = pick(answer.injected);
    const total = typeof injected === 'number' ? injected : 0;
    const lost = pick(answer.afterProcessing);
    const after = typeof lost === 'object' && lost !== null && typeof (lost as { injected?: unknown }).injected === 'number' ? (lost as { injected: number }).injected : 0;
    counts.before += total - after;
    counts.after += after;
    counts.byTarget[target.name] = total;
    const byRoute = typeof lost === 'object' && lost !== null ? (lost as { byRoute?: unknown }).byRoute : undefined;
    if (typeof byRoute === 'object' && byRoute !== null) {
      for (const [route, n] of Object.entries(byRoute)) if (typeof n === 'number') counts.afterByRoute[`${target.name} ${route}`] = n;
    }
  }
  return counts;
}
