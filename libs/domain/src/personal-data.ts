import { POST_MORTEM_PERSONAL_FIELDS } from './post-mortem/post-mortem.personal-data';
import { POST_MORTEM_STREAM_PREFIX } from './post-mortem/post-mortem.events';
import { TICKET_STREAM_PREFIX, type TicketEventType } from './ticket.events';
import type { Ticket } from './ticket.state';

/** What every read shows in place of an erased customer's personal data. */
export const ERASED = '[erased]';

/** A field inside an event's data, as the keys that lead to it. */
export type FieldPath = readonly string[];

/**
 * The fields of each event that hold personal data: the customer's name and
 * every free text people write about them. They are stored encrypted with
 * the customer's key and read back as ERASED once the key is destroyed.
 * Everything else (ids, tiers, reasons, priorities, categories, root-cause
 * codes, times, scores) stays in the clear, so the queues, the SLA clock and
 * the KPIs need no key.
 */
export const PERSONAL_FIELDS: Partial<Record<TicketEventType, readonly FieldPath[]>> = {
  TicketOpened: [['subject'], ['description'], ['customer', 'name']],
  TicketEscalated: [['note']],
  TicketResolved: [['resolution']],
  FeedbackReceived: [['comment']],
  TicketNoteAdded: [['body']],
  TicketReopened: [['reason']],
  TicketClosed: [['reason']],
};

/**
 * The personal fields of an event of `type` on the stream `streamId`, as
 * paths in which `*` stands for every element of an array: a ticket's
 * events' from PERSONAL_FIELDS, a post-mortem's from
 * POST_MORTEM_PERSONAL_FIELDS (its stream is its ticket's customer's too).
 */
export function personalFieldPaths(type: string, streamId: string): readonly FieldPath[] {
  if (streamId.startsWith(TICKET_STREAM_PREFIX)) {
    return PERSONAL_FIELDS[type as TicketEventType] ?? [];
  }
  if (streamId.startsWith(POST_MORTEM_STREAM_PREFIX)) {
    return POST_MORTEM_PERSONAL_FIELDS[type as keyof typeof POST_MORTEM_PERSONAL_FIELDS] ?? [];
  }
  return [];
}

/**
 * The ticket as its events read once its customer is erased: what a fold of
 * them gives after the erasure, and what a read model holding it rewrites.
 */
export function withoutPersonalData(ticket: Ticket): Ticket {
  const { name, ...customer } = ticket.customer;
  return {
    ...ticket,
    subject: ERASED,
    description: ERASED,
    customer: name === undefined ? customer : { ...customer, name: ERASED },
  };
}
