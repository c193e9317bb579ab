import { ConfigError } from './config-error';

/** pino's levels: `silent` writes nothing. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

/** What operators watch the API by: its logs, its readiness, its traces. */
export interface OperationsConfig {
  logLevel: LogLevelName;
  /** How far, in event time, every read model may be behind the log's head for /health/ready to answer 200. */
  readyMaxLagSeconds: number;
  /** Where traces go (OTLP over HTTP); none are made when unset. */
  otlpEndpoint?: string;
}

export function operationsConfigFrom(env: NodeJS.ProcessEnv): OperationsConfig {
  const level = env.LOG_LEVEL?.trim().toLowerCase() || 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new ConfigError(`LOG_LEVEL=${level} is not one of: ${LOG_LEVELS.join(', ')}`);
  }
  const lagText = env.READY_MAX_LAG_S?.trim() || '5';
  const lag = Number(lagText);
  if (!/^\d+(\.\d+)?$/.test(lagText) || !Number.isFinite(lag)) {
    throw new ConfigError(`READY_MAX_LAG_S=${lagText} is not a number of seconds, 0 or more`);
  }
  const endpoint = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || undefined;
  if (endpoint !== undefined && !/^https?:\/\/[^/]/.test(endpoint)) {
    throw new ConfigError(`OTEL_EXPORTER_OTLP_ENDPOINT=${endpoint} is not an http(s) URL`);
  }
  return {
    logLevel: level as LogLevelName,
    readyMaxLagSeconds: lag,
    ...(endpoint !== undefined && { otlpEndpoint: endpoint }),
  };
}
