import { DEFAULT_PRIORITY_RULES } from '@ledger/domain';
import { ConfigError, loadConfig } from './app-config';

describe('configuration', () => {
  it('defaults to port 3000, ./data, SQLite and the projections in a worker process', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      eventStore: 'sqlite',
      readStore: 'sqlite',
      projections: 'worker',
    });
    expect(config.dataDir.endsWith('/data')).toBe(true);
    expect(config.priorityRules).toBe(DEFAULT_PRIORITY_RULES);
  });

  it('names the variable of a store it does not know', () => {
    expect(() => loadConfig({ EVENT_STORE: 'postgres' })).toThrow(
      new ConfigError('EVENT_STORE=postgres is not one of: sqlite, esdb'),
    );
  });

  it('names EVENTSTORE_URL when the EventStoreDB log has no URL', () => {
    expect(() => loadConfig({ EVENT_STORE: 'esdb' })).toThrow(/^EVENTSTORE_URL is not set/);
  });

  it('takes the EventStoreDB URL with EVENT_STORE=esdb', () => {
    const config = loadConfig({ EVENT_STORE: 'esdb', EVENTSTORE_URL: 'esdb://db:2113?tls=false' });
    expect(config).toMatchObject({ eventStore: 'esdb', eventStoreUrl: 'esdb://db:2113?tls=false' });
  });

  it('names MONGO_URL when the MongoDB read store has no URL', () => {
    expect(() => loadConfig({ READ_STORE: 'mongo' })).toThrow(/^MONGO_URL is not set/);
  });

  it('refuses a port that is not a number', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
  });

  it('bounds the time to receive a request and the open connections, 30 s and 1024 by default', () => {
    expect(loadConfig({})).toMatchObject({ requestTimeoutMs: 30_000, maxConnections: 1024 });
    expect(loadConfig({ REQUEST_TIMEOUT_MS: '500', MAX_CONNECTIONS: '8' })).toMatchObject({
      requestTimeoutMs: 500,
      maxConnections: 8,
    });
  });

  it('bounds the change feed: 100 feeds, a keep-alive every 15 s, 256 KiB and 30 s for a slow client', () => {
    expect(loadConfig({}).feed).toEqual({
      maxConnections: 100,
      heartbeatMs: 15_000,
      maxBufferedBytes: 256 * 1024,
      stallTimeoutMs: 30_000,
    });
    expect(
      loadConfig({
        FEED_MAX_CONNECTIONS: '2',
        FEED_HEARTBEAT_MS: '50',
        FEED_MAX_BUFFERED_BYTES: '65536',
        FEED_STALL_TIMEOUT_MS: '500',
      }).feed,
    ).toEqual({ maxConnections: 2, heartbeatMs: 50, maxBufferedBytes: 65536, stallTimeoutMs: 500 });
  });

  it.each([
    ['FEED_MAX_CONNECTIONS', '0'],
    ['FEED_HEARTBEAT_MS', 'often'],
    ['REQUEST_TIMEOUT_MS', '0'],
    ['REQUEST_TIMEOUT_MS', '1e3'],
    ['MAX_CONNECTIONS', '-5'],
    ['MAX_CONNECTIONS', 'many'],
  ])('refuses %s=%s, which is not a whole number above 0', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(
      new ConfigError(`${name}=${value} is not a whole number above 0`),
    );
  });

  it('reads priority keywords as word:priority pairs', () => {
    expect(loadConfig({ PRIORITY_KEYWORDS: 'fraud:urgent, invoice : low' }).priorityRules).toEqual({
      keywords: [
        { keyword: 'fraud', priority: 'urgent' },
        { keyword: 'invoice', priority: 'low' },
      ],
      vipBump: true,
    });
  });

  it('keeps idempotent answers 24 hours unless IDEMPOTENCY_TTL_HOURS says otherwise', () => {
    expect(loadConfig({}).idempotencyTtlHours).toBe(24);
    expect(loadConfig({ IDEMPOTENCY_TTL_HOURS: '0.5' }).idempotencyTtlHours).toBe(0.5);
  });

  it.each(['0', '-1', 'a day', 'Infinity'])('refuses IDEMPOTENCY_TTL_HOURS=%s', (hours) => {
    expect(() => loadConfig({ IDEMPOTENCY_TTL_HOURS: hours })).toThrow(
      new ConfigError(`IDEMPOTENCY_TTL_HOURS=${hours} is not a number of hours above 0`),
    );
  });

  it('names the priority keyword entry it cannot read', () => {
    expect(() => loadConfig({ PRIORITY_KEYWORDS: 'fraud:critical' })).toThrow(/fraud:critical/);
  });

  it('logs at info, calls the read models ready within 5 s of the head, and traces nothing by default', () => {
    expect(loadConfig({}).operations).toEqual({ logLevel: 'info', readyMaxLagSeconds: 5 });
    expect(
      loadConfig({
        LOG_LEVEL: 'DEBUG',
        READY_MAX_LAG_S: '0.5',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      }).operations,
    ).toEqual({
      logLevel: 'debug',
      readyMaxLagSeconds: 0.5,
      otlpEndpoint: 'http://collector:4318',
    });
  });

  it.each([
    [
      { LOG_LEVEL: 'loud' },
      'LOG_LEVEL=loud is not one of: fatal, error, warn, info, debug, trace, silent',
    ],
    [{ READY_MAX_LAG_S: '-1' }, 'READY_MAX_LAG_S=-1 is not a number of seconds, 0 or more'],
    [{ READY_MAX_LAG_S: 'soon' }, 'READY_MAX_LAG_S=soon is not a number of seconds, 0 or more'],
    [
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' },
      'OTEL_EXPORTER_OTLP_ENDPOINT=collector:4318 is not an http(s) URL',
    ],
  ])('refuses %j', (env, message) => {
    expect(() => loadConfig(env)).toThrow(new ConfigError(message));
  });
});

describe('ADMIN_KEY', () => {
  it.each([
    ['shorter than 32 characters', 'x'.repeat(31)],
    ['with spaces', 'correct horse battery staple admin pass 2026'],
    ['beyond ASCII', 'clé-secrète-'.repeat(4)],
    ['shaped like a token', `${'a'.repeat(20)}.${'b'.repeat(20)}.${'c'.repeat(20)}`],
  ])('is refused when %s, without repeating it', (_why, key) => {
    let message = '';
    try {
      loadConfig({ ADMIN_KEY: key });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^ADMIN_KEY /);
    expect(message).not.toContain(key);
  });

  it('is taken when it can be sent as a bearer key', () => {
    const key = `esl_${'k'.repeat(40)}`;
    expect(loadConfig({ ADMIN_KEY: key }).auth.adminKey).toBe(key);
  });
});

describe('TRUST_PROXY', () => {
  it.each([
    [undefined, false],
    ['false', false],
    ['true', true],
    ['2', 2],
    ['10.0.0.0/8,127.0.0.1', '10.0.0.0/8,127.0.0.1'],
  ])('%s trusts %p', (value, trusted) => {
    expect(loadConfig(value === undefined ? {} : { TRUST_PROXY: value }).trustProxy).toEqual(
      trusted,
    );
  });
});
