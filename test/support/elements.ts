/** The item at `index` (from the end when negative), which the test expects to be there. */
export function nth<T>(items: readonly T[], index: number): T {
  const item = items.at(index);
  if (item === undefined) throw new Error(`Expected an item at ${index} among ${items.length}`);
  return item;
}
