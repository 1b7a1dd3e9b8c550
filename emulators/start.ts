import type { FastifyInstance } from 'fastify';
import type { PowerOfficeSeedInput } from './poweroffice/fixture-schema';
import { loadDemoSeed } from './poweroffice/fixture-schema';
import { buildDistributionEmulator, type DistributionEmulator } from './distribution/server';
import { buildLedgerEmulator, type LedgerEmulator } from './ledger/server';
import { buildPeppolDirectoryEmulator, type PeppolDirectoryEmulator } from './peppol-directory/server';
import { buildPowerOfficeEmulator, type PowerOfficeEmulator } from './poweroffice/server';
import { V2_PREFIX } from './poweroffice/v2/app';
import { closeAbruptly, dropRequestsCutByACrash, listenAgain, portOf } from './restart';

/** The emulators `restart` knows, by their field in RunningEmulators. */
export const EMULATOR_NAMES = ['powerOffice', 'distribution', 'ledger', 'peppolDirectory'] as const;
export type EmulatorName = (typeof EMULATOR_NAMES)[number];

/**
 * The emulator fields are replaced by a restart (a new `app`); what they record (stores, state,
 * faults, …) stays the same objects, so a reference to those may be kept.
 */
export interface RunningEmulators {
  powerOffice: PowerOfficeEmulator;
  distribution: DistributionEmulator;
  /** Base URLs with a trailing slash, as the adapters expect. */
  powerOfficeUrl: string;
  /** PowerOffice v2 API base, e.g. http://127.0.0.1:4011/v2/ (the real one lives on another host than v1). */
  powerOfficeV2Url: string;
  /** PowerOffice v2 token endpoint, e.g. http://127.0.0.1:4011/OAuth/Token. */
  powerOfficeV2TokenUrl: string;
  /** The seed's `Ocp-Apim-Subscription-Key`. */
  powerOfficeSubscriptionKey: string;
  distributionUrl: string;
  ledger: LedgerEmulator;
  ledgerUrl: string;
  peppolDirectory: PeppolDirectoryEmulator;
  peppolDirectoryUrl: string;
  /**
   * Restarts one emulator (PowerOffice: both listeners) as a real upstream restarts: every open
   * connection drops at once, in-flight requests lose their answer (a write whose handler ran is
   * kept, as if committed just before the crash; one that had not reached its handler is not done),
   * nothing listens while `down` lasts (milliseconds, or until the promise it returns resolves),
   * then it listens on the same ports with the same records: stores, deliveries, ledger, tokens
   * issued, fault settings and counts, rate-limit windows. Only the partner's webhook calls in
   * progress stop (emulators/distribution/server.ts). One restart at a time.
   */
  restart(name: EmulatorName, down: number | (() => Promise<void>)): Promise<void>;
  close(): Promise<void>;
}

/** Starts both emulators on loopback; port 0 picks free ports (tests). */
export async function startEmulators(options: {
  powerOfficePort?: number;
  powerOfficeV2Port?: number;
  distributionPort?: number;
  distributionApiKey: string;
  ledgerPort?: number;
  ledgerApiKey?: string;
  peppolDirectoryPort?: number;
  /** Where the partner emulator reports "opened" (our webhook), and the secret it signs with. */
  webhook?: { url: string; secret: string };
  /** Defaults to the demo seed; fields with defaults may be left out. */
  seed?: PowerOfficeSeedInput;
  tokenLifetimeSeconds?: number;
}): Promise<RunningEmulators> {
  const powerOfficeOptions = {
    seed: options.seed ?? loadDemoSeed(),
    ...(options.tokenLifetimeSeconds ? { tokenLifetimeSeconds: options.tokenLifetimeSeconds } : {}),
  };
  const distributionOptions = {
    apiKey: options.distributionApiKey,
    ...(options.webhook ? { webhookUrl: options.webhook.url, webhookSecret: options.webhook.secret } : {}),
  };
  const ledgerOptions = { apiKey: options.ledgerApiKey ?? 'demo-ledger-key' };
  /** Each emulator's build, fresh or around the records of the instance it replaces. */
  const builds: { [K in EmulatorName]: (kept?: Emulators[K]) => Emulators[K] } = {
    powerOffice: (kept) => buildPowerOfficeEmulator(powerOfficeOptions, kept),
    distribution: (kept) => buildDistributionEmulator(distributionOptions, kept),
    ledger: (kept) => buildLedgerEmulator(ledgerOptions, kept),
    peppolDirectory: (kept) => buildPeppolDirectoryEmulator({}, kept),
  };
  const build = <K extends EmulatorName>(name: K, kept?: Emulators[K]): Emulators[K] => {
    const emulator = builds[name](kept);
    for (const app of appsOf(emulator)) dropRequestsCutByACrash(app);
    return emulator;
  };
  const emulators: Emulators = {
    powerOffice: build('powerOffice'),
    distribution: build('distribution'),
    ledger: build('ledger'),
    peppolDirectory: build('peppolDirectory'),
  };
  const listen = (app: FastifyInstance, port: number | undefined) => app.listen({ host: '127.0.0.1', port: port ?? 0 });
  const powerOfficeUrl = await listen(emulators.powerOffice.app, options.powerOfficePort);
  const powerOfficeV2Origin = await listen(emulators.powerOffice.v2App, options.powerOfficeV2Port);
  const distributionUrl = await listen(emulators.distribution.app, options.distributionPort);
  const ledgerUrl = await listen(emulators.ledger.app, options.ledgerPort);
  const peppolDirectoryUrl = await listen(emulators.peppolDirectory.app, options.peppolDirectoryPort);

  let restarting: Promise<void> | undefined;
  const restartOne = async <K extends EmulatorName>(name: K, down: number | (() => Promise<void>)): Promise<void> => {
    const slots: Emulators = running;
    const previous = slots[name];
    const ports = appsOf(previous).map(portOf);
    await Promise.all(appsOf(previous).map(closeAbruptly));
    await (typeof down === 'number' ? new Promise((resolve) => setTimeout(resolve, down)) : down());
    const next = build(name, previous);
    // In place before it listens, so close() reaches it even when listening again fails.
    slots[name] = next;
    for (const [i, app] of appsOf(next).entries()) await listenAgain(app, ports[i] ?? 0);
  };
  const running: RunningEmulators = {
    ...emulators,
    powerOfficeUrl: `${powerOfficeUrl}/`,
    powerOfficeV2Url: `${powerOfficeV2Origin}${V2_PREFIX}/`,
    powerOfficeV2TokenUrl: `${powerOfficeV2Origin}/OAuth/Token`,
    powerOfficeSubscriptionKey: emulators.powerOffice.state.subscriptionKey,
    distributionUrl: `${distributionUrl}/`,
    ledgerUrl: `${ledgerUrl}/`,
    peppolDirectoryUrl: `${peppolDirectoryUrl}/`,
    restart: async (name, down) => {
      if (restarting) throw new Error(`cannot restart ${name} while another emulator restarts`);
      restarting = restartOne(name, down);
      try {
        await restarting;
      } finally {
        restarting = undefined;
      }
    },
    close: async () => {
      await restarting?.catch(() => undefined);
      await Promise.all(EMULATOR_NAMES.flatMap((name) => appsOf(running[name])).map((app) => app.close()));
    },
  };
  return running;
}

type Emulators = Pick<RunningEmulators, EmulatorName>;
type Emulator = Emulators[EmulatorName];

/** An emulator's listeners: PowerOffice has two (v1, v2), the others one. */
function appsOf(emulator: Emulator): FastifyInstance[] {
  return 'v2App' in emulator ? [emulator.app, emulator.v2App] : [emulator.app];
}
