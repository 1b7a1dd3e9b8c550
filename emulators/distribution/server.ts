import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { z } from 'zod';
import { FaultInjector, type FaultBody } from '../faults';
import { closedForRestart } from '../restart';
import { registerAdminRoutes } from './admin-routes';
import { registerPartnerApi } from './api-routes';
import { DeliveryStore, type StoredDelivery } from './deliveries';
import { registerLinkPage } from './link-page';
import { DEFAULT_WEBHOOK_RETRY, WebhookSender, type WebhookRetryPolicy } from './webhook-sender';

/**
 * A stand-in for the distribution partner (EHF access point, e-mail, print) over real HTTP, as
 * the contract adapters/distribution/partner-api.ts describes it: the API (/v1/…), the end
 * customer's page behind a link e-mail (/open/:deliveryId) with its signed `invoice.opened`
 * webhook, and an admin API for tests (/_emulator). Every delivery is recorded; `Idempotency-Key`
 * is honoured (same key and body: the first receipt again; other body: 422).
 */
export const ADMIN_PREFIX = '/_emulator';

export type { RecordedDelivery, StoredDelivery, WebhookLog, LinkPageState } from './deliveries';

export interface DistributionEmulatorOptions {
  apiKey: string;
  logger?: boolean;
  /** Our webhook (POST /webhooks/invoice-opened). Without it openings are recorded, nobody is called. */
  webhookUrl?: string;
  /** The shared HMAC secret; required with webhookUrl. */
  webhookSecret?: string;
  webhookRetry?: Partial<WebhookRetryPolicy>;
  /** Wrong codes before a link page locks (the contract's partner locks after 5). */
  maxWrongCodes?: number;
}

export interface DistributionEmulator {
  app: FastifyInstance;
  faults: FaultInjector;
  /** Keyed by Idempotency-Key. */
  deliveries: Map<string, StoredDelivery>;
  store: DeliveryStore;
  /** null without webhookUrl; `idle()` waits for webhook calls in progress. */
  webhooks: WebhookSender | null;
}

/**
 * What a restart keeps (emulators/start.ts): deliveries, link pages, fault settings and counts, and
 * the webhook sender with the calls it is making: the partner's outbox of `invoice.opened` events
 * outlives a restart of its API, as a durable outbox would, so no opening goes untold.
 */
export type DistributionRecords = Pick<DistributionEmulator, 'store' | 'faults' | 'webhooks'>;

const optionsSchema = z
  .object({
    apiKey: z.string().min(1),
    logger: z.boolean().default(false),
    webhookUrl: z.url({ protocol: /^https?$/ }).optional(),
    webhookSecret: z.string().min(1).optional(),
    webhookRetry: z
      .object({ attempts: z.number().int().min(1).max(20), initialDelayMs: z.number().int().min(0), maxDelayMs: z.number().int().min(0), timeoutMs: z.number().int().min(1) })
      .partial()
      .default({}),
    maxWrongCodes: z.number().int().min(1).default(5),
  })
  .refine((o) => (o.webhookUrl === undefined) === (o.webhookSecret === undefined), 'webhookUrl and webhookSecret go together');

/** The partner's error dialect, for injected faults too. */
const partnerFaultBody: FaultBody = (status) => ({ error: status === 429 ? 'Too Many Requests' : `Injected fault (HTTP ${status})` });

/** A fresh app; around `kept`, the records of an instance that was closed, for a restart on the same data. */
export function buildDistributionEmulator(input: DistributionEmulatorOptions, kept?: DistributionRecords): DistributionEmulator {
  const options = optionsSchema.parse(input);
  const app = Fastify({
    logger: options.logger,
    // PDFs travel base64 in JSON.
    bodyLimit: 10 * 1024 * 1024,
    // An injected hang must not hold close() up.
    forceCloseConnections: true,
  });
  const { faults, store, webhooks } = kept ?? {
    faults: new FaultInjector(Math.random, partnerFaultBody),
    store: new DeliveryStore(),
    webhooks: options.webhookUrl && options.webhookSecret
      ? new WebhookSender({ url: options.webhookUrl, secret: options.webhookSecret }, { ...DEFAULT_WEBHOOK_RETRY, ...options.webhookRetry })
      : null,
  };

  app.setErrorHandler((error: FastifyError, _request, reply) => {
    const status = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
    return reply.code(status).send({ error: status === 500 ? 'internal error in the emulator' : error.message });
  });
  app.addHook('onClose', async () => {
    // A restart hands the sender on to the next app (DistributionRecords).
    if (!closedForRestart(app)) await webhooks?.close();
  });

  registerPartnerApi(app, { apiKey: options.apiKey, store, faults }, ADMIN_PREFIX);
  registerLinkPage(app, { store, webhook: webhooks, maxWrongCodes: options.maxWrongCodes });
  registerAdminRoutes(app, ADMIN_PREFIX, store, faults);

  return { app, faults, deliveries: store.byKey, store, webhooks };
}
