import type { Document } from 'mongodb';
import type { LeaseHold } from '../read-store';

/*
 * Lease times are the server's (`$$NOW`), never a host's: a holder's expiry is
 * checked by the other hosts, and a few seconds of skew between their clocks
 * against a five-second lease would let a standby take a lease still held.
 */

export interface LeaseDocument {
  _id: string;
  holder: string;
  expiresAt: Date;
  /** Written by every claim and every commit under the lease, so concurrent ones conflict. */
  fence: number;
}

/**
 * Takes `lease` for `holder` when it is new, expired or already theirs, for
 * `ttlMs` from the server's now; leaves it as it is otherwise. The condition
 * is in the update: an upsert's filter may not use `$expr` (the server refuses
 * it, code 224), and only `$expr` sees `$$NOW`.
 */
export function claimCommand(
  lease: string,
  holder: string,
  ttlMs: number,
): { filter: Document; update: Document[] } {
  // A literal: a holder name starting with `$` would otherwise read as a field.
  const claimant = { $literal: holder };
  const taken = {
    $or: [{ $eq: ['$holder', claimant] }, { $not: [{ $gt: ['$expiresAt', '$$NOW'] }] }],
  };
  return {
    filter: { _id: lease },
    update: [
      {
        $set: {
          holder: { $cond: [taken, claimant, '$holder'] },
          expiresAt: { $cond: [taken, { $add: ['$$NOW', ttlMs] }, '$expiresAt'] },
          fence: { $cond: [taken, { $add: [{ $ifNull: ['$fence', 0] }, 1] }, '$fence'] },
        },
      },
    ],
  };
}

/** The lease while `hold.holder` holds it, by the server's clock. */
export function heldFilter(hold: LeaseHold): Document {
  return { _id: hold.lease, holder: hold.holder, $expr: { $gt: ['$expiresAt', '$$NOW'] } };
}
