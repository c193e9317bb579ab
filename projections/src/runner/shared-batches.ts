import type { ReadAllOptions, RecordedEvent } from '@ledger/event-store';

/** Where a projection writer reads the log from. */
export interface BatchReader {
  readAll(options: ReadAllOptions): Promise<RecordedEvent[]>;
}

/** Full batches kept: enough for runners a few batches apart. */
const KEPT_BATCHES = 2;

/**
 * Lets the daemon's runners share what they read. Catching up or rebuilding
 * side by side, they ask for the same batches one after another, so without
 * this the log would be read and parsed once per read model. Positions only
 * grow and are never reused, so a full batch after a position can never
 * change and is kept; a short one (the head of the log) is shared only until
 * the next append, which must call `appended()` before anyone reads again.
 * The events are shared between the runners and must not be mutated.
 */
export class SharedBatches implements BatchReader {
  private readonly batches = new Map<string, RecordedEvent[]>();
  private readonly atHead = new Map<string, RecordedEvent[]>();
  /** Counts `appended()` calls, so a read can tell whether one came while it was under way. */
  private appends = 0;

  constructor(private readonly log: BatchReader) {}

  async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    const key = `${options.after ?? ''}/${options.limit}`;
    const kept = this.batches.get(key) ?? this.atHead.get(key);
    if (kept) return kept;
    const appendsBefore = this.appends;
    const batch = await this.log.readAll(options);
    if (batch.length === options.limit && options.limit > 0) {
      this.batches.set(key, batch);
      if (this.batches.size > KEPT_BATCHES) {
        this.batches.delete(this.batches.keys().next().value as string);
      }
    } else if (this.appends === appendsBefore) {
      // A store that answers over the network may have read the log before
      // an append that landed while the answer was on its way. Kept, that
      // answer would be served as the head to every runner woken by the
      // append, and they would stay one append behind until the next; not
      // kept, it goes to its own reader only, which the append wakes again.
      this.atHead.set(key, batch);
    }
    return batch;
  }

  /** The log grew: what was its head is no longer all there is. */
  appended(): void {
    this.appends++;
    this.atHead.clear();
  }
}
