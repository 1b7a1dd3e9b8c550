import { createLogger } from '../../logging/logger';
import { loadConfig } from '../../config/config';
import { integerIn, newCommand, runCommand, withTemporal } from '../command-line';
import { buildMetricsServer, WebhookMetrics } from './metrics';
import { buildWebhookServer, INVOICE_OPENED_PATH } from './server';

/**
 * The webhook process (`npm run webhook`): WEBHOOK_PORT, WEBHOOK_SIGNING_SECRET and
 * WEBHOOK_METRICS_PORT (its Prometheus endpoint, when set) from config/config.ts. Listens on all interfaces by default, because the partner calls in from
 * outside. Refuses to start (exit 1, one sentence) when Temporal cannot be reached or the port is
 * taken: a webhook that cannot signal would answer the partner with errors.
 */
const program = newCommand('webhook', 'The webhook the distribution partner calls when an end customer opens an e-mailed invoice; runs until Ctrl-C.')
  .option('--port <port>', 'port to listen on (default: WEBHOOK_PORT, else 4040)', integerIn(1, 65535))
  .option('--host <address>', 'interface to listen on', '0.0.0.0')
  .action(async (options: { port?: number; host: string }) => {
    // Only the webhook's own variables: in production it gets none of the worker's secrets.
    const config = loadConfig(process.env, 'webhook');
    const logger = createLogger(config.log, 'webhook');
    await withTemporal(config.temporal, async (temporal) => {
      const metrics = new WebhookMetrics();
      // Metrics first: a taken metrics port refuses the start before the partner is answered at all.
      const metricsApp = config.webhook.metricsPort !== undefined ? buildMetricsServer(metrics) : undefined;
      const metricsAddress = await metricsApp?.listen({ host: options.host, port: config.webhook.metricsPort });
      const app = buildWebhookServer({ temporal, secret: config.webhook.signingSecret, logger, metrics });
      try {
        const address = await app.listen({ host: options.host, port: options.port ?? config.webhook.port });
        logger.info({ address, path: INVOICE_OPENED_PATH, ...(metricsAddress ? { metrics: `${metricsAddress}/metrics` } : {}) }, 'webhook listening');
        await untilStopped();
      } finally {
        await app.close();
        await metricsApp?.close();
      }
    });
  });

function untilStopped(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

void runCommand(program);
