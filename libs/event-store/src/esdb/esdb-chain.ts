import { LRUCache } from 'lru-cache';
import type { RecordedEvent } from '../event-store';
import {
  verification,
  verifyInPages,
  type ChainHead,
  type ChainReceipt,
  type ChainVerification,
  type LogChain,
  type VerifyOptions,
} from '../chain/chain-verification';
import { GENESIS_HASH } from '../chain/event-hash';
import { nextSeal, SealChainCheck, type LedgerSealed } from '../chain/seals';
import { linkOf, StreamChainCheck, type SealedHead, type StreamHead } from '../chain/stream-chain';

/** What the chain needs of the server, through the store's client. */
export interface EsdbChainSource {
  readonly origin: string;
  compare(this: void, a: string, b: string): number;
  /** The log's events after `after`, in log order, their metadata with the chain's link. */
  readLinked(after: string | undefined, limit: number): Promise<RecordedEvent[]>;
  /** Every seal, oldest first, as written. */
  readSeals(): AsyncIterable<LedgerSealed>;
  /** The newest seal, with how many seals there are. */
  newestSeal(): Promise<LedgerSealed | undefined>;
  /** Appends `seal` if the seals stream holds exactly `count` seals; false if another writer was first. */
  appendSeal(seal: LedgerSealed, count: number): Promise<boolean>;
}

/** Events read per request while verifying or sealing. */
const PAGE = 1000;
/** Streams per seal: about 150 bytes each, well under the server's largest append (1 MiB by default). */
const HEADS_PER_SEAL = 2000;

/**
 * The chain of a log kept in EventStoreDB: each stream chained on its own
 * (the link in every event's metadata), and seals that record the heads of
 * the streams, so that a stream deleted, or cut short, after a seal shows.
 * The head an auditor keeps is the newest seal.
 */
export class EsdbLogChain implements LogChain {
  constructor(private readonly source: EsdbChainSource) {}

  async head(): Promise<ChainHead> {
    const newest = await this.source.newestSeal();
    if (!newest) return { position: this.source.origin, hash: GENESIS_HASH, at: null };
    return { position: newest.position, hash: newest.root, at: newest.sealedAt };
  }

  async verify(receipt?: ChainReceipt, options: VerifyOptions = {}): Promise<ChainVerification> {
    const { compare, origin } = this.source;
    // Refuses a position the store never issues, as every comparison of one would.
    if (receipt) compare(receipt.position, origin);
    const seals = new SealChainCheck(compare, receipt, origin);
    for await (const seal of this.source.readSeals()) {
      const broken = seals.next(seal);
      if (broken) return verification(0, broken);
    }
    const sealsBroken = seals.end();
    if (sealsBroken) return verification(0, sealsBroken);
    const check = new StreamChainCheck(seals.sealedHeads(), compare);
    return verifyInPages(check, (after) => this.source.readLinked(after, PAGE), PAGE, options);
  }

  /**
   * Seals what the log holds past the newest seal, in as many seals as it
   * takes; one process at a time should (the API does it under a lease),
   * and if another wrote a seal first, this one stops. Returns the number
   * of seals written.
   */
  async seal(sealedAt: string): Promise<number> {
    let newest = await this.source.newestSeal();
    let written = 0;
    for (;;) {
      const moved = await this.movedSince(newest?.position);
      if (!moved) return written;
      const seal = nextSeal(newest, moved.position, moved.heads.values(), sealedAt);
      if (!(await this.source.appendSeal(seal, newest?.sequence ?? 0))) return written;
      newest = seal;
      written += 1;
    }
  }

  /** The heads of the streams that moved after `after`, up to one seal's worth of streams. */
  private async movedSince(
    after: string | undefined,
  ): Promise<{ position: string; heads: Map<string, SealedHead> } | undefined> {
    const heads = new Map<string, SealedHead>();
    let position: string | undefined;
    let from = after;
    for (;;) {
      const page = await this.source.readLinked(from, PAGE);
      for (const event of page) {
        if (!heads.has(event.streamId) && heads.size === HEADS_PER_SEAL) {
          return { position: position!, heads };
        }
        position = event.position;
        // An event without a link is reported by verification; a seal cannot vouch for it.
        const link = linkOf(event.metadata);
        if (link) {
          heads.set(event.streamId, {
            streamId: event.streamId,
            version: event.version,
            hash: link.hash,
            position: event.position,
          });
        }
      }
      const last = page.at(-1);
      if (!last || page.length < PAGE) {
        return position === undefined ? undefined : { position, heads };
      }
      from = last.position;
    }
  }
}

/**
 * The heads of the streams this store appended to or read to their end
 * lately, so that an append at a version it knows need not read the
 * stream's last event first. Bounded: the least recently used go.
 */
export class StreamHeadCache {
  private readonly heads: LRUCache<string, StreamHead>;

  constructor(capacity = 10_000) {
    this.heads = new LRUCache({ max: capacity });
  }

  /** The stream's head, if it is known to be at `version`. */
  at(streamId: string, version: number): StreamHead | undefined {
    const head = this.heads.get(streamId);
    return head?.version === version ? head : undefined;
  }

  remember(streamId: string, head: StreamHead): void {
    this.heads.set(streamId, head);
  }
}
