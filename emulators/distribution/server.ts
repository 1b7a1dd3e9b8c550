import { createHash, randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { deliveryRequestSchema, type DeliveryReceipt, type DeliveryRequest } from '../../adapters/distribution/partner-client';
import { describeZodError } from '../../adapters/poweroffice/v1-schemas';
import { FaultInjector } from '../faults';

/**
 * A stand-in for the distribution partner (EHF access point, e-mail, print) over real HTTP.
 * It records every delivery and honours `Idempotency-Key`: the same key and body gives back the
 * first receipt (HTTP 200, `Idempotent-Replayed: true`); the same key with another body is a 422.
 */
export const ADMIN_PREFIX = '/_emulator';

export interface RecordedDelivery {
  receipt: DeliveryReceipt;
  request: DeliveryRequest;
  idempotencyKey: string;
  /** How many requests carried this key (1 = sent once, more = deduplicated retries). */
  requestsWithKey: number;
}

export interface DistributionEmulator {
  app: FastifyInstance;
  faults: FaultInjector;
  deliveries: Map<string, RecordedDelivery & { bodyHash: string }>;
}

export function buildDistributionEmulator(options: { apiKey: string; logger?: boolean }): DistributionEmulator {
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: 10 * 1024 * 1024 });
  const faults = new FaultInjector();
  const deliveries: DistributionEmulator['deliveries'] = new Map();
  faults.install(app, ADMIN_PREFIX);

  app.post('/v1/deliveries', async (request, reply) => {
    if (request.headers.authorization !== `Bearer ${options.apiKey}`) return reply.code(401).send({ error: 'invalid api key' });
    const key = request.headers['idempotency-key'];
    if (typeof key !== 'string' || key.length === 0 || key.length > 255) {
      return reply.code(400).send({ error: 'Idempotency-Key header (1-255 characters) is required' });
    }
    const parsed = deliveryRequestSchema.safeParse(request.body);
    if (!parsed.success) return reply.code(400).send({ error: describeZodError(parsed.error) });
    const bodyHash = createHash('sha256').update(JSON.stringify(parsed.data)).digest('hex');
    const existing = deliveries.get(key);
    if (existing) {
      if (existing.bodyHash !== bodyHash) return reply.code(422).send({ error: 'Idempotency-Key reused with a different request' });
      existing.requestsWithKey += 1;
      return reply.code(200).header('idempotent-replayed', 'true').send(existing.receipt);
    }
    const receipt: DeliveryReceipt = {
      deliveryId: randomUUID(),
      channel: parsed.data.channel,
      status: 'accepted',
      acceptedAt: new Date().toISOString(),
    };
    deliveries.set(key, { receipt, request: parsed.data, idempotencyKey: key, requestsWithKey: 1, bodyHash });
    return reply.code(201).send(receipt);
  });

  app.get(`${ADMIN_PREFIX}/deliveries`, async () => ({
    deliveries: [...deliveries.values()].map(({ bodyHash: _hash, ...delivery }) => delivery),
  }));
  app.post(`${ADMIN_PREFIX}/faults`, async (request) => faults.configure(request.body ?? {}));

  return { app, faults, deliveries };
}
