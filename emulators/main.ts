import { loadConfigOrExit } from '../config/config';
import { createLogger } from '../logging/logger';
import { INVOICE_OPENED_PATH } from '../client/webhook/server';
import { startEmulators } from './start';

/** `npm run emulators`: every outside system's stand-in on fixed ports (see README). */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
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
  const stop = () => void emulators.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
