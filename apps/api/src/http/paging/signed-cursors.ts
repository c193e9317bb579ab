import { createHmac, timingSafeEqual } from 'node:crypto';

export class InvalidCursorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidCursorError';
  }
}

/** What a cursor carries: the filters it was issued for (`f`) and where the next page starts (`k`). */
interface CursorPayload {
  f: unknown;
  k: unknown;
}

export const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** A ticket id as cursors carry it: any read model id the stores accept. */
export function isCursorTicketId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= 100;
}

const SIGNATURE_LENGTH = 22;
const CURSOR = /^([A-Za-z0-9_-]{1,1000})\.([A-Za-z0-9_-]{22})$/;

/**
 * Paging cursors that carry the sort key of a page's last item and the
 * filters they were issued for, signed so that a cursor this API did not
 * issue is refused rather than read as a place in the list. Filters are
 * compared as JSON: give them in a fixed order (an array).
 */
export class SignedCursors<Filters, Key> {
  constructor(
    private readonly key: string,
    private readonly isKey: (value: unknown) => value is Key,
  ) {}

  encode(filters: Filters, key: Key): string {
    const payload: CursorPayload = { f: filters, k: key };
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return `${body}.${this.sign(body)}`;
  }

  /** The key to start after; throws InvalidCursorError for anything this API did not issue for these filters. */
  decode(cursor: string, filters: Filters): Key {
    const [, body, signature] = CURSOR.exec(cursor) ?? [];
    if (body === undefined || signature === undefined || !this.signedHere(body, signature)) {
      throw new InvalidCursorError('The cursor is not one this API issued');
    }
    let payload: Partial<CursorPayload>;
    try {
      payload = (JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) ??
        {}) as Partial<CursorPayload>;
    } catch {
      throw new InvalidCursorError('The cursor is not one this API issued');
    }
    if (!this.isKey(payload.k)) {
      throw new InvalidCursorError('The cursor is not one this API issued');
    }
    if (JSON.stringify(payload.f) !== JSON.stringify(filters)) {
      throw new InvalidCursorError('The cursor belongs to a query with other filters');
    }
    return payload.k;
  }

  private sign(body: string): string {
    return createHmac('sha256', this.key)
      .update(body)
      .digest('base64url')
      .slice(0, SIGNATURE_LENGTH);
  }

  private signedHere(body: string, signature: string): boolean {
    return timingSafeEqual(Buffer.from(this.sign(body)), Buffer.from(signature));
  }
}
