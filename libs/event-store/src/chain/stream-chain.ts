import type { NewEvent, RecordedEvent } from '../event-store';
import { brokenLink, type BrokenLink, type BrokenReason } from './chain-verification';
import { eventHash, GENESIS_HASH, isChainHash, type ChainedContent } from './event-hash';

/**
 * Where a store that cannot chain the whole log in one line (EventStoreDB,
 * whose server assigns the global order) chains each stream: every event's
 * metadata carries `chain: { prev, hash }`, `prev` being the hash of the
 * stream's previous event. The hash covers the metadata without `chain`.
 */
export interface ChainLink {
  prev: string;
  hash: string;
}

export interface StreamHead {
  version: number;
  hash: string;
}

/** The stored form of an event's data and metadata, `chain` left out, as the hash reads them. */
function contentOf(
  streamId: string,
  version: number,
  event: { type: string; data: unknown; metadata: object },
): ChainedContent {
  return {
    streamId,
    version,
    type: event.type,
    // The client writes JSON.stringify of both; for JSON that a parse gave, that is the stored text again.
    data: JSON.stringify(event.data) ?? 'null',
    metadata: JSON.stringify(event.metadata),
  };
}

/**
 * The events of one append, each given its link: the first chained to
 * `after` (the stream's head before the append), each next one to the one
 * before it. Returns them with the stream's new head.
 */
export function chainEvents(
  streamId: string,
  after: StreamHead,
  events: readonly NewEvent[],
): { events: NewEvent[]; head: StreamHead } {
  let { version, hash } = after;
  const chained = events.map((event) => {
    version += 1;
    const prev = hash;
    hash = eventHash(prev, contentOf(streamId, version, event));
    return { ...event, metadata: { ...event.metadata, chain: { prev, hash } } };
  });
  return { events: chained, head: { version, hash } };
}

/** The head of a stream before its first event. */
export const EMPTY_STREAM: StreamHead = { version: 0, hash: GENESIS_HASH };

/** The link an event's metadata carries, if it carries a well-formed one. */
export function linkOf(metadata: unknown): ChainLink | undefined {
  const chain = (metadata as { chain?: Partial<ChainLink> } | null)?.chain;
  return chain && isChainHash(chain.prev) && isChainHash(chain.hash)
    ? { prev: chain.prev, hash: chain.hash }
    : undefined;
}

/** The metadata as the application wrote it: without the chain's link. */
export function withoutLink<M>(metadata: M): M {
  if (metadata === null || typeof metadata !== 'object' || !('chain' in metadata)) return metadata;
  const rest = { ...metadata } as M & { chain?: unknown };
  delete rest.chain;
  return rest;
}

/** An event's head as a seal records it: where it is, and its hash. */
export interface SealedHead extends StreamHead {
  streamId: string;
  position: string;
}

/**
 * Checks a log chained stream by stream, read in log order: each event's
 * link must name its stream's previous event, its hash must follow from its
 * content, and no version may be skipped. Given the heads the seals
 * recorded, every one must still be in the log, where it was. Memory grows
 * with the number of streams, not of events.
 */
export class StreamChainCheck {
  private readonly heads = new Map<string, StreamHead>();
  private readonly sealed: SealedHead[];
  private nextSealed = 0;
  eventsChecked = 0;

  constructor(
    sealed: Iterable<SealedHead>,
    private readonly compare: (a: string, b: string) => number,
  ) {
    this.sealed = [...sealed].sort((a, b) => compare(a.position, b.position));
  }

  next(event: RecordedEvent): BrokenLink | undefined {
    const missing = this.sealedBefore(event.position);
    if (missing) return missing;
    this.eventsChecked += 1;
    const at = { streamId: event.streamId, version: event.version, position: event.position };
    const broken = (reason: BrokenReason) => brokenLink(reason, at);
    const link = linkOf(event.metadata);
    if (!link) return broken('hash_missing');
    const head = this.heads.get(event.streamId) ?? EMPTY_STREAM;
    if (event.version !== head.version + 1) return broken('version_gap');
    if (link.prev !== head.hash) return broken('link_broken');
    const content = contentOf(event.streamId, event.version, {
      ...event,
      metadata: withoutLink(event.metadata),
    });
    if (eventHash(link.prev, content) !== link.hash) return broken('hash_mismatch');
    this.heads.set(event.streamId, { version: event.version, hash: link.hash });
    const seal = this.sealed[this.nextSealed];
    if (seal && this.compare(seal.position, event.position) === 0) {
      this.nextSealed += 1;
      const same =
        seal.streamId === event.streamId &&
        seal.version === event.version &&
        seal.hash === link.hash;
      if (!same) return broken('sealed_event_missing');
    }
    return undefined;
  }

  /** After the last event: a sealed head the log no longer reached. */
  end(): BrokenLink | undefined {
    const seal = this.sealed[this.nextSealed];
    return seal ? brokenLink('sealed_event_missing', seal) : undefined;
  }

  /** A sealed head positioned before `position` that no event stood on. */
  private sealedBefore(position: string): BrokenLink | undefined {
    const seal = this.sealed[this.nextSealed];
    return seal && this.compare(seal.position, position) < 0
      ? brokenLink('sealed_event_missing', seal)
      : undefined;
  }
}
