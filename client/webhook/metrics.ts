import Fastify, { type FastifyInstance } from 'fastify';

export const WEBHOOK_METRICS = {
  answers: 'ff_webhook_answers_total',
} as const;

/**
 * The webhook's metrics. The webhook is a Temporal client, not a worker: it has no SDK runtime
 * whose meter could serve them, so it keeps its one counter family itself and writes Prometheus'
 * text format (0.0.4) by hand, which for a counter is a few lines and no dependency. Labelled by
 * status only: nothing the partner sends (client id, invoice id) ever becomes a label, so a caller
 * cannot grow the series.
 */
export class WebhookMetrics {
  private readonly answers = new Map<number, number>();

  /** One answer of the invoice-opened route. */
  countAnswer(status: number): void {
    this.answers.set(status, (this.answers.get(status) ?? 0) + 1);
  }

  /** Prometheus' text exposition format. */
  exposition(): string {
    const lines = [
      `# HELP ${WEBHOOK_METRICS.answers} Answers of the invoice-opened webhook, by HTTP status`,
      `# TYPE ${WEBHOOK_METRICS.answers} counter`,
      ...[...this.answers].sort(([a], [b]) => a - b).map(([status, count]) => `${WEBHOOK_METRICS.answers}{status="${status}"} ${count}`),
    ];
    return `${lines.join('\n')}\n`;
  }
}

/**
 * GET /metrics on a listener of its own (WEBHOOK_METRICS_PORT): the webhook's port faces the
 * partner (through a proxy on the internet), the metrics only the scraper inside the deployment.
 */
export function buildMetricsServer(metrics: WebhookMetrics): FastifyInstance {
  const app = Fastify({ logger: false });
  app.get('/metrics', async (_request, reply) => reply.type('text/plain; version=0.0.4; charset=utf-8').send(metrics.exposition()));
  return app;
}
