import type { PowerOfficeSeed } from './poweroffice/fixture-schema';
import { loadDemoSeed } from './poweroffice/fixture-schema';
import { buildDistributionEmulator, type DistributionEmulator } from './distribution/server';
import { buildPowerOfficeEmulator, type PowerOfficeEmulator } from './poweroffice/server';

export interface RunningEmulators {
  powerOffice: PowerOfficeEmulator;
  distribution: DistributionEmulator;
  /** Base URLs with a trailing slash, as the adapters expect. */
  powerOfficeUrl: string;
  distributionUrl: string;
  close(): Promise<void>;
}

/** Starts both emulators on loopback; port 0 picks free ports (tests). */
export async function startEmulators(options: {
  powerOfficePort?: number;
  distributionPort?: number;
  distributionApiKey: string;
  seed?: PowerOfficeSeed;
  tokenLifetimeSeconds?: number;
}): Promise<RunningEmulators> {
  const powerOffice = buildPowerOfficeEmulator({
    seed: options.seed ?? loadDemoSeed(),
    ...(options.tokenLifetimeSeconds ? { tokenLifetimeSeconds: options.tokenLifetimeSeconds } : {}),
  });
  const distribution = buildDistributionEmulator({ apiKey: options.distributionApiKey });
  const powerOfficeUrl = await powerOffice.app.listen({ host: '127.0.0.1', port: options.powerOfficePort ?? 0 });
  const distributionUrl = await distribution.app.listen({ host: '127.0.0.1', port: options.distributionPort ?? 0 });
  return {
    powerOffice,
    distribution,
    powerOfficeUrl: `${powerOfficeUrl}/`,
    distributionUrl: `${distributionUrl}/`,
    close: async () => {
      await Promise.all([powerOffice.app.close(), distribution.app.close()]);
    },
  };
}
