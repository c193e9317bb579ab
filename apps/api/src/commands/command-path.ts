import { Inject, Injectable, Optional } from '@nestjs/common';
import { ConcurrencyConflictError, EVENT_STORE, type EventStore } from '@ledger/event-store';
import { APP_CONFIG, type AppConfig } from '@ledger/runtime';
import { idempotencyScope, idempotencyTtlMs } from '../idempotency/idempotency-scope';
import { CLOCK, type Clock } from '../storage/clock';
import { stampEvents } from '../streams/stamp-events';
import type { CommandContext } from '../tickets/command-context';
import { ConcurrentModificationError, VersionMismatchError } from './command-errors';
import { COMMAND_OBSERVER, UNOBSERVED, type CommandObserver } from './command-observer';
import type { CommandOutcome, Message, StreamKind } from './stream-kind';
import { advance, snapshotOf, StreamSnapshots, type StreamSnapshot } from './stream-snapshots';
import { StreamTurns } from './stream-turns';

/** Conflicting writers each get another try; past this many, the client is told to retry. */
const MAX_ATTEMPTS = 25;

type Decision<E, S> = { answer: CommandOutcome<S> } | { events: E[] };

/**
 * The one way a command reaches the log, for every kind of stream: load the
 * stream, fold, decide, append with the version read — again from the top if
 * another writer got in first.
 */
@Injectable()
export class CommandPath {
  /**
   * Commands on one stream take turns within this process. Raced
   * optimistically, all but one of each round would conflict and retry, and
   * enough at once (50 notes) would run out of attempts; the version check on
   * append still guards against other processes.
   */
  private readonly turns = new StreamTurns();
  private readonly snapshots = new StreamSnapshots();

  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'idempotencyTtlHours'>,
    @Optional()
    @Inject(COMMAND_OBSERVER)
    private readonly observer: CommandObserver = UNOBSERVED,
  ) {}

  execute<C extends Message, E extends Message, S, X>(
    kind: StreamKind<C, E, S, X>,
    streamId: string,
    command: C,
    context: CommandContext,
  ): Promise<CommandOutcome<S>> {
    return this.observer.command({ type: command.type, streamId, context }, () =>
      this.turns.take(streamId, () => this.decideAndAppend(kind, streamId, command, context)),
    );
  }

  private async decideAndAppend<C, E extends Message, S, X>(
    kind: StreamKind<C, E, S, X>,
    streamId: string,
    command: C,
    context: CommandContext,
  ): Promise<CommandOutcome<S>> {
    const key = idempotencyScope(context);
    for (let attempt = 1; ; attempt++) {
      const { snapshot, guessed } = await this.load(kind, streamId, command, attempt);
      let decided: Decision<E, S>;
      try {
        decided = await this.decide(kind, streamId, command, context, snapshot);
      } catch (error) {
        // A refusal decided on a remembered or assumed snapshot may be out of
        // date (another process wrote since): decide once more on the stream as stored.
        if (guessed) {
          this.snapshots.forget(streamId);
          continue;
        }
        throw error;
      }
      if ('answer' in decided) {
        if (kind.snapshots) this.snapshots.set(streamId, snapshot);
        return decided.answer;
      }
      const occurredAt = this.clock.now().toISOString();
      const stamped = stampEvents(
        decided.events,
        context,
        occurredAt,
        key !== undefined ? { idempotencyKey: key } : {},
      );
      try {
        const appended = await this.observer.append(
          { streamId, events: decided.events, context },
          () =>
            this.events.append(
              streamId,
              stamped,
              snapshot.version === 0 ? 'no_stream' : snapshot.version,
            ),
        );
        const after = advance(kind.decider, snapshot, decided.events, occurredAt, appended, key);
        if (kind.snapshots) this.snapshots.set(streamId, after);
        return { version: appended.version, position: appended.position, state: after.state };
      } catch (error) {
        this.snapshots.forget(streamId);
        if (!(error instanceof ConcurrencyConflictError)) throw error;
        // The next attempt decides on the stream as it now is, where a
        // conditional command meets the version it no longer matches.
        if (attempt >= MAX_ATTEMPTS) throw new ConcurrentModificationError(streamId);
      }
    }
  }

  /** The stream as remembered or assumed (`guessed`), or as read from the log. */
  private async load<C, E extends Message, S, X>(
    kind: StreamKind<C, E, S, X>,
    streamId: string,
    command: C,
    attempt: number,
  ): Promise<{ snapshot: StreamSnapshot<S>; guessed: boolean }> {
    const remembered = kind.snapshots ? this.snapshots.get<S>(streamId) : undefined;
    if (remembered) return { snapshot: remembered, guessed: true };
    if (attempt === 1 && kind.startsStream?.(command)) {
      return { snapshot: snapshotOf(kind.decider, [], this.events.origin), guessed: true };
    }
    const history = await this.events.readStream(streamId);
    return { snapshot: snapshotOf(kind.decider, history, this.events.origin), guessed: false };
  }

  /** The answer without appending (a retry, or nothing to record), or the events to append. */
  private async decide<C, E extends Message, S, X>(
    kind: StreamKind<C, E, S, X>,
    streamId: string,
    command: C,
    context: CommandContext,
    snapshot: StreamSnapshot<S>,
  ): Promise<Decision<E, S>> {
    const { state } = snapshot;
    const key = idempotencyScope(context);
    // A command that was appended but whose answer was never recorded (a crash
    // in between), unless the key has expired: then it is a new command.
    const done = key !== undefined ? snapshot.idempotencyKeys.get(key) : undefined;
    if (done && !this.expired(done.occurredAt)) {
      return { answer: { version: done.version, position: done.position, state } };
    }
    const expected = context.expectedVersion;
    if (expected !== undefined && expected !== snapshot.version) {
      throw new VersionMismatchError(streamId, expected, snapshot.version);
    }
    const events = kind.decider.decide(command, state, await kind.decisionContext?.(command));
    if (events.length === 0) {
      return { answer: { version: snapshot.version, position: snapshot.position, state } };
    }
    return { events };
  }

  private expired(occurredAt: string): boolean {
    return Date.parse(occurredAt) <= this.clock.now().getTime() - idempotencyTtlMs(this.config);
  }
}
