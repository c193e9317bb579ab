import { Inject, Injectable } from '@nestjs/common';
import {
  ConcurrencyConflictError,
  datedEvent,
  EVENT_STORE,
  type EventStore,
} from '@ledger/event-store';
import { ApiError } from '../http/api-error';
import { CLOCK, type Clock } from '../storage/clock';
import type { CommandContext } from '../tickets/command-context';
import { stampEvents } from './stamp-events';

type Event = { type: string; data: unknown };

/** The pure functions of a small stream (an agent, the SLA policy). */
export interface StreamDecider<C, E extends Event, S> {
  initialState(): S;
  evolve(state: S, event: E & { occurredAt: string }): S;
  decide(command: C, state: S): E[];
}

export interface StreamAnswer<S> {
  version: number;
  position: string;
  state: S;
}

const MAX_ATTEMPTS = 10;

/**
 * Load, fold, decide, append with the version read, again on a conflict:
 * the command path of the streams that are too small to need snapshots.
 */
@Injectable()
export class StreamCommands {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute<C, E extends Event, S>(
    streamId: string,
    decider: StreamDecider<C, E, S>,
    command: C,
    context: CommandContext,
  ): Promise<StreamAnswer<S>> {
    for (let attempt = 1; ; attempt++) {
      const recorded = await this.events.readStream(streamId);
      const state = recorded.reduce(
        (current, event) => decider.evolve(current, datedEvent<E>(event)),
        decider.initialState(),
      );
      const version = recorded.length;
      const last = recorded[recorded.length - 1];
      if (context.expectedVersion !== undefined && context.expectedVersion !== version) {
        throw new ApiError(
          412,
          'VERSION_MISMATCH',
          `The stream is at version ${version}, not ${context.expectedVersion}`,
        );
      }
      const decided = decider.decide(command, state);
      if (decided.length === 0) {
        return { version, position: last?.position ?? this.events.origin, state };
      }
      const occurredAt = this.clock.now().toISOString();
      try {
        const appended = await this.events.append(
          streamId,
          stampEvents(decided, context, occurredAt, 1),
          version === 0 ? 'no_stream' : version,
        );
        const after = decided.reduce(
          (current, event) => decider.evolve(current, { ...event, occurredAt }),
          state,
        );
        return { version: appended.version, position: appended.position, state: after };
      } catch (error) {
        if (!(error instanceof ConcurrencyConflictError)) throw error;
        if (context.expectedVersion !== undefined || attempt >= MAX_ATTEMPTS) {
          throw new ApiError(409, 'CONCURRENT_MODIFICATION', 'The stream changed meanwhile: retry');
        }
      }
    }
  }
}
