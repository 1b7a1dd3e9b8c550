import { z } from 'zod';
import { CLIENT_ID_PATTERN, CLIENT_ID_RULE, INVOICE_ID_PATTERN, INVOICE_ID_RULE, MAX_INVOICE_NO } from '../../domain/workflow-ids';

/**
 * The distribution partner's HTTP API: EHF through its PEPPOL access point, e-mail (with a link
 * and a one-time access code, or with the PDF attached) and printed letters. The partner is a
 * company we contract with; this file is the contract, shared by our HTTP adapter and the emulator.
 *
 * Every POST carries `Authorization: Bearer <api key>` and `Idempotency-Key: <business key>`.
 * Same key and same body again: 200 with the first receipt and `Idempotent-Replayed: true`.
 * Same key, other body: 422. Bad body: 400 `{ error }`. 429 with Retry-After when throttled.
 */

export const documentReferenceSchema = z.object({
  clientId: z.string().min(1),
  invoiceId: z.string().min(1),
  invoiceNo: z.number().int().positive(),
  documentType: z.enum(['Invoice', 'CreditNote']),
});
export type DocumentReference = z.infer<typeof documentReferenceSchema>;

export const pdfAttachmentSchema = z.object({
  fileName: z.string().regex(/^[\w.-]+\.pdf$/),
  base64: z.string().min(1),
});

/** POST /v1/ehf: the outgoing UBL document to the receiver's PEPPOL endpoint. */
export const ehfDeliveryRequestSchema = z.object({
  reference: documentReferenceSchema,
  receiver: z.object({ scheme: z.literal('0192'), identifier: z.string().regex(/^\d{9}$/) }),
  ubl: z.string().min(1),
});

/** POST /v1/emails: `link` hosts the PDF behind the access code; `attachment` attaches it. */
export const emailDeliveryRequestSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('link'),
    reference: documentReferenceSchema,
    to: z.email(),
    subject: z.string().min(1).max(200),
    pdf: pdfAttachmentSchema,
    /** One-time access code the end customer types on the partner's page: 8 digits. */
    accessCode: z.string().regex(/^\d{8}$/),
  }),
  z.object({
    kind: z.literal('attachment'),
    reference: documentReferenceSchema,
    to: z.email(),
    subject: z.string().min(1).max(200),
    pdf: pdfAttachmentSchema,
  }),
]);

export const postalRecipientSchema = z.object({
  name: z.string().min(1),
  addressLines: z.array(z.string().min(1)).min(1).max(3),
  postalCode: z.string().min(1),
  city: z.string().min(1),
  countryCode: z.string().regex(/^[A-Z]{2}$/),
});
export type PostalRecipient = z.infer<typeof postalRecipientSchema>;

/** POST /v1/letters: printed and posted by the partner. */
export const letterDeliveryRequestSchema = z.object({
  reference: documentReferenceSchema,
  recipient: postalRecipientSchema,
  pdf: pdfAttachmentSchema,
});

export const deliveryChannels = ['ehf', 'email-link', 'email-pdf', 'letter'] as const;
export type PartnerChannel = (typeof deliveryChannels)[number];

/**
 * The partner's ids (deliveryId, eventId): opaque tokens of 1-100 letters, digits, '_', '-', '.'
 * or ':', starting with a letter or digit. Checked on the receipt and again on the webhook.
 */
export const OPAQUE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$/;
const opaqueId = (what: string) => z.string().regex(OPAQUE_ID_PATTERN, `${what} is 1-100 letters, digits, '_', '-', '.' or ':', starting with a letter or digit`);

/** PowerOffice GO's invoice numbers are positive whole numbers; a KID is built from them (and an invoice's workflow id). */
export { MAX_INVOICE_NO };

export const partnerReceiptSchema = z.object({
  deliveryId: opaqueId('a delivery id'),
  channel: z.enum(deliveryChannels),
  status: z.literal('accepted'),
  acceptedAt: z.iso.datetime({ offset: true }),
});
export type PartnerReceipt = z.infer<typeof partnerReceiptSchema>;

/**
 * The partner's call to our webhook when the end customer entered the right access code.
 * Headers: `X-FF-Timestamp: <unix seconds>`, `X-FF-Signature: sha256=<hex>` where the signature
 * is HMAC-SHA256 with the shared secret over `${timestamp}.${rawBody}`.
 */
export const invoiceOpenedEventSchema = z.object({
  eventId: opaqueId('an event id'),
  type: z.literal('invoice.opened'),
  deliveryId: opaqueId('a delivery id'),
  reference: z.object({
    // Our ids, as we sent them in the document reference; they name the invoice's workflow.
    clientId: z.string().regex(CLIENT_ID_PATTERN, CLIENT_ID_RULE),
    invoiceId: z.string().regex(INVOICE_ID_PATTERN, INVOICE_ID_RULE),
    invoiceNo: z.number('an invoice number is a whole number from 1').int('an invoice number is a whole number from 1').min(1, 'an invoice number is a whole number from 1').max(MAX_INVOICE_NO, `an invoice number has at most 15 digits`),
  }),
  openedAt: z.iso.datetime({ offset: true, error: 'openedAt is an ISO 8601 instant with offset, e.g. 2026-12-01T09:30:00Z' }),
});
export type InvoiceOpenedEvent = z.infer<typeof invoiceOpenedEventSchema>;

export type EhfDeliveryRequest = z.infer<typeof ehfDeliveryRequestSchema>;
export type EmailDeliveryRequest = z.infer<typeof emailDeliveryRequestSchema>;
export type LetterDeliveryRequest = z.infer<typeof letterDeliveryRequestSchema>;

/** What the activities use; the HTTP adapter implements it against the partner (or its emulator). */
export interface DistributionPartner {
  sendEhf(request: EhfDeliveryRequest, idempotencyKey: string): Promise<PartnerReceipt>;
  sendEmail(request: EmailDeliveryRequest, idempotencyKey: string): Promise<PartnerReceipt>;
  sendLetter(request: LetterDeliveryRequest, idempotencyKey: string): Promise<PartnerReceipt>;
}
