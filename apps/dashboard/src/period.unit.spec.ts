import {
  bucketKeys,
  bucketOf,
  bucketPeriod,
  defaultPeriod,
  lastDateOf,
  periodOfDates,
} from './period';

describe('the period', () => {
  it('is by default the last 30 days up to now', () => {
    expect(defaultPeriod(new Date('2026-03-31T10:15:00.000Z'))).toEqual({
      from: '2026-03-01T10:15:00.000Z',
      to: '2026-03-31T10:15:00.000Z',
    });
  });

  it('takes whole UTC days from the date inputs, the last one included', () => {
    const period = periodOfDates('2026-03-01', '2026-03-31');
    expect(period).toEqual({ from: '2026-03-01T00:00:00.000Z', to: '2026-04-01T00:00:00.000Z' });
    expect(lastDateOf(period)).toBe('2026-03-31');
  });

  it('draws the rate over time by day up to about three months, by week beyond', () => {
    expect(bucketOf(periodOfDates('2026-01-01', '2026-03-31'), 'category')).toBe('day');
    expect(bucketOf(periodOfDates('2026-01-01', '2026-06-30'), 'agent')).toBe('week');
    expect(bucketOf(periodOfDates('2026-01-01', '2026-01-02'), 'week')).toBe('week');
  });

  it('lists every day or Monday-started week the period touches, as the API keys them', () => {
    const period = { from: '2026-03-07T12:00:00.000Z', to: '2026-03-10T00:00:00.000Z' };
    expect(bucketKeys(period, 'day')).toEqual(['2026-03-07', '2026-03-08', '2026-03-09']);
    // 2026-03-07 is a Saturday: its week began on Monday 2026-03-02.
    expect(bucketKeys(period, 'week')).toEqual(['2026-03-02', '2026-03-09']);
  });

  it('narrows a bucket to the period for its drill-down', () => {
    const period = { from: '2026-03-07T12:00:00.000Z', to: '2026-03-10T00:00:00.000Z' };
    expect(bucketPeriod('2026-03-02', 'week', period)).toEqual({
      from: '2026-03-07T12:00:00.000Z',
      to: '2026-03-09T00:00:00.000Z',
    });
  });
});
