import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { InvoiceOpenedEvent } from '../../adapters/distribution/partner-api';
import { LINK_PAGE_PREFIX } from './api-routes';
import type { DeliveryStore, LinkPageState, StoredDelivery, WebhookLog } from './deliveries';
import { codeFormPage, lockedPage, MISSING_CODE_MESSAGE, notFoundPage, wrongCodeMessage } from './link-page-html';
import type { WebhookSender } from './webhook-sender';

/**
 * The page a link e-mail points to: `GET /open/:deliveryId` shows the code form; `POST` with the
 * right `code` serves the PDF and, the first time, records the opening and tells our webhook.
 * After `maxWrongCodes` wrong codes the delivery is locked (423), the right code included.
 */
export interface LinkPageOptions {
  store: DeliveryStore;
  /** null: the emulator has no webhook target; openings are recorded, nobody is called. */
  webhook: WebhookSender | null;
  maxWrongCodes: number;
}

type LinkDelivery = StoredDelivery & { link: LinkPageState; accessCode: string; pdf: NonNullable<StoredDelivery['pdf']> };

const paramsSchema = z.object({ deliveryId: z.string() });
const formSchema = z.object({ code: z.string().trim().min(1) });

export function registerLinkPage(app: FastifyInstance, options: LinkPageOptions): void {
  void app.register(async (pages) => {
    // A browser posts the form urlencoded; nothing else is worth accepting here.
    pages.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 4096 }, (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    });

    pages.get(`${LINK_PAGE_PREFIX}/:deliveryId`, async (request, reply) => {
      const delivery = linkDelivery(options.store, paramsSchema.parse(request.params).deliveryId);
      if (!delivery) return html(reply, 404, notFoundPage());
      if (delivery.link.locked) return html(reply, 423, lockedPage());
      return html(reply, 200, formPage(delivery));
    });

    pages.post(`${LINK_PAGE_PREFIX}/:deliveryId`, async (request, reply) => {
      const delivery = linkDelivery(options.store, paramsSchema.parse(request.params).deliveryId);
      if (!delivery) return html(reply, 404, notFoundPage());
      if (delivery.link.locked) return html(reply, 423, lockedPage());
      const form = formSchema.safeParse(request.body ?? {});
      if (!form.success) return html(reply, 400, formPage(delivery, MISSING_CODE_MESSAGE));
      if (!sameCode(form.data.code, delivery.accessCode)) return wrongCode(reply, delivery, options.maxWrongCodes);
      recordOpening(delivery, options.webhook);
      return reply
        .code(200)
        .type('application/pdf')
        .header('content-disposition', `inline; filename="${delivery.pdf.fileName}"`)
        .header('cache-control', 'no-store')
        .send(delivery.pdf.content);
    });
  });
}

function linkDelivery(store: DeliveryStore, deliveryId: string): LinkDelivery | undefined {
  const delivery = store.get(deliveryId);
  if (!delivery?.link || delivery.accessCode === undefined || !delivery.pdf) return undefined;
  return delivery as LinkDelivery;
}

function formPage(delivery: LinkDelivery, problem?: string): string {
  const { reference } = delivery.request;
  return codeFormPage({ action: delivery.link.path, documentType: reference.documentType, invoiceNo: reference.invoiceNo, ...(problem ? { problem } : {}) });
}

/** Compares digests, so the time taken says nothing about how much of the code was right. */
function sameCode(given: string, expected: string): boolean {
  const digest = (code: string) => createHash('sha256').update(code).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

function wrongCode(reply: FastifyReply, delivery: LinkDelivery, maxWrongCodes: number): FastifyReply {
  const link = delivery.link;
  link.failedAttempts += 1;
  if (link.failedAttempts >= maxWrongCodes) {
    link.locked = true;
    link.lockedAt = new Date().toISOString();
    return html(reply, 423, lockedPage());
  }
  return html(reply, 401, formPage(delivery, wrongCodeMessage(maxWrongCodes - link.failedAttempts)));
}

/** The first right code opens the invoice and starts the webhook; later ones only count. */
function recordOpening(delivery: LinkDelivery, webhook: WebhookSender | null): void {
  const link = delivery.link;
  link.opens += 1;
  if (link.openedAt !== null) return;
  link.openedAt = new Date().toISOString();
  const log: WebhookLog = { outcome: 'not configured', eventId: null, url: null, attempts: [] };
  link.webhook = log;
  webhook?.send(openedEvent(delivery, link.openedAt), log);
}

function openedEvent(delivery: LinkDelivery, openedAt: string): InvoiceOpenedEvent {
  const { clientId, invoiceId, invoiceNo } = delivery.request.reference;
  return { eventId: `evt_${randomUUID()}`, type: 'invoice.opened', deliveryId: delivery.deliveryId, reference: { clientId, invoiceId, invoiceNo }, openedAt };
}

function html(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('content-security-policy', "default-src 'none'; form-action 'self'")
    .send(body);
}
