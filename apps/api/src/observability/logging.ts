import { RequestMethod, type DynamicModule } from '@nestjs/common';
import type { LogLevelName } from '@ledger/runtime';
import { LoggerModule } from 'nestjs-pino';
import pino, { type DestinationStream, type Logger } from 'pino';
import PinoPretty from 'pino-pretty';

/**
 * Never written, wherever they turn up: a credential in a request's headers,
 * an issued key's secret in an object logged.
 */
const REDACTED = [
  'req.headers.authorization',
  'headers.authorization',
  'authorization',
  'key',
  '*.key',
  'secret',
  '*.secret',
];

/**
 * The process's logger: JSON lines on standard output, one object a line,
 * or readable lines when standard output is a terminal. Writes are
 * synchronous, so its lines keep their order with the start-up lines printed
 * directly, and none is lost when the process is killed.
 */
export function createLogger(level: LogLevelName, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACTED, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination ??
      (process.stdout.isTTY
        ? PinoPretty({
            colorize: true,
            sync: true,
            translateTime: 'SYS:HH:MM:ss.l',
            ignore: 'pid,hostname,context',
            messageFormat: '{if context}[{context}] {end}{msg}',
          })
        : pino.destination({ dest: 1, sync: true })),
  );
}

/**
 * Nest's own log lines through `logger`, and within a request bound to its
 * correlation id (Fastify's request id, which middie hands the middleware as
 * the raw request's `id`). The line each request ends with is written by
 * `observeRequests`, which knows the route template and the principal.
 */
export function loggerModule(logger: Logger): DynamicModule {
  return LoggerModule.forRoot({
    pinoHttp: {
      logger,
      customAttributeKeys: { reqId: 'correlationId' },
      quietReqLogger: true,
      autoLogging: false,
    },
    forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
  });
}
