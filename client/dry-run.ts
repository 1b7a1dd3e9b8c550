import { ServiceError, type Client } from '@temporalio/client';
import { Option } from 'commander';
import { PeppolDirectoryClient } from '../adapters/peppol-directory/directory-client';
import { PowerOfficeConnector } from '../adapters/poweroffice/connector';
import { SecretCipher } from '../adapters/secrets/secret-cipher';
import type { Config } from '../config/config';
import type { StoredClientSettings } from '../domain/client-settings';
import { clientIdArgument, configOrRefuse, newCommand, Refusal, runCommand, withTemporal } from './command-line';
import { dryRun, type DryRunProgress } from './dry-run-check';
import { dryRunCsv, dryRunText } from './dry-run-view';
import { storedSettings } from './onboarding';

/**
 * `npm run -s dry-run -- --client-id 1003 [--csv | --json]`: before a client goes live, what the
 * service would do with each of its available invoices and every data-quality problem, for the
 * client to fix in PowerOffice GO. It books, sends and writes nothing.
 *
 * It talks to PowerOffice GO and the PEPPOL Directory itself, with the project's adapters, not
 * through a workflow: it is a read-only check, made before the client is live (it may still be
 * disabled, so no batch and no worker activity would read its invoices, and the key lookup of the
 * activities refuses disabled clients), and it must leave nothing behind: a workflow would record
 * the client's customer cards and reasons in Temporal's history. Temporal is asked only for the
 * client's settings and sealed key, where onboarding stored them.
 */

/**
 * Our own share of PowerOffice's limits, under the in-process limiter: the deployment-wide limit
 * is enforced by the workers' task queues, which this command does not use, so it stays well below
 * what the batch leaves free (the batch's steady rate is under half of the 50 and 10 per second).
 */
const DRY_RUN_V1_REQUESTS_PER_SECOND = 10;
const DRY_RUN_V2_REQUESTS_PER_SECOND = 2;

/** An idle worker answers the settings query in milliseconds. */
const SETTINGS_QUERY_PATIENCE_MS = 10_000;

const program = newCommand('dry-run', "What the service would do with a client's available invoices, and every data-quality problem, before the client goes live. Books, sends and writes nothing.")
  .requiredOption('--client-id <id>', 'the client, as onboarded (it may still be disabled)', clientIdArgument)
  .addOption(new Option('--csv', 'one row per problem, semicolon-separated with a header line, to send to the client').conflicts('json'))
  .option('--json', 'the whole dry run as JSON, for scripts')
  .addHelpText(
    'after',
    `
Reads PowerOffice GO's available invoices (v1, pages of 100), the customer cards of each page (v2),
each invoice's EHF, and asks the PEPPOL Directory; decides each invoice as the service's assessment
would. The client must have been onboarded (npm run -s onboard), so its key is known; a worker must
be running to answer for its settings. Progress lines go to stderr. Exit 0 when it ran, even with
problems found; 1 refused; 2 usage error.`,
  )
  .action(async (options: { clientId: string; csv?: boolean; json?: boolean }) => {
    const config = configOrRefuse();
    const settings = await withTemporal(config.temporal, (temporal) => onboardedSettings(temporal, options.clientId));
    const report = await dryRun(readers(config, settings), options.clientId, settings, progressOnStderr());
    if (options.json) console.log(JSON.stringify(report, null, 2));
    else if (options.csv) console.log(dryRunCsv(report));
    else console.log(dryRunText(report));
  });

async function onboardedSettings(temporal: Client, clientId: string): Promise<StoredClientSettings> {
  let settings: StoredClientSettings | undefined;
  try {
    settings = await temporal.connection.withDeadline(Date.now() + SETTINGS_QUERY_PATIENCE_MS, () => storedSettings(temporal, clientId));
  } catch (err) {
    if (err instanceof ServiceError) {
      throw new Refusal(`No worker answered within ${SETTINGS_QUERY_PATIENCE_MS / 1000} s for client ${clientId}'s settings (its PowerOffice GO key is kept there); is a worker running (npm run worker)?`);
    }
    throw err;
  }
  if (!settings) throw new Refusal(`Unknown client ${clientId}: it has not been onboarded, so its PowerOffice GO key is not known. Onboard it first (npm run -s onboard -- --client-id ${clientId} …; it may stay disabled until it goes live).`);
  return settings;
}

function readers(config: Config, settings: StoredClientSettings) {
  let clientKey: string;
  try {
    clientKey = new SecretCipher(config.clientKeyEncryption.key, config.clientKeyEncryption.keyId).open(settings.clientKey);
  } catch (err) {
    throw new Refusal(`Client ${settings.clientId}'s PowerOffice GO key cannot be opened: ${err instanceof Error ? err.message : String(err)}. Run the dry run with the worker's CLIENT_KEY_ENCRYPTION_KEY and _ID.`);
  }
  const powerOffice = new PowerOfficeConnector({
    ...config.powerOffice,
    v1RequestsPerSecond: Math.min(DRY_RUN_V1_REQUESTS_PER_SECOND, config.powerOffice.v1RequestsPerSecond),
    v2RequestsPerSecond: Math.min(DRY_RUN_V2_REQUESTS_PER_SECOND, config.powerOffice.v2RequestsPerSecond),
  });
  return {
    v1: powerOffice.v1(clientKey),
    v2: powerOffice.v2(clientKey),
    peppol: new PeppolDirectoryClient(config.peppolDirectory.baseUrl),
    factoringFinans: config.factoringFinans,
    openingWait: config.openingWait,
  };
}

function progressOnStderr(): DryRunProgress {
  return {
    page(pageNo, fetched, soFar, total) {
      console.error(`Page ${pageNo}: ${fetched} invoice(s) fetched and checked, ${soFar} of ${total}.`);
    },
  };
}

void runCommand(program);
