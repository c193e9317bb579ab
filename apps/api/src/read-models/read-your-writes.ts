import { Inject, Injectable, Optional } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@ledger/event-store';
import { ProjectionDaemon } from '@ledger/projections';
import { READ_STORE, type ProjectionName, type ReadStore } from '@ledger/read-store';
import { echoed } from '@ledger/domain';
import { ApiError } from '../http/api-error';

export const AFTER_TIMEOUT_MS = 5000;
const POLL_MS = 50;

/**
 * `?after=<position>`: holds a read until the read model has applied that
 * log position, so a client reads its own writes.
 */
@Injectable()
export class ReadYourWrites {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Optional() private readonly daemon?: ProjectionDaemon,
  ) {}

  async await(projection: ProjectionName, after: string | undefined): Promise<void> {
    if (after === undefined) return;
    if (!this.events.isValidPosition(after)) {
      throw ApiError.validation([
        { field: 'after', message: 'after must be a position returned by a command' },
      ]);
    }
    const reached = this.daemon
      ? await this.daemon.runner(projection).waitFor(after, AFTER_TIMEOUT_MS)
      : await this.poll(projection, after);
    if (!reached) {
      throw new ApiError(
        504,
        'POSITION_NOT_REACHED',
        `The ${projection} read model has not reached position ${echoed(after)} within ${AFTER_TIMEOUT_MS / 1000} s`,
      );
    }
  }

  /** With projections in another process, the checkpoint in the read store is what tells. */
  private async poll(projection: ProjectionName, after: string): Promise<boolean> {
    const deadline = Date.now() + AFTER_TIMEOUT_MS;
    for (;;) {
      const { active } = await this.readStore.registration(projection);
      const position = active?.position ?? this.events.origin;
      if (this.events.comparePositions(position, after) >= 0) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
}
