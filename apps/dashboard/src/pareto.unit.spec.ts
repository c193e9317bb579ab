import { paretoRows } from './pareto';

describe('Pareto rows', () => {
  it('put the most first, then by name, with the running share to one decimal', () => {
    expect(paretoRows({ typo: 1, 'expired-credentials': 3, bug: 1, capacity: 2 })).toEqual([
      { label: 'expired-credentials', count: 3, cumulativePercent: 42.9 },
      { label: 'capacity', count: 2, cumulativePercent: 71.4 },
      { label: 'bug', count: 1, cumulativePercent: 85.7 },
      { label: 'typo', count: 1, cumulativePercent: 100 },
    ]);
  });

  it('gather the long tail past the top ones in one row', () => {
    const rows = paretoRows({ a: 5, b: 4, c: 1, d: 1, e: 1 }, 2);
    expect(rows).toEqual([
      { label: 'a', count: 5, cumulativePercent: 41.7 },
      { label: 'b', count: 4, cumulativePercent: 75 },
      { label: '3 others', count: 3, cumulativePercent: 100 },
    ]);
  });

  it('are none for no counts', () => {
    expect(paretoRows({})).toEqual([]);
  });
});
