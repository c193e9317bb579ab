import { splitByWholeDays } from './cohort-condition';

describe('a cohort split into whole UTC days and its edges', () => {
  it('takes bounds at midnight as whole days, with no edge', () => {
    expect(
      splitByWholeDays({ from: '2025-03-01T00:00:00.000Z', to: '2025-03-04T00:00:00.000Z' }),
    ).toEqual({ days: { from: '2025-03-01', to: '2025-03-04' }, edges: [] });
  });

  it('leaves the parts of the first and last days as edges', () => {
    expect(
      splitByWholeDays({ from: '2025-03-01T12:00:00.000Z', to: '2025-03-04T06:30:00.000Z' }),
    ).toEqual({
      days: { from: '2025-03-02', to: '2025-03-04' },
      edges: [
        { from: '2025-03-01T12:00:00.000Z', to: '2025-03-02T00:00:00.000Z' },
        { from: '2025-03-04T00:00:00.000Z', to: '2025-03-04T06:30:00.000Z' },
      ],
    });
  });

  it('keeps an open bound open, and the last day of a month is followed by the first of the next', () => {
    expect(splitByWholeDays({})).toEqual({ days: { from: undefined, to: undefined }, edges: [] });
    expect(splitByWholeDays({ from: '2024-02-29T00:00:00.001Z' })).toEqual({
      days: { from: '2024-03-01', to: undefined },
      edges: [{ from: '2024-02-29T00:00:00.001Z', to: '2024-03-01T00:00:00.000Z' }],
    });
  });

  it('is all edge when no whole day lies inside', () => {
    const range = { from: '2025-03-01T10:00:00.000Z', to: '2025-03-02T09:00:00.000Z' };
    expect(splitByWholeDays(range)).toEqual({ edges: [range] });
  });

  it('does not split bounds whose day cannot be read off their text, nor a last day with no day after it', () => {
    expect(splitByWholeDays({ from: '+010000-01-01T00:00:00.000Z' })).toBeNull();
    expect(splitByWholeDays({ to: '2025-13-01T00:00:00.000Z' })).toBeNull();
    expect(splitByWholeDays({ from: '9999-12-31T00:00:00.001Z' })).toBeNull();
    expect(
      splitByWholeDays({ from: '9999-12-31T00:00:00.001Z', to: '9999-12-31T23:59:59.999Z' }),
    ).toBeNull();
    expect(splitByWholeDays({ from: '9999-12-31T00:00:00.000Z' })).toEqual({
      days: { from: '9999-12-31', to: undefined },
      edges: [],
    });
  });
});
