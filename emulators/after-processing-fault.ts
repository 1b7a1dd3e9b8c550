import type { FastifyRequest } from 'fastify';
import { z } from 'zod';

/**
 * "Done but unanswered": the upstream took the write (its state changed, the call is counted),
 * then the answer never reaches the client, because the connection is reset or because the answer
 * is held past the client's timeout. Only a business idempotency key makes the client's retry
 * harmless; these settings let tests and `npm run chaos` produce that case on purpose.
 */
export const afterProcessingSettingsSchema = z.strictObject({
  /** Share (0..1) of matching answers that are lost, once `count` is used up. */
  rate: z.number().min(0).max(1).default(0),
  /** The next N matching answers are lost, whatever the rate (deterministic tests). */
  count: z.number().int().min(0).default(0),
  /**
   * Which routes: each entry is a route pattern as the emulator registers it
   * (`/v1/clients/:clientId/payments`, `/Factoring/delivered/`) or a prefix of the called path
   * (`/v1/`, `/Vouchers/`), compared case-insensitively. Empty: every route of the API.
   */
  routes: z.array(z.string().min(1)).default([]),
  /** Which methods; by default the writes. Add GET to lose read answers too (harmless). */
  methods: z.array(z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'])).default(['POST', 'PUT', 'PATCH', 'DELETE']),
  /** `reset`: the connection is destroyed instead of answered; `hang`: the answer is held `hangMs`; `either`: one roll picks. */
  mode: z.enum(['reset', 'hang', 'either']).default('reset'),
  /**
   * How long a `hang` holds the answer; defaults to the settings' `timeoutMs`. Longer than the
   * client's timeout: the client gives up and the answer is never sent. Shorter: the answer
   * arrives late (a slow upstream), which is how "an attempt outlives its heartbeat" is produced.
   */
  hangMs: z.number().int().min(1).max(600_000).optional(),
});
export type AfterProcessingSettings = z.infer<typeof afterProcessingSettingsSchema>;

export type AfterProcessingFault = { kind: 'reset' } | { kind: 'hang'; ms: number };

/** What the admin API reports: lost answers in total and per "METHOD /route-pattern". */
export interface AfterProcessingCounts {
  injected: number;
  byRoute: Record<string, number>;
}

/**
 * Decides, per processed answer, whether it is lost, and adds it to `counts` (owned by the caller,
 * so the totals survive a reconfiguration in the middle of a chaos run).
 */
export class AfterProcessingPlan {
  private remainingCount: number;

  constructor(
    readonly settings: AfterProcessingSettings,
    private readonly random: () => number,
    private readonly defaultHangMs: number,
    private readonly counts: AfterProcessingCounts,
  ) {
    this.remainingCount = settings.count;
  }

  /**
   * Only answers below 400 count: a write that took effect. Refusals and injected errors are not
   * "processed", and a lost 429 is just a before-processing fault.
   */
  decide(request: FastifyRequest, statusCode: number): AfterProcessingFault | undefined {
    if (statusCode >= 400 || !this.matches(request)) return undefined;
    const { rate, mode } = this.settings;
    if (this.remainingCount > 0) this.remainingCount -= 1;
    else if (rate === 0 || this.random() >= rate) return undefined;
    const kind = mode === 'either' ? (this.random() < 0.5 ? 'reset' : 'hang') : mode;
    this.count(request);
    return kind === 'reset' ? { kind } : { kind, ms: this.settings.hangMs ?? this.defaultHangMs };
  }

  private matches(request: FastifyRequest): boolean {
    const { routes, methods } = this.settings;
    if (!methods.some((method) => method === request.method)) return false;
    if (routes.length === 0) return true;
    const pattern = (request.routeOptions.url ?? '').toLowerCase();
    const path = (request.url.split('?')[0] ?? '').toLowerCase();
    return routes.some((route) => {
      const wanted = route.toLowerCase();
      return wanted === pattern || path.startsWith(wanted);
    });
  }

  private count(request: FastifyRequest): void {
    const key = `${request.method} ${request.routeOptions.url ?? '(no route)'}`;
    this.counts.injected += 1;
    this.counts.byRoute[key] = (this.counts.byRoute[key] ?? 0) + 1;
  }
}

/** mulberry32: a small seeded generator, so a fault pattern can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
