import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './app-config';
import { masterKeyOf } from '../master-key-file';
import { openStores } from '../open-stores';

const KEY = randomBytes(32);
const FORMS_LINE =
  'LEDGER_MASTER_KEY must be 32 bytes written as 64 hex digits or as 44 characters of base64';

describe('LEDGER_MASTER_KEY', () => {
  it('takes 32 bytes written in hex, either case', () => {
    expect(loadConfig({ LEDGER_MASTER_KEY: KEY.toString('hex') }).masterKey).toEqual(KEY);
    expect(loadConfig({ LEDGER_MASTER_KEY: KEY.toString('hex').toUpperCase() }).masterKey).toEqual(
      KEY,
    );
  });

  it('takes 32 bytes written in base64', () => {
    expect(loadConfig({ LEDGER_MASTER_KEY: ` ${KEY.toString('base64')}\n` }).masterKey).toEqual(
      KEY,
    );
  });

  it.each([
    ['31 bytes of hex', randomBytes(31).toString('hex')],
    ['33 bytes of base64', randomBytes(33).toString('base64')],
    ['base64url', Buffer.from('\xfb'.repeat(32), 'latin1').toString('base64url')],
    ['a passphrase', 'correct horse battery staple'],
  ])('refuses %s with one line', (_what, value) => {
    expect(() => loadConfig({ LEDGER_MASTER_KEY: value })).toThrow(new ConfigError(FORMS_LINE));
  });
});

describe('the master key under DATA_DIR', () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'ledger-master-'));
  });

  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is made on the first start, readable by its owner only, and kept after', () => {
    const first = masterKeyOf({ dataDir });
    const again = masterKeyOf({ dataDir });

    expect(first).toMatchObject({ origin: join(dataDir, 'master.key'), generated: true });
    expect(statSync(join(dataDir, 'master.key')).mode & 0o777).toBe(0o600);
    expect(again).toEqual({ ...first, generated: false });
  });

  it('is not used when LEDGER_MASTER_KEY is set', () => {
    expect(masterKeyOf({ dataDir, masterKey: KEY })).toEqual({
      key: KEY,
      origin: 'LEDGER_MASTER_KEY',
      generated: false,
    });
  });

  it('refuses a file that holds no key', () => {
    writeFileSync(join(dataDir, 'master.key'), 'not a key\n');
    expect(() => masterKeyOf({ dataDir })).toThrow(ConfigError);
  });

  it('stops a start with another master key than the one that wrapped the data keys', async () => {
    const config = { ...loadConfig({}), dataDir };
    const stores = await openStores({ ...config, masterKey: KEY });
    await stores.events.append(
      'ticket-t-1',
      [
        {
          type: 'TicketOpened',
          data: { ticketId: 't-1', subject: 'Hello', description: '', customer: { id: 'c-1' } },
          metadata: {
            eventId: 'e-1',
            occurredAt: '2026-01-01T00:00:00.000Z',
            actor: 'test',
            correlationId: 'c',
            causationId: 'c',
            schemaVersion: 2,
          },
        },
      ],
      'no_stream',
    );
    await stores.events.close();
    await stores.readStore.close();

    await expect(openStores({ ...config, masterKey: randomBytes(32) })).rejects.toThrow(
      new ConfigError(
        'LEDGER_MASTER_KEY is not the master key the stored data keys were wrapped with',
      ),
    );
  });
});
