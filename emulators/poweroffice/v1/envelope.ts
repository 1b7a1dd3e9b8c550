import type { FastifyReply } from 'fastify';
import { randomBytes } from 'node:crypto';
import type { InvoiceRecord } from '../state';

/**
 * The v1 wire format (v1 reference §2): `{data, success}` / `{data, count, success}`, camelCase,
 * null properties left out; a refused but well-formed request is HTTP 200 with `success: false`
 * and `validation: {errorLogReference, summary, exception}`; nothing to list is 204.
 */
export function v1Failure(reply: FastifyReply, summary: string, exception = 'ValidationException'): FastifyReply {
  return reply.code(200).send({ success: false, validation: { errorLogReference: randomBytes(8).toString('hex'), summary, exception } });
}

export function v1Item(reply: FastifyReply, data: unknown): FastifyReply {
  return reply.code(200).send({ data, success: true });
}

export function v1List(reply: FastifyReply, data: unknown[], count: number): FastifyReply {
  if (data.length === 0) return reply.code(204).send();
  return reply.code(200).send({ data, count, success: true });
}

/** `FactoringInvoiceDetails` properties, in the reference's order (§3); anything else in a seed stays private. */
const DETAIL_KEYS = [
  'id',
  'customerCode',
  'customerEmail',
  'totalAmount',
  'invoiceNo',
  'invoiceDeliveryDate',
  'invoiceDate',
  'dueDate',
  'createdDate',
  'isDelivered',
  'originalInvoiceNo',
  'factoringInvoiceStatus',
  'factoringInvoiceStatusDescription',
  'debtorEmailAddress',
  'debtorPhoneNumber',
  'projectCode',
  'projectName',
  'departmentCode',
  'departmentName',
] as const;

export function factoringInvoiceDetails(record: InvoiceRecord): Record<string, unknown> {
  const invoice = record.invoice as Record<string, unknown>;
  return Object.fromEntries(DETAIL_KEYS.filter((key) => invoice[key] !== undefined && invoice[key] !== null).map((key) => [key, invoice[key]]));
}

/** Drops null/undefined members: v1 leaves null properties out. */
export function withoutNulls(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined));
}
