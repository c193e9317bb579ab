import { createHash } from 'node:crypto';
import { brokenLink, type BrokenLink, type ChainReceipt } from './chain-verification';
import { GENESIS_HASH, isChainHash, netstring } from './event-hash';
import type { SealedHead } from './stream-chain';

/** The stream the seals are written to, beside the log's own streams and not part of the log. */
export const SEALS_STREAM = 'ledger-seals';
export const SEAL_EVENT_TYPE = 'LedgerSealed';

/**
 * A seal: the heads of the streams that moved since the previous seal, up to
 * `position` in the log, and a root chained over the previous seal's root,
 * so the newest root stands for the head of every stream ever sealed. A seal
 * lists only the streams that moved, so it stays small whatever the number
 * of streams (a server refuses large appends).
 */
export interface LedgerSealed {
  /** 1 for the first seal, then one more each time. */
  sequence: number;
  /** The newest log position the seal covers. */
  position: string;
  previous: string;
  /** `[streamId, version, hash, position]`, sorted by stream id. */
  heads: [streamId: string, version: number, hash: string, position: string][];
  root: string;
  sealedAt: string;
}

/** SHA-256 over the netstrings of the previous root, the position and every head's four fields, in order. */
export function sealRoot(previous: string, position: string, heads: LedgerSealed['heads']): string {
  const hash = createHash('sha256').update(netstring(previous) + netstring(position), 'utf8');
  for (const [streamId, version, headHash, headPosition] of heads) {
    hash.update(
      netstring(streamId) +
        netstring(String(version)) +
        netstring(headHash) +
        netstring(headPosition),
      'utf8',
    );
  }
  return hash.digest('hex');
}

/** The seal that follows `previous` (none: the first), over the heads that moved since. */
export function nextSeal(
  previous: Pick<LedgerSealed, 'sequence' | 'root'> | undefined,
  position: string,
  moved: Iterable<SealedHead>,
  sealedAt: string,
): LedgerSealed {
  const heads = [...moved]
    .sort((a, b) => (a.streamId < b.streamId ? -1 : a.streamId > b.streamId ? 1 : 0))
    .map((head): LedgerSealed['heads'][number] => [
      head.streamId,
      head.version,
      head.hash,
      head.position,
    ]);
  const root = previous?.root ?? GENESIS_HASH;
  return {
    sequence: (previous?.sequence ?? 0) + 1,
    position,
    previous: root,
    heads,
    root: sealRoot(root, position, heads),
    sealedAt,
  };
}

/**
 * Reads the seals in order: each must follow from the one before it, and
 * together they give the newest sealed head of every stream. With a
 * receipt (a seal's position and root), one of them must be it.
 */
export class SealChainCheck {
  private readonly latest = new Map<string, SealedHead>();
  private last: LedgerSealed | undefined;
  private receiptFound: boolean;

  constructor(
    private readonly compare: (a: string, b: string) => number,
    private readonly receipt?: ChainReceipt,
    origin?: string,
  ) {
    this.receiptFound =
      receipt === undefined || (receipt.position === origin && receipt.hash === GENESIS_HASH);
  }

  next(seal: LedgerSealed): BrokenLink | undefined {
    const previous = this.last;
    const at = { streamId: SEALS_STREAM, version: seal.sequence, position: seal.position };
    const follows =
      seal.sequence === (previous?.sequence ?? 0) + 1 &&
      seal.previous === (previous?.root ?? GENESIS_HASH) &&
      isChainHash(seal.root) &&
      sealRoot(seal.previous, seal.position, seal.heads) === seal.root &&
      (!previous || this.compare(seal.position, previous.position) > 0);
    if (!follows) return brokenLink('seal_broken', at);
    if (!this.receiptFound && this.receipt!.position === seal.position) {
      if (this.receipt!.hash !== seal.root) return brokenLink('receipt_mismatch', at);
      this.receiptFound = true;
    }
    for (const [streamId, version, hash, position] of seal.heads) {
      this.latest.set(streamId, { streamId, version, hash, position });
    }
    this.last = seal;
    return undefined;
  }

  /** After the last seal: a receipt no seal matched, past the newest seal or between two. */
  end(): BrokenLink | undefined {
    if (this.receiptFound) return undefined;
    const at = { streamId: null, version: null, position: this.receipt!.position };
    const beyond = !this.last || this.compare(this.receipt!.position, this.last.position) > 0;
    return brokenLink(beyond ? 'receipt_beyond_log' : 'receipt_mismatch', at);
  }

  get newest(): LedgerSealed | undefined {
    return this.last;
  }

  /** The newest sealed head of every stream. */
  sealedHeads(): Iterable<SealedHead> {
    return this.latest.values();
  }
}
