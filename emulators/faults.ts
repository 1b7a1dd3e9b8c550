import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';

/**
 * Fault injection shared by the emulators, so tests can prove the service survives a bad day:
 * throttling (429), server errors (5xx), slow answers and hangs. Admin routes are never faulted.
 */
export const faultSettingsSchema = z.object({
  /** Share of API requests answered 429 (0..1). */
  rate429: z.number().min(0).max(1).default(0),
  /** Share of API requests answered 500 (0..1). */
  rate500: z.number().min(0).max(1).default(0),
  /** Added to every API answer. */
  latencyMs: z.number().int().min(0).max(120_000).default(0),
  /** Deterministic faults for tests: the next N API requests get these answers, in order. */
  failNext: z
    .array(z.object({ status: z.number().int().min(400).max(599), retryAfterSeconds: z.number().int().min(0).optional(), delayMs: z.number().int().min(0).optional() }))
    .default([]),
});
export type FaultSettings = z.infer<typeof faultSettingsSchema>;

export class FaultInjector {
  settings: FaultSettings = faultSettingsSchema.parse({});
  injected = 0;

  constructor(private readonly random: () => number = Math.random) {}

  configure(input: unknown): FaultSettings {
    this.settings = faultSettingsSchema.parse(input);
    return this.settings;
  }

  /** Registers the hook on every route whose path does not start with `adminPrefix`. */
  install(app: FastifyInstance, adminPrefix: string): void {
    app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      if (request.url.startsWith(adminPrefix)) return;
      const planned = this.settings.failNext.shift();
      const latency = (planned?.delayMs ?? 0) + this.settings.latencyMs;
      if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
      const status = planned?.status ?? this.randomStatus();
      if (status === undefined) return;
      this.injected += 1;
      if (status === 429) void reply.header('retry-after', String(planned?.retryAfterSeconds ?? 1));
      await reply.code(status).send(status === 429 ? 'Too Many Requests' : 'Injected fault');
    });
  }

  private randomStatus(): number | undefined {
    const roll = this.random();
    if (roll < this.settings.rate429) return 429;
    if (roll < this.settings.rate429 + this.settings.rate500) return 500;
    return undefined;
  }
}
