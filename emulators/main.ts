import { loadConfigOrExit } from '../config/config';
import { createLogger } from '../logging/logger';
import { startEmulators } from './start';

/** `npm run emulators`: the PowerOffice GO and distribution-partner stand-ins on fixed ports. */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger(config.log, 'emulators');
  const emulators = await startEmulators({
    powerOfficePort: Number(new URL(config.powerOffice.v1BaseUrl).port || 4010),
    powerOfficeV2Port: Number(new URL(config.powerOffice.v2BaseUrl).port || 4011),
    distributionPort: Number(new URL(config.distributionPartner.baseUrl).port || 4020),
    distributionApiKey: config.distributionPartner.apiKey,
  });
  logger.info(
    { powerOffice: emulators.powerOfficeUrl, powerOfficeV2: emulators.powerOfficeV2Url, powerOfficeV2Token: emulators.powerOfficeV2TokenUrl, distribution: emulators.distributionUrl },
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
