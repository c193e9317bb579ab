import { ACCESS_STREAM, type Role } from '@ledger/domain';
import type { RecordedEvent } from '@ledger/event-store';

/**
 * What a subscriber sees of an event: all of it, or its envelope (type,
 * stream, version, position, time), which is enough to refresh counters.
 */
export type FeedView = 'whole' | 'envelope';

const WHOLE_EVENT_ROLES: readonly Role[] = ['agent', 'supervisor', 'auditor', 'admin'];
const AGENT_READERS: readonly Role[] = ['agent', 'supervisor', 'admin'];

/**
 * Analysts get envelopes. So does everyone but an admin for the `access`
 * stream: which keys exist and what they may do is for admins only, as
 * `GET /v1/keys` is.
 */
export function feedViewOf(roles: readonly Role[], event: RecordedEvent): FeedView {
  if (roles.includes('admin')) return 'whole';
  if (event.streamId === ACCESS_STREAM) return 'envelope';
  // Agents are read by agents and supervisors (GET /v1/agents), not by auditors.
  const readers = event.streamId.startsWith('agent-') ? AGENT_READERS : WHOLE_EVENT_ROLES;
  return roles.some((role) => readers.includes(role)) ? 'whole' : 'envelope';
}

/** A key's hash is shown nowhere, as the keys API shows none. */
function withoutSecretHash(data: unknown): unknown {
  if (typeof data !== 'object' || data === null || !('secretHash' in data)) return data;
  return Object.fromEntries(Object.entries(data).filter(([name]) => name !== 'secretHash'));
}

function feedBody(event: RecordedEvent, view: FeedView) {
  const envelope = {
    type: event.type,
    streamId: event.streamId,
    version: event.version,
    position: event.position,
    occurredAt: event.metadata.occurredAt,
  };
  if (view === 'envelope') return envelope;
  // As the history answer shows it: the idempotency key stays with the command path.
  const metadata = { ...event.metadata };
  delete metadata.idempotencyKey;
  return { ...envelope, metadata, data: withoutSecretHash(event.data) };
}

// Subscribers at the same place share the events they read, so each event is
// written out once per view however many feeds send it.
const written: Record<FeedView, WeakMap<RecordedEvent, string>> = {
  whole: new WeakMap(),
  envelope: new WeakMap(),
};

/** The event as one Server-Sent Events message: its position is the message id. */
export function eventMessage(event: RecordedEvent, view: FeedView): string {
  let message = written[view].get(event);
  if (message === undefined) {
    // JSON escapes line breaks, so the data fits the one `data:` line SSE needs.
    message = `id: ${event.position}\nevent: ${event.type}\ndata: ${JSON.stringify(feedBody(event, view))}\n\n`;
    written[view].set(event, message);
  }
  return message;
}

export const KEEP_ALIVE_MESSAGE = ': keep-alive\n\n';

/** The last message to a subscriber whose key was revoked or whose token expired. */
export const UNAUTHORIZED_MESSAGE = `event: unauthorized\ndata: ${JSON.stringify({ reason: 'the credential was revoked or has expired' })}\n\n`;

/** The last message to a client that fell too far behind: where to resume from. */
export function overflowMessage(after: string): string {
  return `event: overflow\ndata: ${JSON.stringify({ reason: 'the client did not keep up', after })}\n\n`;
}
