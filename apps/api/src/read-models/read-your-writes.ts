import { Inject, Injectable, Optional } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@ledger/event-store';
import { READ_STORE, type ProjectionName, type ReadStore } from '@ledger/read-store';
import { echoed } from '@ledger/domain';
import { ApiError } from '../http/api-error';
import { ReadModelProjections } from '../projections/read-model-projections';
import { checkpointReaches } from '../projections/read-store-checkpoints';

export const AFTER_TIMEOUT_MS = 5000;

/**
 * `?after=<position>`: holds a read until the read model has applied that
 * log position, so a client reads its own writes.
 */
@Injectable()
export class ReadYourWrites {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Optional() private readonly projections?: ReadModelProjections,
  ) {}

  async await(projection: ProjectionName, after: string | undefined): Promise<void> {
    if (after === undefined) return;
    if (!this.events.isValidPosition(after)) {
      throw ApiError.validation([
        { field: 'after', message: 'after must be a position returned by a command' },
      ]);
    }
    const reached = this.projections
      ? await this.projections.waitFor(projection, after, AFTER_TIMEOUT_MS)
      : await checkpointReaches(
          this.events,
          this.readStore,
          projection,
          after,
          Date.now() + AFTER_TIMEOUT_MS,
        );
    if (!reached) {
      throw new ApiError(
        504,
        'POSITION_NOT_REACHED',
        `The ${projection} read model has not reached position ${echoed(after)} within ${AFTER_TIMEOUT_MS / 1000} s`,
      );
    }
  }
}
