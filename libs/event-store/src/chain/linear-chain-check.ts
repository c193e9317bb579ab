import { brokenLink, type BrokenLink } from './chain-verification';
import { eventHash, GENESIS_HASH, type ChainedContent } from './event-hash';

/** An event of a log chained in one line, as stored: its own hash beside its content. */
export interface LinkedEvent extends ChainedContent {
  position: number;
  hash: string | null;
}

/**
 * Checks a log chained in one line (each event to the one before it in the
 * whole log, as the SQLite store keeps it), one event at a time in position
 * order, keeping only the last hash: any length of log in constant memory.
 */
export class LinearChainCheck {
  private prev = GENESIS_HASH;
  private receiptReached: boolean;
  eventsChecked = 0;

  /** `receipt.position` 0 stands for the empty log, whose hash is the genesis hash. */
  constructor(private readonly receipt?: { position: number; hash: string }) {
    this.receiptReached = receipt === undefined;
  }

  /** The first problem at or before `event`, if any; the check is over once one is found. */
  next(event: LinkedEvent): BrokenLink | undefined {
    const passed = this.checkReceiptBefore(event.position);
    if (passed) return passed;
    this.eventsChecked += 1;
    if (event.hash === null) return brokenAt(event, 'hash_missing');
    if (eventHash(this.prev, event) !== event.hash) return brokenAt(event, 'hash_mismatch');
    this.prev = event.hash;
    if (this.receipt && event.position === this.receipt.position) {
      this.receiptReached = true;
      if (event.hash !== this.receipt.hash) return brokenAt(event, 'receipt_mismatch');
    }
    return undefined;
  }

  /** After the last event: a receipt the log never reached. */
  end(): BrokenLink | undefined {
    return this.checkReceiptBefore(Number.POSITIVE_INFINITY);
  }

  /** The receipt's position lies before `position` and no event stood on it. */
  private checkReceiptBefore(position: number): BrokenLink | undefined {
    if (this.receiptReached || !this.receipt || this.receipt.position >= position) return undefined;
    this.receiptReached = true;
    const at = { streamId: null, version: null, position: String(this.receipt.position) };
    if (this.receipt.position === 0) {
      return this.receipt.hash === GENESIS_HASH ? undefined : brokenLink('receipt_mismatch', at);
    }
    return brokenLink('receipt_beyond_log', at);
  }
}

function brokenAt(event: LinkedEvent, reason: Parameters<typeof brokenLink>[0]): BrokenLink {
  return brokenLink(reason, {
    streamId: event.streamId,
    version: event.version,
    position: String(event.position),
  });
}
