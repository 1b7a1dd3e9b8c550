import type { PowerOfficeSeedInput } from './poweroffice/fixture-schema';
import { loadDemoSeed } from './poweroffice/fixture-schema';
import { buildDistributionEmulator, type DistributionEmulator } from './distribution/server';
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
  close(): Promise<void>;
}

/** Starts both emulators on loopback; port 0 picks free ports (tests). */
export async function startEmulators(options: {
  powerOfficePort?: number;
  powerOfficeV2Port?: number;
  distributionPort?: number;
  distributionApiKey: string;
  /** Defaults to the demo seed; fields with defaults may be left out. */
  seed?: PowerOfficeSeedInput;
  tokenLifetimeSeconds?: number;
}): Promise<RunningEmulators> {
  const powerOffice = buildPowerOfficeEmulator({
    seed: options.seed ?? loadDemoSeed(),
    ...(options.tokenLifetimeSeconds ? { tokenLifetimeSeconds: options.tokenLifetimeSeconds } : {}),
  });
  const distribution = buildDistributionEmulator({ apiKey: options.distributionApiKey });
  const powerOfficeUrl = await powerOffice.app.listen({ host: '127.0.0.1', port: options.powerOfficePort ?? 0 });
  const powerOfficeV2Origin = await powerOffice.v2App.listen({ host: '127.0.0.1', port: options.powerOfficeV2Port ?? 0 });
  const distributionUrl = await distribution.app.listen({ host: '127.0.0.1', port: options.distributionPort ?? 0 });
  return {
    powerOffice,
    distribution,
    powerOfficeUrl: `${powerOfficeUrl}/`,
    powerOfficeV2Url: `${powerOfficeV2Origin}${V2_PREFIX}/`,
    powerOfficeV2TokenUrl: `${powerOfficeV2Origin}/OAuth/Token`,
    powerOfficeSubscriptionKey: powerOffice.state.subscriptionKey,
    distributionUrl: `${distributionUrl}/`,
    close: async () => {
      await Promise.all([powerOffice.app.close(), powerOffice.v2App.close(), distribution.app.close()]);
    },
  };
}
