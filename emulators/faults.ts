import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AfterProcessingPlan, afterProcessingSettingsSchema, seededRandom, type AfterProcessingCounts, type AfterProcessingFault } from './after-processing-fault';

/**
 * Fault injection shared by the emulators, so tests can prove the service survives a bad day:
 * throttling (429), server errors (5xx), slow answers and hangs before the request is processed,
 * and lost answers after it was processed (`afterProcessing`, see after-processing-fault.ts).
 * Admin routes are never faulted.
 */
const statusFaultSchema = z.strictObject({
  kind: z.literal('status').optional(),
  status: z.number().int().min(400).max(599),
  retryAfterSeconds: z.number().int().min(0).optional(),
  delayMs: z.number().int().min(0).optional(),
});
/** No answer at all: the request hangs, then the connection is dropped (a client timeout must fire first). */
const timeoutFaultSchema = z.strictObject({
  kind: z.literal('timeout'),
  /** How long to hang; defaults to the settings' `timeoutMs`. */
  hangMs: z.number().int().min(1).max(600_000).optional(),
});
export const plannedFaultSchema = z.union([timeoutFaultSchema, statusFaultSchema]);
export type PlannedFault = z.infer<typeof plannedFaultSchema>;

export const faultSettingsSchema = z.strictObject({
  /** Share of API requests answered 429 (0..1). */
  rate429: z.number().min(0).max(1).default(0),
  /** Share of API requests answered 500 (0..1). */
  rate500: z.number().min(0).max(1).default(0),
  /** Share of API requests that hang and are then dropped (0..1). */
  rateTimeout: z.number().min(0).max(1).default(0),
  /** How long a hang lasts: longer than any sane client timeout, so the client gives up first. */
  timeoutMs: z.number().int().min(1).max(600_000).default(30_000),
  /** Added to every API answer. */
  latencyMs: z.number().int().min(0).max(120_000).default(0),
  /** Deterministic faults for tests: the next N API requests get these answers, in order. */
  failNext: z.array(plannedFaultSchema).default([]),
  /** The write is done, then its answer is lost (reset or held): see after-processing-fault.ts. */
  afterProcessing: afterProcessingSettingsSchema.default(afterProcessingSettingsSchema.parse({})),
  /** Seeds every roll of these settings (before and after processing), so a run can be repeated; unset: Math.random. */
  seed: z.number().int().optional(),
});
export type FaultSettings = z.infer<typeof faultSettingsSchema>;

/** The body of an injected error answer; each emulator speaks its own API's error dialect. */
export type FaultBody = (status: number, retryAfterSeconds: number) => unknown;
const plainBody: FaultBody = (status) => (status === 429 ? 'Too Many Requests' : 'Injected fault');

export class FaultInjector {
  settings: FaultSettings = faultSettingsSchema.parse({});
  /** Every injected fault, hangs and lost answers after processing included. */
  injected = 0;
  /** Answers lost after processing, per "METHOD /route-pattern"; kept across reconfigurations. */
  readonly afterProcessing: AfterProcessingCounts = { injected: 0, byRoute: {} };
  private random: () => number;
  private plan: AfterProcessingPlan;
  private readonly hangs = new Set<() => void>();

  constructor(
    private readonly defaultRandom: () => number = Math.random,
    private readonly body: FaultBody = plainBody,
  ) {
    this.random = defaultRandom;
    this.plan = this.planFor(this.settings);
  }

  configure(input: unknown): FaultSettings {
    this.settings = faultSettingsSchema.parse(input);
    this.random = this.settings.seed === undefined ? this.defaultRandom : seededRandom(this.settings.seed);
    this.plan = this.planFor(this.settings);
    return this.settings;
  }

  /** What the admin API shows: settings and counts. */
  report(): { settings: FaultSettings; injected: number; afterProcessing: AfterProcessingCounts } {
    return { settings: this.settings, injected: this.injected, afterProcessing: this.afterProcessing };
  }

  private planFor(settings: FaultSettings): AfterProcessingPlan {
    return new AfterProcessingPlan(settings.afterProcessing, () => this.random(), settings.timeoutMs, this.afterProcessing);
  }

  /** Registers the hooks on every route whose path does not start with `adminPrefix`. */
  install(app: FastifyInstance, adminPrefix: string): void {
    // Requests already given a fault before processing (a 500 is not "processed").
    const beforeFaulted = new WeakSet<FastifyRequest>();
    app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      if (request.url.startsWith(adminPrefix)) return;
      const planned = this.settings.failNext.shift() ?? this.randomFault();
      if (planned !== undefined) beforeFaulted.add(request);
      if (planned?.kind === 'timeout') {
        this.injected += 1;
        await this.hang(request, planned.hangMs ?? this.settings.timeoutMs);
        reply.hijack();
        request.raw.socket.destroy();
        return;
      }
      const latency = (planned?.delayMs ?? 0) + this.settings.latencyMs;
      if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
      const status = planned?.status;
      if (status === undefined) return;
      this.injected += 1;
      const retryAfter = planned?.retryAfterSeconds ?? 1;
      if (status === 429) void reply.header('retry-after', String(retryAfter));
      await reply.code(status).send(this.body(status, retryAfter));
    });
    // After the handler: the state has changed; now the answer may be lost.
    app.addHook('onSend', async (request, reply, payload) => {
      if (request.url.startsWith(adminPrefix) || beforeFaulted.has(request)) return payload;
      const fault = this.plan.decide(request, reply.statusCode);
      if (fault !== undefined) await this.loseAnswer(request, fault);
      return payload;
    });
    // A hang must not keep the emulator (or Jest) alive after close().
    app.addHook('preClose', async () => {
      for (const release of [...this.hangs]) release();
    });
  }

  /**
   * A reset destroys the connection, so fastify's write of the answer goes nowhere. A hang holds
   * the answer; if the client is still there afterwards it gets it late, else nothing is sent.
   */
  private async loseAnswer(request: FastifyRequest, fault: AfterProcessingFault): Promise<void> {
    this.injected += 1;
    if (fault.kind === 'hang') await this.hang(request, fault.ms);
    else request.raw.socket.destroy();
  }

  /** Waits `ms`, or until the client gives up, or until the emulator closes, whichever is first. */
  private hang(request: FastifyRequest, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const socket = request.raw.socket;
      const release = () => {
        clearTimeout(timer);
        socket.off('close', release);
        this.hangs.delete(release);
        resolve();
      };
      const timer = setTimeout(release, ms);
      socket.once('close', release);
      this.hangs.add(release);
    });
  }

  /** One roll decides: a hang, a 429, a 500 or nothing, by the configured shares. */
  private randomFault(): PlannedFault | undefined {
    const { rateTimeout, rate429, rate500 } = this.settings;
    if (rateTimeout + rate429 + rate500 === 0) return undefined;
    const roll = this.random();
    if (roll < rateTimeout) return { kind: 'timeout' };
    if (roll < rateTimeout + rate429) return { status: 429 };
    if (roll < rateTimeout + rate429 + rate500) return { status: 500 };
    return undefined;
  }
}
