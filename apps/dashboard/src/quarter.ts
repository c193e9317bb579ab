/** A calendar quarter in UTC, as `GET /v1/reviews/escalations` names it: `2026Q4`. */
export function quarterOf(date: Date): string {
  return `${date.getUTCFullYear()}Q${Math.floor(date.getUTCMonth() / 3) + 1}`;
}

/** The quarter of `date` and the `count − 1` before it, newest first: the picker's choices. */
export function quartersUpTo(date: Date, count: number): string[] {
  const quarters: string[] = [];
  let year = date.getUTCFullYear();
  let index = Math.floor(date.getUTCMonth() / 3);
  for (let left = count; left > 0; left--) {
    quarters.push(`${year}Q${index + 1}`);
    if (index === 0) {
      year--;
      index = 3;
    } else index--;
  }
  return quarters;
}
