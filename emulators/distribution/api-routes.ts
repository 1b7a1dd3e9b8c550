import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import {
  ehfDeliveryRequestSchema,
  emailDeliveryRequestSchema,
  letterDeliveryRequestSchema,
  type PartnerChannel,
  type PartnerReceipt,
} from '../../adapters/distribution/partner-api';
import { describeZodError } from '../../adapters/poweroffice/v1-schemas';
import type { FaultInjector } from '../faults';
import { requestFingerprint, type DeliveryStore, type PartnerEndpoint, type StoredDelivery } from './deliveries';
import { checkUbl, decodePdf, DocumentRejected, summarize } from './documents';

/**
 * The partner's API routes, as the contract (adapters/distribution/partner-api.ts) describes them:
 * bearer API key, `Idempotency-Key` on every POST, 201 with a receipt the first time, 200 with the
 * same receipt and `Idempotent-Replayed: true` for a repeat, 422 for a key reused with another body.
 * Faults are injected on these routes only (never on the admin API or the end customer's page).
 */
export const LINK_PAGE_PREFIX = '/open';

/** How one endpoint turns a valid request into what the emulator keeps. */
interface Intake<T> {
  endpoint: PartnerEndpoint;
  schema: z.ZodType<T>;
  /** Throws DocumentRejected for a document the partner would refuse. */
  keep(request: T, deliveryId: string): Omit<StoredDelivery, 'deliveryId' | 'endpoint' | 'receipt' | 'idempotencyKey' | 'requestsWithKey' | 'bodyHash'>;
}

const ehfIntake: Intake<z.infer<typeof ehfDeliveryRequestSchema>> = {
  endpoint: '/v1/ehf',
  schema: ehfDeliveryRequestSchema,
  keep: (request) => {
    checkUbl(request.ubl, request.reference.documentType);
    return { channel: 'ehf', request: { ...request, ubl: summarize(Buffer.from(request.ubl, 'utf8')) }, ubl: request.ubl };
  },
};

const emailIntake: Intake<z.infer<typeof emailDeliveryRequestSchema>> = {
  endpoint: '/v1/emails',
  schema: emailDeliveryRequestSchema,
  keep: (request, deliveryId) => {
    const content = decodePdf(request.pdf.base64);
    const pdf = { fileName: request.pdf.fileName, ...summarize(content) };
    const kept = { pdf: { fileName: request.pdf.fileName, content } };
    if (request.kind === 'attachment') return { channel: 'email-pdf', request: { ...request, pdf }, ...kept };
    return {
      channel: 'email-link',
      request: { ...request, pdf },
      ...kept,
      accessCode: request.accessCode,
      link: { path: `${LINK_PAGE_PREFIX}/${deliveryId}`, failedAttempts: 0, locked: false, lockedAt: null, openedAt: null, opens: 0, webhook: null },
    };
  },
};

const letterIntake: Intake<z.infer<typeof letterDeliveryRequestSchema>> = {
  endpoint: '/v1/letters',
  schema: letterDeliveryRequestSchema,
  keep: (request) => {
    const content = decodePdf(request.pdf.base64);
    return { channel: 'letter', request: { ...request, pdf: { fileName: request.pdf.fileName, ...summarize(content) } }, pdf: { fileName: request.pdf.fileName, content } };
  },
};

export interface PartnerApiOptions {
  apiKey: string;
  store: DeliveryStore;
  faults: FaultInjector;
}

export function registerPartnerApi(app: FastifyInstance, options: PartnerApiOptions, adminPrefix: string): void {
  void app.register(async (api) => {
    options.faults.install(api, adminPrefix);
    api.addHook('onRequest', async (request, reply) => {
      if (request.headers.authorization !== `Bearer ${options.apiKey}`) await reply.code(401).send({ error: 'invalid api key' });
    });
    const route = <T>(intake: Intake<T>) => api.post(intake.endpoint, (request, reply) => accept(request, reply, intake, options.store));
    route(ehfIntake);
    route(emailIntake);
    route(letterIntake);
  });
}

async function accept<T>(request: FastifyRequest, reply: FastifyReply, intake: Intake<T>, store: DeliveryStore): Promise<FastifyReply> {
  const key = request.headers['idempotency-key'];
  if (typeof key !== 'string' || key.length === 0 || key.length > 255) {
    return reply.code(400).send({ error: 'Idempotency-Key header (1-255 characters) is required' });
  }
  const parsed = intake.schema.safeParse(request.body);
  if (!parsed.success) return reply.code(400).send({ error: describeZodError(parsed.error) });
  const deliveryId = randomUUID();
  let kept;
  try {
    kept = intake.keep(parsed.data, deliveryId);
  } catch (err) {
    if (err instanceof DocumentRejected) return reply.code(400).send({ error: err.message });
    throw err;
  }
  const bodyHash = requestFingerprint(intake.endpoint, parsed.data);
  const admission = store.admit(key, bodyHash, () => ({
    ...kept,
    deliveryId,
    endpoint: intake.endpoint,
    receipt: receiptFor(deliveryId, kept.channel),
    idempotencyKey: key,
    requestsWithKey: 1,
    bodyHash,
  }));
  if (admission.outcome === 'conflict') return reply.code(422).send({ error: 'Idempotency-Key reused with a different request' });
  if (admission.outcome === 'replayed') return reply.code(200).header('idempotent-replayed', 'true').send(admission.delivery.receipt);
  return reply.code(201).send(admission.delivery.receipt);
}

function receiptFor(deliveryId: string, channel: PartnerChannel): PartnerReceipt {
  return { deliveryId, channel, status: 'accepted', acceptedAt: new Date().toISOString() };
}
