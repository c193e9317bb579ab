import { quarterOf, quartersUpTo } from './quarter';

describe('the review’s quarters', () => {
  it('name the UTC quarter an instant falls in', () => {
    expect(quarterOf(new Date('2026-11-30T12:00:00Z'))).toBe('2026Q4');
    expect(quarterOf(new Date('2026-03-31T23:59:59Z'))).toBe('2026Q1');
    expect(quarterOf(new Date('2026-04-01T00:00:00Z'))).toBe('2026Q2');
  });

  it('are offered from the current one back, across the new year', () => {
    expect(quartersUpTo(new Date('2026-02-10T00:00:00Z'), 6)).toEqual([
      '2026Q1',
      '2025Q4',
      '2025Q3',
      '2025Q2',
      '2025Q1',
      '2024Q4',
    ]);
  });
});
