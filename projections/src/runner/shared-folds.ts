import type { ProjectionName, ReadModelDocuments } from '@ledger/read-store';
import type { RecordedEvent } from '@ledger/event-store';
import type { Projection } from '../projection';

type AnyProjection = Projection<ProjectionName, RecordedEvent>;
type Apply = AnyProjection['apply'];
type Document = ReadModelDocuments[ProjectionName];

interface Folded {
  before: Document | null;
  after: Document | null;
}

/** Events remembered per fold; two generations of this many, enough for runners a few batches apart. */
const REMEMBERED = 5_000;

/**
 * Remembers what a fold made of each (document, event), so read models that
 * fold tickets with the same function (ticket-view and queues both keep the
 * domain's ticket) compute each document once and share it, in time and in
 * memory. Exact because a fold is a pure function of the document and the
 * event, and documents are never mutated: the result is reused only for the
 * very same event object applied to the very same document object.
 */
class FoldMemo {
  private recent = new Map<RecordedEvent, Folded>();
  private older = new Map<RecordedEvent, Folded>();

  constructor(private readonly fold: Apply) {}

  apply(document: Document | null, event: RecordedEvent): Document | null {
    const folded = this.recent.get(event) ?? this.older.get(event);
    if (folded && folded.before === document) return folded.after;
    const after = this.fold(document, event);
    if (this.recent.size >= REMEMBERED) {
      this.older = this.recent;
      this.recent = new Map();
    }
    this.recent.set(event, { before: document, after });
    return after;
  }
}

/** The projections, those that share a fold function sharing its results. */
export function shareFolds(projections: readonly AnyProjection[]): AnyProjection[] {
  const users = new Map<Apply, number>();
  for (const { apply } of projections) users.set(apply, (users.get(apply) ?? 0) + 1);
  const memos = new Map<Apply, FoldMemo>();
  return projections.map((projection) => {
    if (users.get(projection.apply)! < 2) return projection;
    let memo = memos.get(projection.apply);
    if (!memo) memos.set(projection.apply, (memo = new FoldMemo(projection.apply)));
    const shared = memo;
    return {
      ...projection,
      apply: (document, event) => shared.apply(document, event),
    };
  });
}
