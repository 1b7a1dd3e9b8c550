import { getClient } from '@temporalio/activity';
import { DistributionPartnerClient } from '../adapters/distribution/partner-client';
import { LedgerClient } from '../adapters/ledger/ledger-client';
import { PeppolDirectoryClient } from '../adapters/peppol-directory/directory-client';
import { PowerOfficeConnector, type PowerOfficeSettings } from '../adapters/poweroffice/connector';
import { SecretCipher } from '../adapters/secrets/secret-cipher';
import type { ActivityDeps } from '../activities';
import { TemporalClientDirectory } from '../client/client-directory';
import { TemporalInvoiceRegistry } from '../client/invoice-registry';
import type { WorkerConfig } from '../config/config';

/**
 * Production wiring of the activities: real HTTP adapters; one PowerOffice connector (shared rate
 * limits and token cache) for every client company, for the life of the worker; client settings
 * from the clients' settings workflows, read with the activity's own Temporal client. `observe`:
 * told of every PowerOffice request (the worker's metrics, worker/poweroffice-metrics.ts).
 */
export function activityDependencies(config: WorkerConfig, observe: Pick<PowerOfficeSettings, 'observeRequest'> = {}): ActivityDeps {
  const cipher = new SecretCipher(config.clientKeyEncryption.key, config.clientKeyEncryption.keyId);
  const other = config.powerOffice.otherEnvironment;
  const powerOffice = new PowerOfficeConnector({ ...config.powerOffice, ...observe });
  return {
    clients: new TemporalClientDirectory(() => getClient(), cipher),
    invoices: new TemporalInvoiceRegistry(() => getClient()),
    // One request per call: the PowerOffice queues' activities are the only ones given it.
    powerOffice: powerOffice.oneRequestPerCall(),
    powerOfficeEnvironment: config.powerOffice.environment,
    ...(other
      ? {
          otherPowerOfficeEnvironment: {
            name: other.name,
            access: new PowerOfficeConnector({ ...other, v1RequestsPerSecond: 5, v2RequestsPerSecond: 2, ...observe }).oneRequestPerCall(),
          },
        }
      : {}),
    cipher,
    partner: new DistributionPartnerClient(config.distributionPartner.baseUrl, config.distributionPartner.apiKey),
    ledger: new LedgerClient(config.ledger.baseUrl, config.ledger.apiKey),
    // One per worker: every activity shares its cache of PEPPOL answers.
    peppol: new PeppolDirectoryClient(config.peppolDirectory.baseUrl),
    factoringFinans: config.factoringFinans,
    accessCodeSecret: config.accessCodeSecret,
    openingWait: config.openingWait,
  };
}
