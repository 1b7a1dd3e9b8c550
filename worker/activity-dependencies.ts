import { DistributionPartnerClient } from '../adapters/distribution/partner-client';
import { PowerOfficeConnector } from '../adapters/poweroffice/connector';
import type { ActivityDeps } from '../activities';
import type { Config } from '../config/config';

/**
 * Production wiring of the activities: real HTTP adapters; one PowerOffice connector (shared rate
 * limits and token cache) for every client company, for the life of the worker.
 */
export function activityDependencies(config: Pick<Config, 'powerOffice' | 'distributionPartner'>): ActivityDeps {
  const powerOffice = new PowerOfficeConnector(config.powerOffice);
  return {
    activeClientIds: () => Promise.resolve(Object.keys(config.powerOffice.clientKeys).sort()),
    powerOfficeFor: (clientId) => {
      const clientKey = config.powerOffice.clientKeys[clientId];
      if (!clientKey) throw new Error(`No PowerOffice client key is configured for client ${clientId}`);
      return powerOffice.v1(clientKey);
    },
    distributionPartner: new DistributionPartnerClient(config.distributionPartner.baseUrl, config.distributionPartner.apiKey),
  };
}
