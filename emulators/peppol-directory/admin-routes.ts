import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { describeZodError } from '../../adapters/poweroffice/v1-schemas';
import type { FaultInjector } from '../faults';
import { participantRegistrationSchema, type ParticipantRegistry } from './participants';

/**
 * The Directory emulator's admin API under /_emulator: who is registered for what, how often the
 * search API was asked (so tests can prove a cache works), and faults. Never faulted.
 */
export const ADMIN_ROUTES = [
  'GET    /_emulator                                   this list',
  'GET    /_emulator/participants                      the registrations',
  'POST   /_emulator/participants                      register or replace: { organisationNumber, documentTypes: ("Invoice"|"CreditNote")[], name? }',
  'DELETE /_emulator/participants/:organisationNumber  remove a registration',
  'GET    /_emulator/calls                             search requests: { total, byOrganisationNumber }',
  'DELETE /_emulator/calls                             start counting afresh',
  'GET    /_emulator/faults                            fault settings and counts',
  'POST   /_emulator/faults                            configure faults of the search API',
];

const numberParamsSchema = z.object({ organisationNumber: z.string() });

export function registerDirectoryAdmin(app: FastifyInstance, prefix: string, registry: ParticipantRegistry, faults: FaultInjector): void {
  app.get(prefix, async () => ({ routes: ADMIN_ROUTES }));

  app.get(`${prefix}/participants`, async () => ({ participants: registry.list() }));
  app.post(`${prefix}/participants`, async (request, reply) => {
    const body = participantRegistrationSchema.safeParse(request.body);
    if (!body.success) return reply.code(400).send({ error: describeZodError(body.error) });
    const isNew = registry.register(body.data);
    return reply.code(isNew ? 201 : 200).send(body.data);
  });
  app.delete(`${prefix}/participants/:organisationNumber`, async (request, reply) => {
    const { organisationNumber } = numberParamsSchema.parse(request.params);
    if (!registry.remove(organisationNumber)) return reply.code(404).send({ error: `${organisationNumber} is not registered` });
    return reply.code(204).send();
  });

  app.get(`${prefix}/calls`, async () => registry.calls);
  app.delete(`${prefix}/calls`, async (_request, reply) => {
    registry.resetCalls();
    return reply.code(204).send();
  });

  app.get(`${prefix}/faults`, async () => faults.report());
  app.post(`${prefix}/faults`, async (request, reply) => {
    try {
      return faults.configure(request.body ?? {});
    } catch (err) {
      if (err instanceof z.ZodError) return reply.code(400).send({ error: describeZodError(err) });
      throw err;
    }
  });
}
