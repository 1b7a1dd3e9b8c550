import { DefaultLogger, makeTelemetryFilterString, Runtime, type LogLevel, type LogMetadata, type RuntimeOptions } from '@temporalio/worker';
import type { PinoLogger } from './logger';

const pinoMethod = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
} as const satisfies Record<LogLevel, string>;

const temporalLevel: Record<string, LogLevel> = {
  trace: 'TRACE',
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARN',
  error: 'ERROR',
  fatal: 'ERROR',
  silent: 'ERROR',
};

/**
 * Routes the SDK's own logs (worker, workflow and activity loggers) and the Rust core's logs
 * through pino, so everything the worker prints has one JSON shape. With `metricsPort`, the core
 * serves Prometheus metrics on it (GET /metrics, every interface: the scraper is another container):
 * the SDK's runtime metrics and everything recorded on its meters (README, Metrics).
 * Must run once per process, before any Worker or NativeConnection exists. Throws when the port
 * cannot be bound (MetricsPortUnavailable).
 */
export function installTemporalRuntime(logger: PinoLogger, options: { handleSignals?: boolean; metricsPort?: number } = {}): void {
  const sdkLogger = logger.child({ component: 'temporal' });
  const level = temporalLevel[logger.level] ?? 'INFO';
  const runtimeOptions: RuntimeOptions = {
    logger: new DefaultLogger(level, ({ level: entryLevel, message, meta }) => {
      const fields: LogMetadata = { ...meta };
      sdkLogger[pinoMethod[entryLevel]](fields, message);
    }),
    telemetryOptions: {
      logging: { filter: makeTelemetryFilterString({ core: level === 'TRACE' ? 'DEBUG' : 'WARN', other: 'ERROR' }), forward: {} },
      ...(options.metricsPort !== undefined ? { metrics: { prometheus: { bindAddress: `0.0.0.0:${options.metricsPort}` } } } : {}),
    },
    ...(options.handleSignals === false ? { shutdownSignals: [] } : {}),
  };
  try {
    Runtime.install(runtimeOptions);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (options.metricsPort !== undefined && /prometheus/i.test(message)) throw new MetricsPortUnavailable(options.metricsPort, message);
    throw err;
  }
}

/** The core could not serve metrics on the port (taken, or not ours to bind). */
export class MetricsPortUnavailable extends Error {
  constructor(
    readonly port: number,
    readonly detail: string,
  ) {
    super(`the metrics port ${port} cannot be used (${/address already in use/i.test(detail) ? 'it is in use' : detail})`);
    this.name = 'MetricsPortUnavailable';
  }
}
