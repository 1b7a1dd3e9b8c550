import { loadConfigOrExit } from '../../config/config';
import { createLogger } from '../../logging/logger';
import { connectClient } from '../temporal-client';
import { buildWebhookServer, INVOICE_OPENED_PATH } from './server';

/**
 * The webhook process (`tsx client/webhook/main.ts`): WEBHOOK_PORT and WEBHOOK_SIGNING_SECRET from
 * config/config.ts. Listens on all interfaces, because the partner calls in from outside.
 */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger(config.log, 'webhook');
  const temporal = await connectClient(config.temporal);
  const app = buildWebhookServer({ temporal, secret: config.webhook.signingSecret, logger });
  const address = await app.listen({ host: '0.0.0.0', port: config.webhook.port });
  logger.info({ address, path: INVOICE_OPENED_PATH }, 'webhook listening');

  const stop = () => {
    void app
      .close()
      .then(() => temporal.connection.close())
      .then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
