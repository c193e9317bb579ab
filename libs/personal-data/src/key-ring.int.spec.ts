import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeyRing } from './key-ring';
import { SqliteKeyStore } from './sqlite/sqlite-key-store';

let dir: string;
let now: number;
const rings: KeyRing[] = [];
const master = randomBytes(32);

/** A key ring on the shared key file, as another process would open it. */
async function openProcess(options: { cachedKeys?: number } = {}): Promise<KeyRing> {
  const ring = await KeyRing.open(SqliteKeyStore.open(join(dir, 'keys.sqlite')), master, {
    cacheTtlMs: 30_000,
    clock: () => now,
    ...options,
  });
  rings.push(ring);
  return ring;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'key-ring-'));
  now = 0;
});

afterEach(async () => {
  for (const ring of rings.splice(0)) await ring.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the key ring', () => {
  it('makes a key on first write, and every process reads the same one', async () => {
    const [api, projector] = [await openProcess(), await openProcess()];

    const made = await api.forWriting('customer:c-1');
    expect(made.state).toBe('live');
    expect(await projector.forReading('customer:c-1')).toEqual(made);
  });

  it('gives writers in two processes racing for a new customer one key', async () => {
    const [one, two] = [await openProcess(), await openProcess()];

    const [a, b] = await Promise.all([
      one.forWriting('customer:c-1'),
      two.forWriting('customer:c-1'),
    ]);

    expect(a).toEqual(b);
  });

  it('reads a key made elsewhere since it was last looked up, when asked fresh', async () => {
    const [api, projector] = [await openProcess(), await openProcess()];
    expect(await projector.forReading('customer:c-1')).toEqual({ state: 'unknown' });

    await api.forWriting('customer:c-1');

    expect((await projector.forReading('customer:c-1', true)).state).toBe('live');
  });

  it('forgets a key destroyed here at once, and one destroyed elsewhere within the cache time', async () => {
    const [api, projector] = [await openProcess(), await openProcess()];
    await api.forWriting('customer:c-1');
    expect((await projector.forReading('customer:c-1')).state).toBe('live');

    await api.destroy('customer:c-1');

    expect(await api.forReading('customer:c-1')).toEqual({ state: 'erased' });
    now += 30_001;
    expect(await projector.forReading('customer:c-1')).toEqual({ state: 'erased' });
  });

  it('never makes an erased customer’s key again', async () => {
    const ring = await openProcess();
    await ring.destroy('customer:c-1');

    expect(await ring.forWriting('customer:c-1')).toEqual({ state: 'erased' });
    expect(await (await openProcess()).forWriting('customer:c-1')).toEqual({ state: 'erased' });
  });

  it('does not bring back a key whose read started before it was destroyed', async () => {
    const ring = await openProcess();
    await ring.forWriting('customer:c-1');
    now += 30_001;

    const reading = ring.forReading('customer:c-1');
    await ring.destroy('customer:c-1');
    await reading;

    expect(await ring.forReading('customer:c-1')).toEqual({ state: 'erased' });
  });

  it('holds at most as many keys as it may, letting the least recently used go', async () => {
    const ring = await openProcess({ cachedKeys: 2 });
    await ring.forWriting('customer:c-1');
    await ring.forWriting('customer:c-2');
    await ring.forReading('customer:c-1');

    await ring.forWriting('customer:c-3');

    expect(ring.held('customer:c-1')?.state).toBe('live');
    expect(ring.held('customer:c-2')).toBeUndefined();
    expect(ring.held('customer:c-3')?.state).toBe('live');
  });
});
