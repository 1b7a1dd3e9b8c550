import type { DistributionPartnerPort } from '../adapters/distribution/partner-client';
import { deliverDocument } from './deliver-document';
import { fetchAvailableInvoicePage, type PowerOfficeForClient } from './fetch-available-invoices';

export interface ActivityDeps {
  /** The ids of the clients whose invoices Factoring Finans distributes now. */
  activeClientIds: () => Promise<string[]>;
  powerOfficeFor: PowerOfficeForClient;
  distributionPartner: DistributionPartnerPort;
}

/** All activities, bound to their dependencies; tests pass emulator-backed or fake deps. */
export function createActivities(deps: ActivityDeps) {
  return {
    listActiveClients: deps.activeClientIds,
    fetchAvailableInvoicePage: fetchAvailableInvoicePage(deps.powerOfficeFor),
    deliverDocument: deliverDocument(deps.distributionPartner),
  };
}

export type Activities = ReturnType<typeof createActivities>;
