import { DefaultLogger, makeTelemetryFilterString, Runtime, type LogLevel, type LogMetadata } from '@temporalio/worker';
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
 * through pino, so everything the worker prints has one JSON shape.
 * Must run once per process, before any Worker or NativeConnection exists.
 */
export function installTemporalRuntime(logger: PinoLogger, options: { handleSignals?: boolean } = {}): void {
  const sdkLogger = logger.child({ component: 'temporal' });
  const level = temporalLevel[logger.level] ?? 'INFO';
  Runtime.install({
    logger: new DefaultLogger(level, ({ level: entryLevel, message, meta }) => {
      const fields: LogMetadata = { ...meta };
      sdkLogger[pinoMethod[entryLevel]](fields, message);
    }),
    telemetryOptions: {
      logging: { filter: makeTelemetryFilterString({ core: level === 'TRACE' ? 'DEBUG' : 'WARN', other: 'ERROR' }), forward: {} },
    },
    ...(options.handleSignals === false ? { shutdownSignals: [] } : {}),
  });
}
