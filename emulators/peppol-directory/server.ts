import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { z } from 'zod';
import { FaultInjector, type FaultBody } from '../faults';
import { registerDirectoryAdmin } from './admin-routes';
import { DEMO_PEPPOL_PARTICIPANTS, ParticipantRegistry, participantRegistrationSchema } from './participants';
import { registerSearchRoute } from './search-route';

/**
 * A stand-in for the public PEPPOL Directory (directory.peppol.eu) over real HTTP: its REST
 * search API `GET /search/1.0/json?participant=…` with the response shape of
 * adapters/peppol-directory/directory-api.ts, no authentication (like the real one), and an
 * admin API (/_emulator) to register participants, count searches and order faults.
 */
export const DIRECTORY_ADMIN_PREFIX = '/_emulator';

export { DEMO_PEPPOL_PARTICIPANTS, type ParticipantRegistration, type SearchCalls } from './participants';

export interface PeppolDirectoryEmulatorOptions {
  logger?: boolean;
  /** Who is registered at start; defaults to the EHF customers of the PowerOffice demo fixture. */
  participants?: readonly z.input<typeof participantRegistrationSchema>[];
}

export interface PeppolDirectoryEmulator {
  app: FastifyInstance;
  faults: FaultInjector;
  /** Registrations and search counts, for tests that look without HTTP. */
  registry: ParticipantRegistry;
}

/** What a restart keeps (emulators/start.ts): registrations, search counts, fault settings and counts. */
export type PeppolDirectoryRecords = Pick<PeppolDirectoryEmulator, 'registry' | 'faults'>;

const optionsSchema = z.object({
  logger: z.boolean().default(false),
  participants: z.array(participantRegistrationSchema).default(() => [...DEMO_PEPPOL_PARTICIPANTS]),
});

/** The Directory answers errors as text/plain; its throttle says exactly this. */
const directoryFaultBody: FaultBody = (status) => (status === 429 ? 'REST search rate limit exceeded' : `Injected fault (HTTP ${status})`);

/**
 * A fresh app; around `kept`, the records of an instance that was closed, for a restart on the
 * same data (`participants` is then not used: the registry is the kept one).
 */
export function buildPeppolDirectoryEmulator(input: PeppolDirectoryEmulatorOptions = {}, kept?: PeppolDirectoryRecords): PeppolDirectoryEmulator {
  const options = optionsSchema.parse(input);
  // An injected hang must not hold close() up.
  const app = Fastify({ logger: options.logger, forceCloseConnections: true });
  const { faults, registry } = kept ?? { faults: new FaultInjector(Math.random, directoryFaultBody), registry: new ParticipantRegistry(options.participants) };

  app.setErrorHandler((error: FastifyError, _request, reply) => {
    const status = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
    return reply.code(status).type('text/plain;charset=utf-8').send(status === 500 ? 'internal error in the emulator' : error.message);
  });

  registerSearchRoute(app, registry, faults, DIRECTORY_ADMIN_PREFIX);
  registerDirectoryAdmin(app, DIRECTORY_ADMIN_PREFIX, registry, faults);
  return { app, faults, registry };
}
