/** `2026Q4`: a calendar quarter, in UTC. */
export const QUARTER = /^(\d{4})Q([1-4])$/;

export interface Quarter {
  label: string;
  /** Inclusive ISO instant: the quarter's first day at 00:00 UTC. */
  from: string;
  /** Exclusive ISO instant: the next quarter's first day. */
  to: string;
}

function quarterOf(year: number, index: number): Quarter {
  const start = Date.UTC(year, index * 3, 1);
  const end = Date.UTC(year, index * 3 + 3, 1);
  return {
    label: `${year}Q${index + 1}`,
    from: new Date(start).toISOString(),
    to: new Date(end).toISOString(),
  };
}

/** The quarter a label names; undefined for anything else. */
export function parseQuarter(label: string): Quarter | undefined {
  const match = QUARTER.exec(label);
  if (!match) return undefined;
  return quarterOf(Number(match[1]), Number(match[2]) - 1);
}

export function previousQuarter(quarter: Quarter): Quarter {
  const date = new Date(quarter.from);
  const index = date.getUTCMonth() / 3;
  return index === 0
    ? quarterOf(date.getUTCFullYear() - 1, 3)
    : quarterOf(date.getUTCFullYear(), index - 1);
}
