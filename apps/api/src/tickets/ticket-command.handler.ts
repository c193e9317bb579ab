import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  TICKET_EVENT_SCHEMA_VERSION,
  ticketStreamId,
  type TicketDecider,
  type TicketState,
} from '@ledger/domain';
import {
  ConcurrencyConflictError,
  EVENT_STORE,
  type EventStore,
  type NewEvent,
  type RecordedEvent,
} from '@ledger/event-store';
import { randomUUID } from 'node:crypto';
import { ApiError } from '../http/api-error';
import { CLOCK, type Clock } from '../storage/clock';
import { ExecuteTicketCommand, type CommandAnswer } from './execute-ticket-command';
import { TICKET_DECIDER } from './ticket-decider.provider';

/** Conflicting writers each get another try; past this many, the client is told to retry. */
const MAX_ATTEMPTS = 25;

function answerOf(ticketId: string, events: readonly RecordedEvent[]): CommandAnswer {
  const last = events[events.length - 1];
  return { ticketId, version: events.length, position: last?.position ?? '0' };
}

/** Load the stream, fold, decide, append — again from the top if another writer got in first. */
@CommandHandler(ExecuteTicketCommand)
export class TicketCommandHandler implements ICommandHandler<ExecuteTicketCommand, CommandAnswer> {
  constructor(
    @Inject(TICKET_DECIDER) private readonly decider: TicketDecider,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Commands on one ticket take turns within this process. Raced optimistically,
   * all but one of each round would conflict and retry, and enough at once
   * (50 notes) would run out of attempts; the version check on append still
   * guards against other processes.
   */
  private readonly turns = new Map<string, Promise<void>>();

  async execute(command: ExecuteTicketCommand): Promise<CommandAnswer> {
    const streamId = ticketStreamId(command.ticketId);
    const run = (this.turns.get(streamId) ?? Promise.resolve()).then(() =>
      this.decideAndAppend(command),
    );
    const turn = run.then(
      () => undefined,
      () => undefined,
    );
    this.turns.set(streamId, turn);
    try {
      return await run;
    } finally {
      if (this.turns.get(streamId) === turn) this.turns.delete(streamId);
    }
  }

  private async decideAndAppend({
    ticketId,
    command,
    context,
  }: ExecuteTicketCommand): Promise<CommandAnswer> {
    const streamId = ticketStreamId(ticketId);
    for (let attempt = 1; ; attempt++) {
      const history = await this.events.readStream(streamId);
      const key = context.idempotency?.key;
      // A command that was appended but whose answer was never recorded (a crash in between).
      if (key !== undefined) {
        const done = history.filter((event) => event.metadata.idempotencyKey === key);
        if (done.length > 0)
          return answerOf(ticketId, history.slice(0, done[done.length - 1].version));
      }
      if (context.expectedVersion !== undefined && context.expectedVersion !== history.length) {
        throw new ApiError(
          412,
          'VERSION_MISMATCH',
          `The ticket is at version ${history.length}, not ${context.expectedVersion}`,
        );
      }
      const state = history.reduce<TicketState>(
        (current, event) =>
          this.decider.evolve(current, {
            type: event.type,
            data: event.data,
            occurredAt: event.metadata.occurredAt,
          } as Parameters<TicketDecider['evolve']>[1]),
        this.decider.initialState(),
      );
      const decided = this.decider.decide(command, state);
      if (decided.length === 0) return answerOf(ticketId, history);
      const occurredAt = this.clock.now().toISOString();
      const stamped: NewEvent[] = decided.map((event) => ({
        type: event.type,
        data: event.data,
        metadata: {
          eventId: randomUUID(),
          occurredAt,
          actor: context.actor,
          correlationId: context.correlationId,
          causationId: context.commandId,
          schemaVersion: TICKET_EVENT_SCHEMA_VERSION,
          ...(key !== undefined && { idempotencyKey: key }),
        },
      }));
      try {
        const appended = await this.events.append(
          streamId,
          stamped,
          history.length === 0 ? 'no_stream' : history.length,
        );
        return { ticketId, version: appended.version, position: appended.position };
      } catch (error) {
        if (!(error instanceof ConcurrencyConflictError)) throw error;
        if (context.expectedVersion !== undefined) {
          throw new ApiError(
            412,
            'VERSION_MISMATCH',
            'The ticket changed before this command was applied',
          );
        }
        if (attempt >= MAX_ATTEMPTS) {
          throw new ApiError(
            409,
            'CONCURRENT_MODIFICATION',
            'The ticket is changing too fast: retry',
          );
        }
      }
    }
  }
}
