import type { RecordedEvent } from '@ledger/event-store';
import type { ProjectionName } from '@ledger/read-store';

/** A batch of the log a runner applies to one generation of a read model. */
export interface ObservedBatch {
  readModel: ProjectionName;
  generation: number;
  events: readonly RecordedEvent[];
}

/**
 * Watches the runners for traces, which they know nothing of. Handed the
 * work (applying the batch, and committing when that is due) so a span can
 * enclose it; it must run `work` once and return or rethrow what it does.
 */
export interface BatchObserver {
  batch(batch: ObservedBatch, work: () => Promise<void>): Promise<void>;
}

export const BATCH_OBSERVER = Symbol('BATCH_OBSERVER');

export const UNOBSERVED_BATCHES: BatchObserver = { batch: (_batch, work) => work() };
