import { configOrRefuse, newCommand, runCommand } from '../client/command-line';
import { createLogger } from '../logging/logger';
import { INVOICE_OPENED_PATH } from '../client/webhook/server';
import { startEmulators } from './start';

/** `npm run emulators`: every outside system's stand-in on fixed ports (see README). */
const program = newCommand(
  'emulators',
  "Stand-ins for PowerOffice GO (v1 4010, v2 4011), the distribution partner (4020), the ledger (4030) and the PEPPOL Directory (4050), on the ports of the *_BASE_URL variables; runs until Ctrl-C.",
).action(async () => {
  const config = configOrRefuse();
  const logger = createLogger(config.log, 'emulators');
  const emulators = await startEmulators({
    powerOfficePort: Number(new URL(config.powerOffice.v1BaseUrl).port || 4010),
    powerOfficeV2Port: Number(new URL(config.powerOffice.v2BaseUrl).port || 4011),
    distributionPort: Number(new URL(config.distributionPartner.baseUrl).port || 4020),
    distributionApiKey: config.distributionPartner.apiKey,
    ledgerPort: Number(new URL(config.ledger.baseUrl).port || 4030),
    ledgerApiKey: config.ledger.apiKey,
    peppolDirectoryPort: Number(process.env.PEPPOL_DIRECTORY_EMULATOR_PORT ?? 4050),
    webhook: { url: `http://127.0.0.1:${config.webhook.port}${INVOICE_OPENED_PATH}`, secret: config.webhook.signingSecret },
  });
  logger.info(
    {
      powerOffice: emulators.powerOfficeUrl,
      powerOfficeV2: emulators.powerOfficeV2Url,
      powerOfficeV2Token: emulators.powerOfficeV2TokenUrl,
      distribution: emulators.distributionUrl,
      ledger: emulators.ledgerUrl,
      peppolDirectory: emulators.peppolDirectoryUrl,
    },
    'emulators listening',
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await emulators.close();
});

void runCommand(program);
