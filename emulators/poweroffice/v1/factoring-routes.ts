import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { companyOf } from '../http/api-app';
import { applyOData, ODataError } from '../odata';
import { camelKeys, deliveredRequestSchema, describeIssues, FACTORING_STATUS_NAMES, statusRequestSchema } from './bodies';
import { factoringInvoiceDetails, v1Failure, v1Item, v1List, withoutNulls } from './envelope';

/**
 * The v1 Factoring service (v1 reference §4): list, EHF, delivered, status, delivered list,
 * settings. Status rules (§6): `delivered` only while Active (1) and only once; a status update
 * only after `delivered`. Delivering sets `isDelivered` and keeps the status as it was: the docs
 * do not say it moves to Delivered (5) (§7), so the partner sets 5 itself.
 */
const ACTIVE = 1;

function listOf(reply: FastifyReply, rows: Record<string, unknown>[], query: unknown): FastifyReply {
  try {
    const { page, count } = applyOData(rows, query as Record<string, string>);
    return v1List(reply, page, count);
  } catch (err) {
    if (err instanceof ODataError) return v1Failure(reply, err.message, 'OData');
    throw err;
  }
}

function statusName(status: number): string {
  return `${FACTORING_STATUS_NAMES[status] ?? 'Unknown'} (${status})`;
}

async function delivered(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const company = companyOf(request);
  const parsed = deliveredRequestSchema.safeParse(camelKeys(request.body));
  if (!parsed.success) return v1Failure(reply, `Invalid FactoringInvoiceDetailsDeliveredRequest: ${describeIssues(parsed.error)}`);
  const body = parsed.data;
  const record = company.findInvoice(body.factoringInvoiceId);
  if (!record) return v1Failure(reply, `Factoring invoice with id ${body.factoringInvoiceId} was not found.`, 'NotFoundException');
  record.deliveredCalls += 1;
  const invoice = record.invoice;
  if (invoice.isDelivered) return v1Failure(reply, `Invoice ${invoice.invoiceNo} is already delivered.`);
  if (invoice.factoringInvoiceStatus !== ACTIVE) {
    return v1Failure(reply, `Invoice ${invoice.invoiceNo} has factoring status ${statusName(invoice.factoringInvoiceStatus)}; delivered is only allowed while it is Active (1).`);
  }
  invoice.isDelivered = true;
  record.delivery = {
    invoiceCid: body.invoiceCid ?? null,
    comment: body.comment ?? null,
    file: body.file ? { ...body.file, bytes: Buffer.from(body.file.base64EncodedData, 'base64').length } : null,
    deliveredAt: new Date().toISOString(),
  };
  return v1Item(reply, factoringInvoiceDetails(record));
}

async function updateStatus(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const company = companyOf(request);
  const parsed = statusRequestSchema.safeParse(camelKeys(request.body));
  if (!parsed.success) return v1Failure(reply, `Invalid FactoringInvoiceStatusRequest: ${describeIssues(parsed.error)}`);
  const body = parsed.data;
  const record = company.findInvoice(body.factoringInvoiceId);
  if (!record) return v1Failure(reply, `Factoring invoice with id ${body.factoringInvoiceId} was not found.`, 'NotFoundException');
  const invoice = record.invoice;
  if (!invoice.isDelivered) return v1Failure(reply, `Invoice ${invoice.invoiceNo} has not been delivered; call Factoring/delivered before setting a factoring status.`);
  if (body.factoringInvoiceStatus === 0) return v1Failure(reply, 'Unspecified (0) is not a factoring status that can be set.');
  invoice.factoringInvoiceStatus = body.factoringInvoiceStatus;
  invoice.factoringInvoiceStatusDescription = body.factoringInvoiceStatusDescription ?? undefined;
  record.statusHistory.push({ factoringInvoiceStatus: body.factoringInvoiceStatus, factoringInvoiceStatusDescription: body.factoringInvoiceStatusDescription ?? null, at: new Date().toISOString() });
  return v1Item(reply, factoringInvoiceDetails(record));
}

export function registerFactoringRoutes(app: FastifyInstance): void {
  // "Available" = offered for factoring and not yet delivered (§4.1, §6).
  app.get('/Factoring/AvailableInvoices/', async (request, reply) => {
    const rows = companyOf(request).invoices.filter((r) => !r.invoice.isDelivered && r.invoice.factoringInvoiceStatus === ACTIVE).map(factoringInvoiceDetails);
    return listOf(reply, rows, request.query);
  });

  app.get('/Factoring/InvoicesDelivered/', async (request, reply) => {
    const rows = companyOf(request).invoices.filter((r) => r.invoice.isDelivered).map(factoringInvoiceDetails);
    return listOf(reply, rows, request.query);
  });

  app.get('/Factoring/InvoiceEhf/:invoiceId/', async (request, reply) => {
    const { invoiceId } = request.params as { invoiceId: string };
    const record = companyOf(request).findInvoice(invoiceId);
    if (!record) return v1Failure(reply, `Factoring invoice with id ${invoiceId} was not found.`, 'NotFoundException');
    return reply.code(200).type('application/xml; charset=utf-8').send(record.ehfXml);
  });

  app.post('/Factoring/delivered/', delivered);
  app.post('/Factoring/updatefactoringinvoicestatus/', updateStatus);

  app.get('/Factoring/', async (request, reply) => {
    const rows = companyOf(request).factoringSettings.map((s) => withoutNulls({ ...s }));
    return listOf(reply, rows, request.query);
  });
}
