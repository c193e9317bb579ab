import { randomUUID } from 'node:crypto';
import { QUICK } from '../lib/quick.mjs';

/**
 * A ticket's life as a command handler writes it: one TicketOpened on a new
 * stream, then notes, one event per append, each with the expected version.
 */
export const APPENDS_PER_STREAM = 8;

const POOL_SIZE = 1024;
const CHANNELS = ['email', 'phone', 'chat', 'web'];
const PRIORITIES = ['urgent', 'high', 'medium', 'low'];

const LOREM =
  'The customer reports that invoices exported after the last release show the wrong VAT rate ' +
  'for EU accounts; the export is used by their finance team every morning and they need it ' +
  'fixed before the month closes. Steps to reproduce, screenshots and the affected invoice ' +
  'numbers are attached. They have already cleared the cache and tried another browser.';

function metadata(i) {
  return {
    eventId: randomUUID(),
    occurredAt: new Date(Date.UTC(2025, 0, 1) + i * 1000).toISOString(),
    actor: `agent-${i % 50}`,
    correlationId: randomUUID(),
    causationId: randomUUID(),
    schemaVersion: 1,
    idempotencyKey: randomUUID(),
  };
}

function ticketOpened(i) {
  return {
    type: 'TicketOpened',
    data: {
      ticketId: randomUUID(),
      subject: `Invoice export shows the wrong VAT rate (#${i})`,
      description: LOREM,
      channel: CHANNELS[i % CHANNELS.length],
      customer: { id: randomUUID(), name: `Customer ${i}`, tier: i % 7 === 0 ? 'vip' : 'standard' },
      category: 'billing',
      priority: PRIORITIES[i % PRIORITIES.length],
      priorityReason: 'keyword:invoice',
      tier: 'L1',
    },
    metadata: metadata(i),
  };
}

function ticketNoteAdded(i) {
  return {
    type: 'TicketNoteAdded',
    data: { body: `Note ${i}: ${LOREM.slice(0, 160 + (i % 80))}` },
    metadata: metadata(i),
  };
}

/**
 * Built before any timing, so what is measured is the store, not the making
 * of payloads; every contender gets the same objects in the same order.
 */
export function createWorkload() {
  const opened = Array.from({ length: POOL_SIZE }, (_, i) => ticketOpened(i));
  const notes = Array.from({ length: POOL_SIZE }, (_, i) => ticketNoteAdded(i));
  const sample = [opened[0], notes[0]].map((event) => ({
    type: event.type,
    bytes: JSON.stringify(event.data).length + JSON.stringify(event.metadata).length,
  }));
  return {
    sample,
    /** The event of an appender's `n`-th append; `version` is the stream's version before it. */
    event(n, version) {
      return version === 0 ? opened[n % POOL_SIZE] : notes[n % POOL_SIZE];
    },
    newStreamId() {
      return `ticket-${randomUUID()}`;
    },
  };
}

/** How long each contender appends in a round. */
export const APPEND_DURATION_MS = QUICK ? 700 : 2500;
/** Untimed appends on the same file first, so JIT and page cache start warm for all. */
export const APPEND_WARMUP_MS = QUICK ? 150 : 400;

/** How many appenders run at once, scenario by scenario. */
export const APPENDER_SCENARIOS = [
  { key: 'oneAppender', label: '1 appender', appenders: 1 },
  { key: 'concurrent64', label: '64 concurrent appenders', appenders: 64 },
];
