/**
 * What an auditor keeps after reading the head: a later verification given
 * it also proves that the log still extends it, so a truncation, or a log
 * rewritten and chained again from scratch, shows.
 */
export interface ChainReceipt {
  position: string;
  hash: string;
}

/** The newest point of the chain: a receipt, with the instant it stands for. */
export interface ChainHead {
  position: string;
  /** Null when the newest event carries no hash: the chain is broken there. */
  hash: string | null;
  /** When the newest event happened (its `occurredAt`), or the seal was made; null for an empty log. */
  at: string | null;
}

/** Why a verification stopped, one code per way a log can fail its chain (docs/audit.md). */
export const BROKEN_REASONS = [
  'hash_missing',
  'hash_mismatch',
  'link_broken',
  'version_gap',
  'sealed_event_missing',
  'seal_broken',
  'receipt_mismatch',
  'receipt_beyond_log',
] as const;
export type BrokenReason = (typeof BROKEN_REASONS)[number];

const DETAILS: Record<BrokenReason, string> = {
  hash_missing: 'the event carries no hash: it was written outside the chain',
  hash_mismatch:
    'the event, or the event chained before it, is not what was recorded: this event was edited, or one before it was removed, inserted or moved',
  link_broken:
    'the event is chained to another predecessor than the event before it in its stream: an event before it was removed or replaced',
  version_gap: 'events of the stream are missing before this one',
  sealed_event_missing:
    'a seal recorded this event as its stream’s head, and the log no longer holds it: the stream, or its tail, was deleted',
  seal_broken: 'the seal does not follow from the seal before it: the seals were edited',
  receipt_mismatch:
    'the event at the receipt’s position does not have the receipt’s hash: the log up to it was rewritten after the receipt was taken',
  receipt_beyond_log:
    'the log holds no event at the receipt’s position: events were removed from its end, or at that position',
};

/** The first event, in log order, where the chain does not hold. */
export interface BrokenLink {
  /** The stream and version of the event at `position`; null where no event is (a removed end). */
  streamId: string | null;
  version: number | null;
  position: string;
  reason: BrokenReason;
  /** The reason in words, for people. */
  detail: string;
}

export interface ChainVerification {
  ok: boolean;
  /** The events whose hash was recomputed, the broken one included. */
  eventsChecked: number;
  firstBroken?: BrokenLink;
}

export interface VerifyOptions {
  /** Stops the verification between two batches; it then rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** The log's hash chain, as its store keeps it. */
export interface LogChain {
  /** The receipt to keep: the newest event's position and hash, or the newest seal's. */
  head(): Promise<ChainHead>;
  /**
   * Recomputes the chain over the whole log, in bounded memory, and names the
   * first event where it does not hold; with a receipt, also checks that the
   * log still extends it.
   */
  verify(receipt?: ChainReceipt, options?: VerifyOptions): Promise<ChainVerification>;
  /**
   * For a store whose chain needs seals (EventStoreDB): records the heads of
   * the streams that moved since the last seal. One process at a time should.
   * Resolves with the number of seals written.
   */
  seal?(sealedAt: string): Promise<number>;
}

/**
 * Verifies the log of `events`: the function the API and the command line
 * share. The answer names the first event where the chain does not hold.
 */
export function verifyLog(
  events: { chain: LogChain },
  receipt?: ChainReceipt,
  options?: VerifyOptions,
): Promise<ChainVerification> {
  return events.chain.verify(receipt, options);
}

export function brokenLink(
  reason: BrokenReason,
  at: { streamId: string | null; version: number | null; position: string },
): BrokenLink {
  return {
    streamId: at.streamId,
    version: at.version,
    position: at.position,
    reason,
    detail: DETAILS[reason],
  };
}

export function verification(eventsChecked: number, firstBroken?: BrokenLink): ChainVerification {
  return firstBroken ? { ok: false, eventsChecked, firstBroken } : { ok: true, eventsChecked };
}

/** A chain checked one event at a time, in log order. */
export interface ChainCheck<E> {
  readonly eventsChecked: number;
  /** The broken link `event` shows, if it does. */
  next(event: E): BrokenLink | undefined;
  /** After the last event: what the log should have held further. */
  end(): BrokenLink | undefined;
}

/**
 * Feeds `check` the whole log a page at a time, `readPage(after)` giving up
 * to `pageSize` events after a position (from the start when undefined), and
 * stops at the first broken link. Other work runs between two pages.
 */
export async function verifyInPages<E extends { position: unknown }>(
  check: ChainCheck<E>,
  readPage: (after: E['position'] | undefined) => Promise<E[]> | E[],
  pageSize: number,
  options: VerifyOptions = {},
): Promise<ChainVerification> {
  let after: E['position'] | undefined;
  for (;;) {
    const page = await readPage(after);
    for (const event of page) {
      const broken = check.next(event);
      if (broken) return verification(check.eventsChecked, broken);
    }
    const last = page.at(-1);
    if (!last || page.length < pageSize) break;
    after = last.position;
    await yieldToOthers(options.signal);
  }
  return verification(check.eventsChecked, check.end());
}

/** Lets other work run between two batches of a long verification. */
export function yieldToOthers(signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) =>
    setImmediate(() => (signal?.aborted ? reject(signal.reason) : resolve())),
  );
}
