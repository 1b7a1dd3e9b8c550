import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { companyOf } from '../http/api-app';
import type { VoucherKind } from '../state';
import { postVoucher, VoucherRefused } from './post-voucher';
import { notFound, sendProblem, sendValidationProblem } from './problem';
import { bankVoucherPostSchema, bindingErrors, manualVoucherPostSchema, type VoucherPost } from './voucher-bodies';

/**
 * `POST /Vouchers/BankJournals|ManualJournals` (201 with the posted voucher and a Location) and
 * `GET …/{id}`, which answers only vouchers of that type this integration posted on this client.
 */
export const VOUCHER_PRIVILEGES: Record<VoucherKind, readonly string[]> = {
  BankJournals: ['BankVoucher_Full'],
  ManualJournals: ['ManualVoucher_Full'],
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LABEL: Record<VoucherKind, string> = { BankJournals: 'Bank voucher', ManualJournals: 'Manual voucher' };

function registerKind(app: FastifyInstance, kind: VoucherKind, schema: z.ZodType<VoucherPost>): void {
  const config = { privileges: VOUCHER_PRIVILEGES[kind] };

  app.post(`/Vouchers/${kind}`, { config }, async (request: FastifyRequest, reply: FastifyReply) => {
    const parsed = schema.safeParse(request.body);
    if (!parsed.success) return sendValidationProblem(request, reply, bindingErrors(parsed.error));
    try {
      const stored = postVoucher(companyOf(request), kind, parsed.data, request.body);
      return reply.code(201).header('location', `/v2/Vouchers/${kind}/${stored.dto.Id}`).send(stored.dto);
    } catch (err) {
      if (err instanceof VoucherRefused) return sendProblem(request, reply, err.status, err.title, err.message);
      throw err;
    }
  });

  app.get(`/Vouchers/${kind}/:id`, { config }, async (request: FastifyRequest, reply: FastifyReply) => {
    const { id } = request.params as { id: string };
    if (!UUID.test(id)) return sendValidationProblem(request, reply, { id: [`The value '${id}' is not valid.`] });
    const stored = companyOf(request).vouchers.get(id.toLowerCase());
    if (!stored || stored.kind !== kind) return notFound(request, reply, `${LABEL[kind]} with id = ${id} not found.`);
    return reply.send(stored.dto);
  });
}

export function registerVoucherRoutes(app: FastifyInstance): void {
  registerKind(app, 'BankJournals', bankVoucherPostSchema);
  registerKind(app, 'ManualJournals', manualVoucherPostSchema);
}
