import { Inject, Injectable, Optional } from '@nestjs/common';
import { EVENT_STORE, ForwardingEventStore, type EventStore } from '@ledger/event-store';
import { lagsBehindHead, type Lag, type ProjectionReport } from '@ledger/projections';
import { READ_STORE, type ReadStore } from '@ledger/read-store';
import { ReadModelProjections } from './read-model-projections';
import { reportsFromReadStore } from './read-store-checkpoints';

export interface ReadModelLag extends ProjectionReport {
  lag: Lag;
}

/**
 * Where each read model stands: as this process's projections (on its thread
 * or in its worker) report it, or, when projector processes write them
 * (PROJECTIONS=off), as the read store's registrations say.
 */
@Injectable()
export class ReadModelPositions {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Optional() private readonly projections?: ReadModelProjections,
  ) {}

  report(): Promise<ProjectionReport[]> {
    if (this.projections) return this.projections.report();
    return reportsFromReadStore(this.readStore, 'external');
  }

  /** Each read model with how far it is behind the log's head. */
  async lags(): Promise<ReadModelLag[]> {
    const reports = await this.report();
    // Positions and event times only: read below the personal-data decorator,
    // which would open every sealed field of up to 10,000 events at each probe.
    const lags = await lagsBehindHead(
      ForwardingEventStore.innermost(this.events),
      reports.map((report) => report.position),
    );
    return reports.map((report, index) => {
      const lag = lags[index];
      if (!lag) throw new Error(`No lag was measured for ${report.name}`);
      return { ...report, lag };
    });
  }
}
