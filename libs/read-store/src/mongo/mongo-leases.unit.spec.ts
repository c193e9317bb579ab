import { claimCommand, heldFilter } from './mongo-leases';

function mentionsNow(value: unknown): boolean {
  return JSON.stringify(value).includes('"$$NOW"');
}

describe('MongoDB leases', () => {
  afterEach(() => jest.useRealTimers());

  /** The same command built on two hosts whose clocks are a minute apart. */
  function onSkewedHosts<T>(build: () => T): [T, T] {
    jest.useFakeTimers({ now: new Date('2025-03-01T09:00:00.000Z') });
    const first = build();
    jest.setSystemTime(new Date('2025-03-01T09:01:00.000Z'));
    return [first, build()];
  }

  it('are claimed by the server clock, whatever the clock of the host claiming', () => {
    const [here, there] = onSkewedHosts(() => claimCommand('projection:queues', 'a', 5_000));

    expect(here).toEqual(there);
    expect(mentionsNow(here.update)).toBe(true);
  });

  it('are checked by the server clock, whatever the clock of the host committing', () => {
    const hold = { lease: 'projection:queues', holder: 'a' };
    const [here, there] = onSkewedHosts(() => heldFilter(hold));

    expect(here).toEqual(there);
    expect(mentionsNow(here)).toBe(true);
  });

  it('are claimed with an upsert whose filter has no $expr, which the server refuses', () => {
    const { filter } = claimCommand('projection:queues', 'a', 5_000);

    expect(filter).toEqual({ _id: 'projection:queues' });
  });

  it('take a holder whose name starts with $ as a name, not a field', () => {
    const json = JSON.stringify(claimCommand('projection:queues', '$boss', 5_000).update);

    const named = json.split('"$boss"').length - 1;
    const literal = json.split('{"$literal":"$boss"}').length - 1;
    expect(named).toBeGreaterThan(0);
    expect(literal).toBe(named);
  });
});
