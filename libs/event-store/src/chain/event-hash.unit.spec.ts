import { eventHash, GENESIS_HASH, isChainHash } from './event-hash';

const FIRST = {
  streamId: 'ticket-1',
  version: 1,
  type: 'TicketNoteAdded',
  data: '{"body":"Grüße ✓"}',
  metadata: '{"actor":"agent-7"}',
};

describe('eventHash', () => {
  // The same vectors are in docs/audit.md, computed there with Python's hashlib.
  it('is SHA-256 over the netstrings of the predecessor’s hash and the event, UTF-8 lengths', () => {
    const first = eventHash(GENESIS_HASH, FIRST);
    const second = eventHash(first, {
      ...FIRST,
      version: 2,
      data: '{"body":"again"}',
      metadata: '{}',
    });

    expect(first).toBe('53b02c7ca3e9ee7435f31e7299753c1c6ce256062d5edf9e0a9a1575860d779f');
    expect(second).toBe('712419f2057a0d204044c3b24883dd797eea08e998b5551404ed2b6e910c81ab');
  });

  it('changes when text moves from one field to the next', () => {
    const moved = { ...FIRST, data: '{"body":"Grüße ✓"}{', metadata: '"actor":"agent-7"}' };

    expect(eventHash(GENESIS_HASH, moved)).not.toBe(eventHash(GENESIS_HASH, FIRST));
  });

  it('depends on the predecessor', () => {
    expect(eventHash('f'.repeat(64), FIRST)).not.toBe(eventHash(GENESIS_HASH, FIRST));
  });

  it.each([
    [GENESIS_HASH, true],
    ['A'.repeat(64), false],
    ['a'.repeat(63), false],
    [42, false],
  ])('recognises %p as a chain hash: %p', (value, expected) => {
    expect(isChainHash(value)).toBe(expected);
  });
});
