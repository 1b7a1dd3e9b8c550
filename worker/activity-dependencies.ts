import { DistributionPartnerClient } from '../adapters/distribution/partner-client';
import { PowerOfficeV1Client } from '../adapters/poweroffice/v1-client';
import type { ActivityDeps } from '../activities';
import type { Config } from '../config/config';

/**
 * Production wiring of the activities: real HTTP adapters, one PowerOffice client (and so one
 * cached token) per client company for the life of the worker.
 */
export function activityDependencies(config: Pick<Config, 'powerOffice' | 'distributionPartner'>): ActivityDeps {
  const powerOfficeClients = new Map<string, PowerOfficeV1Client>();
  return {
    activeClientIds: () => Promise.resolve(Object.keys(config.powerOffice.clientKeys).sort()),
    powerOfficeFor: (clientId) => {
      let client = powerOfficeClients.get(clientId);
      if (!client) {
        const clientKey = config.powerOffice.clientKeys[clientId];
        if (!clientKey) throw new Error(`No PowerOffice client key is configured for client ${clientId}`);
        client = new PowerOfficeV1Client(config.powerOffice.v1BaseUrl, { applicationKey: config.powerOffice.applicationKey, clientKey });
        powerOfficeClients.set(clientId, client);
      }
      return client;
    },
    distributionPartner: new DistributionPartnerClient(config.distributionPartner.baseUrl, config.distributionPartner.apiKey),
  };
}
