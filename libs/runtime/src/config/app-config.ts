import type { PostMortemTrigger, PriorityRules } from '@ledger/domain';
import { resolve } from 'node:path';
import { ConfigError } from './config-error';
import { priorityRulesFrom } from './priority-rules-config';
import { authConfigFrom, type AuthConfig } from './auth-config';
import { AUTOMATION_MODES, idleAlertHoursFrom, type IdleAlertHours } from './automation-config';
import { mongoDatabaseOf } from './mongo-database';
import { operationsConfigFrom, type OperationsConfig } from './operations-config';
import { postMortemRequiredFrom } from './post-mortem-config';
import { masterKeyFrom } from './master-key-config';

export const EVENT_STORE_KINDS = ['sqlite', 'esdb'] as const;
export const READ_STORE_KINDS = ['sqlite', 'mongo'] as const;
export const PROJECTION_MODES = ['in-process', 'worker', 'off'] as const;

export interface AppConfig {
  port: number;
  dataDir: string;
  eventStore: (typeof EVENT_STORE_KINDS)[number];
  readStore: (typeof READ_STORE_KINDS)[number];
  eventStoreUrl?: string;
  mongoUrl?: string;
  /** The database of the MongoDB stores: the one MONGO_URL names, else `escalation_ledger`. */
  mongoDatabase?: string;
  projections: (typeof PROJECTION_MODES)[number];
  /** How a ticket opened without a priority gets one. */
  priorityRules: PriorityRules;
  /** Whether this process runs the SLA clock and the assigner (one process at a time does, under a lease). */
  automation: (typeof AUTOMATION_MODES)[number];
  idleAlertHours: IdleAlertHours;
  /** POST_MORTEM_REQUIRED: what makes an escalated ticket need a post-mortem (docs/post-mortems.md). */
  postMortemRequired: readonly PostMortemTrigger[];
  /** Who may call the API: the first admin key and an optional identity provider. */
  auth: AuthConfig;
  /** How long the answer to a command sent with an Idempotency-Key is kept for its retries. */
  idempotencyTtlHours: number;
  /** How long a client may take to send a whole request (head and body) before a 408. */
  requestTimeoutMs: number;
  /** Open connections the server holds at most; more are closed as they arrive. */
  maxConnections: number;
  /**
   * TRUST_PROXY: whose X-Forwarded-For gives the client's address (for the
   * refused-credential limit and the logs): nobody (default), `true` for any
   * proxy, a hop count, or a comma-separated list of proxy addresses or CIDRs.
   */
  trustProxy: boolean | number | string;
  feed: FeedConfig;
  /** Logs, readiness, traces. */
  operations: OperationsConfig;
  /** LEDGER_MASTER_KEY: wraps the customers' data keys; when unset, one is kept under DATA_DIR. */
  masterKey?: Buffer;
}

/** Bounds of the live change feed, `GET /v1/feed` (docs/feed.md). */
export interface FeedConfig {
  /** Feeds open at once in this process; more are answered 503. */
  maxConnections: number;
  /** How often an idle feed sends a `: keep-alive` comment. */
  heartbeatMs: number;
  /** Bytes written for a client but not yet taken by it, past which the feed waits for it. */
  maxBufferedBytes: number;
  /** How long the feed waits for a client past that bound before it cuts it off. */
  stallTimeoutMs: number;
}

export { ConfigError };

function oneOf<T extends string>(
  env: NodeJS.ProcessEnv,
  name: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const value = env[name]?.trim() || fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new ConfigError(`${name}=${value} is not one of: ${allowed.join(', ')}`);
  }
  return value as T;
}

function hoursAboveZero(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name]?.trim();
  if (!text) return fallback;
  const hours = Number(text);
  if (!(hours > 0) || !Number.isFinite(hours)) {
    throw new ConfigError(`${name}=${text} is not a number of hours above 0`);
  }
  return hours;
}

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name]?.trim();
  if (!text) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value === 0) {
    throw new ConfigError(`${name}=${text} is not a whole number above 0`);
  }
  return value;
}

function trustedProxies(text: string | undefined): boolean | number | string {
  if (!text || text === 'false') return false;
  if (text === 'true') return true;
  if (/^\d{1,3}$/.test(text)) return Number(text);
  return text;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const portText = env.PORT?.trim() || '3000';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) {
    throw new ConfigError(`PORT=${portText} is not a port number (0-65535)`);
  }
  const config: AppConfig = {
    port,
    dataDir: resolve(env.DATA_DIR?.trim() || './data'),
    eventStore: oneOf(env, 'EVENT_STORE', EVENT_STORE_KINDS, 'sqlite'),
    readStore: oneOf(env, 'READ_STORE', READ_STORE_KINDS, 'sqlite'),
    eventStoreUrl: env.EVENTSTORE_URL?.trim() || undefined,
    mongoUrl: env.MONGO_URL?.trim() || undefined,
    projections: oneOf(env, 'PROJECTIONS', PROJECTION_MODES, 'worker'),
    priorityRules: priorityRulesFrom(env),
    automation: oneOf(env, 'AUTOMATION', AUTOMATION_MODES, 'on'),
    idleAlertHours: idleAlertHoursFrom(env),
    postMortemRequired: postMortemRequiredFrom(env),
    auth: authConfigFrom(env),
    idempotencyTtlHours: hoursAboveZero(env, 'IDEMPOTENCY_TTL_HOURS', 24),
    requestTimeoutMs: positiveInteger(env, 'REQUEST_TIMEOUT_MS', 30_000),
    maxConnections: positiveInteger(env, 'MAX_CONNECTIONS', 1024),
    trustProxy: trustedProxies(env.TRUST_PROXY?.trim()),
    feed: {
      maxConnections: positiveInteger(env, 'FEED_MAX_CONNECTIONS', 100),
      heartbeatMs: positiveInteger(env, 'FEED_HEARTBEAT_MS', 15_000),
      maxBufferedBytes: positiveInteger(env, 'FEED_MAX_BUFFERED_BYTES', 256 * 1024),
      stallTimeoutMs: positiveInteger(env, 'FEED_STALL_TIMEOUT_MS', 30_000),
    },
    operations: operationsConfigFrom(env),
  };
  if (config.eventStore === 'esdb' && !config.eventStoreUrl) {
    throw new ConfigError(
      'EVENTSTORE_URL is not set: EVENT_STORE=esdb needs it (e.g. esdb://localhost:2113?tls=false)',
    );
  }
  if (config.readStore === 'mongo' && !config.mongoUrl) {
    throw new ConfigError(
      'MONGO_URL is not set: READ_STORE=mongo needs it (e.g. mongodb://localhost:27017/?directConnection=true)',
    );
  }
  if (config.mongoUrl) config.mongoDatabase = mongoDatabaseOf(config.mongoUrl);
  config.masterKey = masterKeyFrom(env);
  return config;
}

export const APP_CONFIG = Symbol('APP_CONFIG');
