import pino, { DestinationStream, Logger, LoggerOptions } from 'pino';
import pretty from 'pino-pretty';

export type LogFormat = 'json' | 'pretty';
export const LOG_FORMATS: readonly LogFormat[] = ['json', 'pretty'];
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LoggerSettings {
  level?: LogLevel;
  /** Default: pretty when stdout is a terminal, JSON lines otherwise. */
  format?: LogFormat;
  /** Where lines go (tests pass a stream); default stdout. */
  destination?: DestinationStream;
}

/**
 * Secrets never reach a log line: credentials in headers, and any field named like a secret at the top
 * level or one level down (a logged object's `token`, `password`, ...).
 */
export const REDACTED_PATHS = [
  'req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]', 'req.headers["proxy-authorization"]',
  'res.headers["set-cookie"]',
  ...['password', 'token', 'secret', 'authorization', 'apiKey'].flatMap((k) => [k, `*.${k}`]),
];

/** The process logger: JSON lines (one object per line) for collectors, or human-readable lines on a terminal. */
export function createLogger(settings: LoggerSettings = {}): Logger {
  const format = settings.format ?? (process.stdout.isTTY ? 'pretty' : 'json');
  const options: LoggerOptions = {
    level: settings.level ?? 'info',
    base: { service: 'cmdb' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACTED_PATHS, censor: '[Redacted]' },
    // Level names ("info") rather than numbers read better in any collector; pino-pretty wants the numbers.
    ...(format === 'json' ? { formatters: { level: (label: string) => ({ level: label }) } } : {}),
  };
  if (settings.destination) return pino(options, settings.destination);
  if (format === 'pretty') {
    // In the main thread (no transport worker), so lines written just before process.exit are not lost.
    return pino(options, pretty({ sync: true, colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service' }));
  }
  return pino(options, pino.destination({ dest: 1, sync: true }));
}
