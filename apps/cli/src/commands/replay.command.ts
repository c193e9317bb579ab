import type { Command } from 'commander';
import { foldTicket, ticketStreamId, TicketNotFoundError } from '@ledger/domain';
import { toTicketView } from '@ledger/projections';
import { isUuid } from '../../../api/src/http/uuid-param.pipe';
import {
  datedTicketEvents,
  eventsAsOf,
  historyEntry,
} from '../../../api/src/tickets/ticket-history';
import { CliError, UsageError } from '../cli-error';
import { withStores } from '../cli-stores';
import { isoInstant, print } from '../options';

type Entry = ReturnType<typeof historyEntry>;

function describeEntry(entry: Entry): string {
  const who = [
    entry.actor,
    entry.actorRoles?.length ? `(${entry.actorRoles.join(', ')})` : '',
    entry.automation ? `[${entry.automation}]` : '',
  ]
    .filter(Boolean)
    .join(' ');
  return [
    `v${entry.version}  ${entry.occurredAt}  ${entry.type}  by ${who}  at position ${entry.position}`,
    `    correlation ${entry.correlationId}  cause ${entry.causationId}  event ${entry.eventId}  schema ${entry.schemaVersion}`,
    `    ${JSON.stringify(entry.data)}`,
  ].join('\n');
}

export function registerReplay(program: Command): void {
  program
    .command('replay')
    .description(
      "a ticket's events with their metadata, then its state (as GET /v1/tickets/:id?asOf)",
    )
    .argument('<ticketId>', 'the ticket (a UUID)')
    .option(
      '--as-of <instant>',
      'only the events up to this ISO instant, and the state then',
      isoInstant,
    )
    .option('--json', 'as JSON: { ticketId, asOf, events, state }')
    .action(async (ticketId: string, options: { asOf?: string; json?: boolean }) => {
      if (!isUuid(ticketId)) throw new UsageError(`${ticketId} is not a ticket id (a UUID)`);
      const id = ticketId.toLowerCase();
      const history = await withStores({ existing: true }, ({ events }) =>
        events.readStream(ticketStreamId(id)),
      );
      const [opened] = history;
      if (!opened) throw new TicketNotFoundError();
      const upTo =
        options.asOf === undefined ? history : eventsAsOf(history, Date.parse(options.asOf));
      const ticket = foldTicket(datedTicketEvents(upTo));
      if (!ticket) {
        throw new CliError(
          `Ticket ${id} did not exist yet at ${options.asOf}: it was opened at ${opened.metadata.occurredAt}`,
        );
      }
      const entries = upTo.map(historyEntry);
      const state = toTicketView(ticket);
      if (options.json) {
        const answer = { ticketId: id, asOf: options.asOf ?? null, events: entries, state };
        return print(`${JSON.stringify(answer, null, 2)}\n`);
      }
      const heading =
        options.asOf === undefined
          ? `Ticket ${id}: ${entries.length} events`
          : `Ticket ${id} as of ${options.asOf}: ${entries.length} of its ${history.length} events`;
      await print(
        `${heading}\n\n${entries.map(describeEntry).join('\n')}\n\nState:\n${JSON.stringify(state, null, 2)}\n`,
      );
    });
}
