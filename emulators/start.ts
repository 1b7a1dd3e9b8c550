import type { PowerOfficeSeedInput } from './poweroffice/fixture-schema';
import { loadDemoSeed } from './poweroffice/fixture-schema';
import { buildDistributionEmulator, type DistributionEmulator } from './distribution/server';
import { buildLedgerEmulator, type LedgerEmulator } from './ledger/server';
import { buildPeppolDirectoryEmulator, type PeppolDirectoryEmulator } from './peppol-directory/server';
import { buildPowerOfficeEmulator, type PowerOfficeEmulator } from './poweroffice/server';
import { V2_PREFIX } from './poweroffice/v2/app';

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
  const powerOffice = buildPowerOfficeEmulator({
    seed: options.seed ?? loadDemoSeed(),
    ...(options.tokenLifetimeSeconds ? { tokenLifetimeSeconds: options.tokenLifetimeSeconds } : {}),
  });
  const distribution = buildDistributionEmulator({
    apiKey: options.distributionApiKey,
    ...(options.webhook ? { webhookUrl: options.webhook.url, webhookSecret: options.webhook.secret } : {}),
  });
  const ledger = buildLedgerEmulator({ apiKey: options.ledgerApiKey ?? 'demo-ledger-key' });
  const peppolDirectory = buildPeppolDirectoryEmulator();
  const powerOfficeUrl = await powerOffice.app.listen({ host: '127.0.0.1', port: options.powerOfficePort ?? 0 });
  const powerOfficeV2Origin = await powerOffice.v2App.listen({ host: '127.0.0.1', port: options.powerOfficeV2Port ?? 0 });
  const distributionUrl = await distribution.app.listen({ host: '127.0.0.1', port: options.distributionPort ?? 0 });
  const ledgerUrl = await ledger.app.listen({ host: '127.0.0.1', port: options.ledgerPort ?? 0 });
  const peppolDirectoryUrl = await peppolDirectory.app.listen({ host: '127.0.0.1', port: options.peppolDirectoryPort ?? 0 });
  return {
    powerOffice,
    distribution,
    powerOfficeUrl: `${powerOfficeUrl}/`,
    powerOfficeV2Url: `${powerOfficeV2Origin}${V2_PREFIX}/`,
    powerOfficeV2TokenUrl: `${powerOfficeV2Origin}/OAuth/Token`,
    powerOfficeSubscriptionKey: powerOffice.state.subscriptionKey,
    distributionUrl: `${distributionUrl}/`,
    ledger,
    ledgerUrl: `${ledgerUrl}/`,
    peppolDirectory,
    peppolDirectoryUrl: `${peppolDirectoryUrl}/`,
    close: async () => {
      await Promise.all([powerOffice.app.close(), powerOffice.v2App.close(), distribution.app.close(), ledger.app.close(), peppolDirectory.app.close()]);
    },
  };
}
