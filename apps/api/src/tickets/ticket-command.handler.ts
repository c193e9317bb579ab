import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  TICKET_EVENT_SCHEMA_VERSION,
  ticketStreamId,
  type TicketDecider,
  type TicketEvent,
  type TicketState,
  type VersionedSlaPolicy,
} from '@ledger/domain';
import { ConcurrencyConflictError, EVENT_STORE, type EventStore } from '@ledger/event-store';
import { ApiError } from '../http/api-error';
import { SlaPolicies } from '../sla-policy/sla-policies';
import { CLOCK, type Clock } from '../storage/clock';
import { stampEvents } from '../streams/stamp-events';
import { ExecuteTicketCommand, type CommandAnswer } from './execute-ticket-command';
import { TICKET_DECIDER } from './ticket-decider.provider';
import {
  snapshotOf,
  TicketSnapshots,
  type StreamPoint,
  type TicketSnapshot,
} from './ticket-snapshots';

/** Conflicting writers each get another try; past this many, the client is told to retry. */
const MAX_ATTEMPTS = 25;

/** Load the stream, fold, decide, append — again from the top if another writer got in first. */
@CommandHandler(ExecuteTicketCommand)
export class TicketCommandHandler implements ICommandHandler<ExecuteTicketCommand, CommandAnswer> {
  constructor(
    @Inject(TICKET_DECIDER) private readonly decider: TicketDecider,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly slaPolicies: SlaPolicies,
  ) {}

  /**
   * Commands on one ticket take turns within this process. Raced optimistically,
   * all but one of each round would conflict and retry, and enough at once
   * (50 notes) would run out of attempts; the version check on append still
   * guards against other processes.
   */
  private readonly turns = new Map<string, Promise<void>>();
  private readonly snapshots = new TicketSnapshots();

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
    const key = context.idempotency?.key;
    for (let attempt = 1; ; attempt++) {
      let snapshot = this.snapshots.get(streamId);
      // An open is taken to start a new stream without reading it first: if the
      // stream exists after all, the append conflicts and the next attempt reads it.
      if (!snapshot && attempt === 1 && command.type === 'OpenTicket') {
        snapshot = snapshotOf(this.decider, [], this.events.origin);
      }
      const fromCache = snapshot !== undefined;
      snapshot ??= snapshotOf(
        this.decider,
        await this.events.readStream(streamId),
        this.events.origin,
      );
      let decided;
      // Only an open depends on the policy: the ticket keeps the terms it was opened under.
      const slaPolicy =
        command.type === 'OpenTicket' ? await this.slaPolicies.current() : undefined;
      try {
        decided = this.decide(ticketId, command, context, snapshot, slaPolicy);
      } catch (error) {
        // A refusal decided on a remembered snapshot may be out of date (another
        // process wrote since): decide once more on the stream as stored.
        if (fromCache) {
          this.snapshots.forget(streamId);
          continue;
        }
        throw error;
      }
      if ('answer' in decided) {
        this.snapshots.set(streamId, snapshot);
        return decided.answer;
      }
      const occurredAt = this.clock.now().toISOString();
      const stamped = stampEvents(
        decided.events,
        context,
        occurredAt,
        TICKET_EVENT_SCHEMA_VERSION,
        key !== undefined ? { idempotencyKey: key } : {},
      );
      try {
        const appended = await this.events.append(
          streamId,
          stamped,
          snapshot.version === 0 ? 'no_stream' : snapshot.version,
        );
        this.snapshots.set(
          streamId,
          this.advance(snapshot, decided.events, occurredAt, appended, key),
        );
        return { ticketId, version: appended.version, position: appended.position };
      } catch (error) {
        this.snapshots.forget(streamId);
        if (!(error instanceof ConcurrencyConflictError)) throw error;
        if (context.expectedVersion !== undefined && !fromCache) {
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

  /** The answer without appending (a retry, or nothing to record), or the events to append. */
  private decide(
    ticketId: string,
    command: ExecuteTicketCommand['command'],
    context: ExecuteTicketCommand['context'],
    snapshot: TicketSnapshot,
    slaPolicy: VersionedSlaPolicy | undefined,
  ): { answer: CommandAnswer } | { events: TicketEvent[] } {
    const key = context.idempotency?.key;
    // A command that was appended but whose answer was never recorded (a crash in between).
    const done = key !== undefined ? snapshot.idempotencyKeys.get(key) : undefined;
    if (done) return { answer: { ticketId, ...done } };
    if (context.expectedVersion !== undefined && context.expectedVersion !== snapshot.version) {
      throw new ApiError(
        412,
        'VERSION_MISMATCH',
        `The ticket is at version ${snapshot.version}, not ${context.expectedVersion}`,
      );
    }
    const events = this.decider.decide(command, snapshot.state, slaPolicy && { slaPolicy });
    if (events.length === 0) {
      return { answer: { ticketId, version: snapshot.version, position: snapshot.position } };
    }
    return { events };
  }

  private advance(
    snapshot: TicketSnapshot,
    events: readonly TicketEvent[],
    occurredAt: string,
    appended: StreamPoint,
    key: string | undefined,
  ): TicketSnapshot {
    const state = events.reduce<TicketState>(
      (current, event) => this.decider.evolve(current, { ...event, occurredAt }),
      snapshot.state,
    );
    const idempotencyKeys = new Map(snapshot.idempotencyKeys);
    if (key !== undefined) idempotencyKeys.set(key, appended);
    return { state, idempotencyKeys, version: appended.version, position: appended.position };
  }
}
