import pino, { type Logger as PinoLogger } from 'pino';
import type { Config } from '../config/config';

export type { PinoLogger };

/**
 * JSON lines in production; pino-pretty in development. The redact list is a second line of
 * defence: code must not log secrets or personal data in the first place.
 */
export function createLogger(log: Config['log'], name = 'invoice-distribution'): PinoLogger {
  return pino({
    name,
    level: log.level,
    redact: {
      paths: ['*.clientKey', '*.accessToken', '*.apiKey', '*.authorization', '*.accessCode', 'headers.authorization'],
      censor: '[redacted]',
    },
    ...(log.format === 'pretty'
      ? { transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l' } } }
      : {}),
  });
}
