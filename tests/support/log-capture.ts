import { Writable } from 'stream';
import type { Logger } from 'pino';
import { createLogger, LogLevel } from '../../src/observability/logger';

/** A real JSON logger whose lines the test can read back, parsed. */
export function captureLogger(level: LogLevel = 'debug'): { logger: Logger; lines: () => Record<string, any>[] } {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  const logger = createLogger({ level, format: 'json', destination });
  return { logger, lines: () => chunks.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l)) };
}
