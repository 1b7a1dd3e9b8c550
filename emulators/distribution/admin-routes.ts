import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { deliveryChannels } from '../../adapters/distribution/partner-api';
import type { FaultInjector } from '../faults';
import { recorded, type DeliveryStore, type StoredDelivery } from './deliveries';

/**
 * The emulator's admin API under /_emulator: what was delivered (documents by their own routes),
 * the e-mails as the end customers received them, and fault injection. Never faulted.
 */
export const ADMIN_ROUTES = [
  'GET  /_emulator                        this list',
  'GET  /_emulator/deliveries?channel=    every delivery (base64 bodies as size + sha256), link page state and webhook attempts',
  'GET  /_emulator/deliveries/:id         one delivery by deliveryId',
  'GET  /_emulator/deliveries/:id/pdf     the PDF as received (e-mails and letters)',
  'GET  /_emulator/deliveries/:id/ubl     the EHF (UBL XML) as received',
  'GET  /_emulator/mailbox                the e-mails sent: to, subject, kind, access code, link',
  'GET  /_emulator/faults                 fault settings and counts (afterProcessing.byRoute: answers lost after the write)',
  'POST /_emulator/faults                 configure faults of the partner API (/v1/…)',
];

const channelFilterSchema = z.object({ channel: z.enum(deliveryChannels).optional() });
const idParamsSchema = z.object({ id: z.string() });

export function registerAdminRoutes(app: FastifyInstance, prefix: string, store: DeliveryStore, faults: FaultInjector): void {
  app.get(prefix, async () => ({ routes: ADMIN_ROUTES }));

  app.get(`${prefix}/deliveries`, async (request, reply) => {
    const filter = channelFilterSchema.safeParse(request.query);
    if (!filter.success) return reply.code(400).send({ error: `channel must be one of ${deliveryChannels.join(', ')}` });
    const deliveries = store.list().filter((d) => filter.data.channel === undefined || d.channel === filter.data.channel);
    return { deliveries: deliveries.map(recorded) };
  });

  app.get(`${prefix}/deliveries/:id`, async (request, reply) => {
    const delivery = found(store, request, reply);
    if (!delivery) return reply;
    return recorded(delivery);
  });

  app.get(`${prefix}/deliveries/:id/pdf`, async (request, reply) => {
    const delivery = found(store, request, reply);
    if (!delivery) return reply;
    if (!delivery.pdf) return reply.code(404).send({ error: `delivery ${delivery.deliveryId} (${delivery.channel}) carried no PDF` });
    return reply.type('application/pdf').send(delivery.pdf.content);
  });

  app.get(`${prefix}/deliveries/:id/ubl`, async (request, reply) => {
    const delivery = found(store, request, reply);
    if (!delivery) return reply;
    if (delivery.ubl === undefined) return reply.code(404).send({ error: `delivery ${delivery.deliveryId} (${delivery.channel}) carried no EHF` });
    return reply.type('application/xml; charset=utf-8').send(delivery.ubl);
  });

  app.get(`${prefix}/mailbox`, async (request) => ({
    emails: store
      .list()
      .filter((d) => d.endpoint === '/v1/emails')
      .map((d) => mailboxEntry(d, `${request.protocol}://${request.host}`)),
  }));

  app.get(`${prefix}/faults`, async () => faults.report());
  app.post(`${prefix}/faults`, async (request, reply) => {
    try {
      return faults.configure(request.body ?? {});
    } catch (err) {
      if (err instanceof z.ZodError) return reply.code(400).send({ error: err.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ') });
      throw err;
    }
  });
}

function found(store: DeliveryStore, request: FastifyRequest, reply: FastifyReply): StoredDelivery | undefined {
  const { id } = idParamsSchema.parse(request.params);
  const delivery = store.get(id);
  if (!delivery) void reply.code(404).send({ error: `no delivery ${id}` });
  return delivery;
}

/** An e-mail as the end customer got it; the access code is known here because the partner sent it. */
function mailboxEntry(delivery: StoredDelivery, origin: string) {
  const request = delivery.request;
  if (!('kind' in request)) throw new Error(`delivery ${delivery.deliveryId} from /v1/emails has no e-mail kind`);
  return {
    deliveryId: delivery.deliveryId,
    kind: request.kind,
    to: request.to,
    subject: request.subject,
    sentAt: delivery.receipt.acceptedAt,
    ...(delivery.accessCode === undefined ? {} : { accessCode: delivery.accessCode }),
    ...(delivery.link ? { link: `${origin}${delivery.link.path}`, openedAt: delivery.link.openedAt } : { attachment: request.pdf }),
  };
}
