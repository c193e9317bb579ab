/**
 * Work on one stream, one piece at a time within this process; work on
 * different streams runs side by side.
 */
export class StreamTurns {
  private readonly turns = new Map<string, Promise<void>>();

  async take<T>(streamId: string, work: () => Promise<T>): Promise<T> {
    const run = (this.turns.get(streamId) ?? Promise.resolve()).then(work);
    const turn = run.then(
      () => undefined,
      () => undefined,
    );
    this.turns.set(streamId, turn);
    try {
      return await run;
    } finally {
      if (this.turns.get(streamId) === turn) this.turns.delete(streamId);
    }
  }
}
