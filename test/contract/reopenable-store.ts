/**
 * A store opened for a contract case, which the case may open again on the
 * same storage (as another process would), and which is closed and removed
 * with every other opening afterwards.
 */
export async function reopenableStore<S extends { close(): Promise<void> }>(
  connect: () => S | Promise<S>,
  removeStorage: () => Promise<void>,
): Promise<{ store: S; reopen(): Promise<S>; cleanup(): Promise<void> }> {
  const first = await connect();
  const opened: S[] = [first];
  return {
    store: first,
    reopen: async () => {
      const store = await connect();
      opened.push(store);
      return store;
    },
    cleanup: async () => {
      await Promise.all(opened.map((store) => store.close()));
      await removeStorage();
    },
  };
}
