/** At most a page's worth of items, with the item the next page starts after. */
export interface ProbedPage<T> {
  items: T[];
  /** The page's last item when more follow it; undefined on the last page. */
  continueAfter: T | undefined;
}

/**
 * Reads one item more than the page holds: whether it came back says whether
 * another page follows, without counting what is left.
 */
export async function readProbedPage<T>(
  limit: number,
  read: (count: number) => Promise<T[]>,
): Promise<ProbedPage<T>> {
  const found = await read(limit + 1);
  const items = found.slice(0, limit);
  return { items, continueAfter: found.length > limit ? items.at(-1) : undefined };
}
