import type { FastifyInstance } from 'fastify';
import type { FaultInjector } from '../faults';
import { registerAdminRoutes } from './admin';
import { type PowerOfficeSeedInput, powerOfficeSeedSchema } from './fixture-schema';
import { CallLog } from './http/call-log';
import { SlidingWindowRateLimit } from './http/rate-limit';
import { TokenStore } from './http/tokens';
import { EmulatorState } from './state';
import { buildV1App } from './v1/app';
import { buildV2App, type ServedRoute } from './v2/app';

/**
 * A stand-in for PowerOffice GO over real HTTP, faithful to ../shared/reference: the v1 Factoring
 * API on one listener (`app`, like api.poweroffice.net) and the v2 API on another (`v2App`, like
 * goapi.poweroffice.net), over one shared state. Each client key sees its own company. Admin routes
 * under /_emulator on both listeners let tests and the demo add data, read back what the service
 * wrote, count calls, tune the rate limits and inject faults. See README.md beside this file.
 */
export { ADMIN_PREFIX } from './http/api-app';

/** Requests per second PowerOffice allows (reference §4: v2 per subscription key, v1 per application key). */
export const RATE_LIMITS = { v1: { limit: 50, windowMs: 1000 }, v2: { limit: 10, windowMs: 1000 } } as const;

export interface PowerOfficeEmulatorOptions {
  /** Seed in PowerOffice's shapes; parsed here, so fields with defaults may be left out. */
  seed: PowerOfficeSeedInput;
  /** Seconds a token lives; PowerOffice says 599 or 1200 depending on the page, so tests vary it. */
  tokenLifetimeSeconds?: number;
  logger?: boolean;
}

export interface PowerOfficeEmulator {
  /** The v1 listener. */
  app: FastifyInstance;
  /** The v2 listener (`/OAuth/Token`, `/v2/…`). */
  v2App: FastifyInstance;
  /** The `/v2/…` routes served, with the privileges each asks for (filled when v2App is ready). */
  v2Routes: ServedRoute[];
  /** Faults of the v1 listener. */
  faults: FaultInjector;
  /** Faults of the v2 listener. */
  v2Faults: FaultInjector;
  /** v1 calls per "METHOD path" (query string left out), admin routes excluded. */
  calls: Map<string, number>;
  /** Every call to either listener, with route pattern, client and status. */
  callLog: CallLog;
  /** Tokens issued by both token endpoints. */
  readonly tokensIssued: number;
  state: EmulatorState;
  rateLimits: { v1: SlidingWindowRateLimit; v2: SlidingWindowRateLimit };
  tokens: { v1: TokenStore; v2: TokenStore };
}

/**
 * What a restart keeps (emulators/start.ts): the companies and what the service wrote, the calls,
 * the tokens issued (still valid), the fault settings and counts, and the rate-limit windows with
 * their counts: the throttle is PowerOffice's gateway (Azure API Management), which does not forget
 * a key's requests because a backend restarted, and a run's busiest window must cover the whole run.
 */
export type PowerOfficeRecords = Pick<PowerOfficeEmulator, 'state' | 'callLog' | 'tokens' | 'rateLimits' | 'faults' | 'v2Faults'>;

/**
 * Both listeners, fresh; around `kept`, the records of an instance that was closed, for a restart
 * on the same data (the seed and token lifetime are then those the kept records were made with).
 */
export function buildPowerOfficeEmulator(options: PowerOfficeEmulatorOptions, kept?: PowerOfficeRecords): PowerOfficeEmulator {
  const { state, callLog, tokens, rateLimits } = kept ?? newPowerOfficeRecords(options);
  const logger = options.logger ?? false;
  const v1 = buildV1App({ state, tokens: tokens.v1, callLog, rateLimit: rateLimits.v1, logger, ...(kept ? { faults: kept.faults } : {}) });
  const v2 = buildV2App({ state, tokens: tokens.v2, callLog, rateLimit: rateLimits.v2, logger, ...(kept ? { faults: kept.v2Faults } : {}) });
  const admin = { state, callLog, faults: { v1: v1.faults, v2: v2.faults }, rateLimits, tokens };
  registerAdminRoutes(v1.app, admin, 'v1');
  registerAdminRoutes(v2.app, admin, 'v2');
  return {
    app: v1.app,
    v2App: v2.app,
    v2Routes: v2.routes,
    faults: v1.faults,
    v2Faults: v2.faults,
    calls: callLog.v1ByPath,
    callLog,
    get tokensIssued() {
      return tokens.v1.issued + tokens.v2.issued;
    },
    state,
    rateLimits,
    tokens,
  };
}

/** Everything but the fault injectors, which the listeners create. */
function newPowerOfficeRecords(options: PowerOfficeEmulatorOptions): Omit<PowerOfficeRecords, 'faults' | 'v2Faults'> {
  const lifetime = options.tokenLifetimeSeconds ?? 1200;
  return {
    state: new EmulatorState(powerOfficeSeedSchema.parse(options.seed)),
    callLog: new CallLog(),
    tokens: { v1: new TokenStore('v1', lifetime), v2: new TokenStore('v2', lifetime) },
    rateLimits: { v1: new SlidingWindowRateLimit({ ...RATE_LIMITS.v1 }), v2: new SlidingWindowRateLimit({ ...RATE_LIMITS.v2 }) },
  };
}
