import type { DistributionPartnerPort } from '../adapters/distribution/partner-client';
import type { SecretCipher } from '../adapters/secrets/secret-cipher';
import type { ClientDirectory } from '../client/client-directory';
import { deliverDocument } from './deliver-document';
import { fetchAvailableInvoicePage } from './fetch-available-invoices';
import { verifyClientAccess, type OtherPowerOfficeEnvironment, type PowerOfficeAccess } from './verify-client-access';

export interface ActivityDeps {
  clients: ClientDirectory;
  powerOffice: PowerOfficeAccess;
  /** 'demo' or 'production': named in onboarding's messages. */
  powerOfficeEnvironment: string;
  otherPowerOfficeEnvironment?: OtherPowerOfficeEnvironment;
  cipher: SecretCipher;
  distributionPartner: DistributionPartnerPort;
}

/** All activities, bound to their dependencies; tests pass emulator-backed or fake deps. */
export function createActivities(deps: ActivityDeps) {
  const powerOfficeFor = async (clientId: string) => deps.powerOffice.v1(await deps.clients.clientKey(clientId));
  return {
    listActiveClients: () => deps.clients.activeClientIds(),
    fetchAvailableInvoicePage: fetchAvailableInvoicePage(powerOfficeFor),
    deliverDocument: deliverDocument(deps.distributionPartner),
    verifyClientAccess: verifyClientAccess({
      powerOffice: deps.powerOffice,
      cipher: deps.cipher,
      environment: deps.powerOfficeEnvironment,
      ...(deps.otherPowerOfficeEnvironment ? { otherEnvironment: deps.otherPowerOfficeEnvironment } : {}),
    }),
  };
}

export type Activities = ReturnType<typeof createActivities>;
