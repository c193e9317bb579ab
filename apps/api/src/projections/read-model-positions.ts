import { Inject, Injectable, Optional } from '@nestjs/common';
import { EVENT_STORE, ForwardingEventStore, type EventStore } from '@ledger/event-store';
import {
  lagsBehindHead,
  ProjectionDaemon,
  type Lag,
  type ProjectionReport,
} from '@ledger/projections';
import { PROJECTION_NAMES, READ_STORE, type ReadStore } from '@ledger/read-store';

export interface ReadModelLag extends ProjectionReport {
  lag: Lag;
}

/**
 * Where each read model stands: as this process's projections report it, or,
 * when projector processes write them (PROJECTIONS=off), as the read store's
 * registrations say.
 */
@Injectable()
export class ReadModelPositions {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Optional() private readonly daemon?: ProjectionDaemon,
  ) {}

  async report(): Promise<ProjectionReport[]> {
    if (this.daemon) return this.daemon.report();
    return Promise.all(
      PROJECTION_NAMES.map(async (name) => {
        const { active, building } = await this.readStore.registration(name);
        return {
          name,
          position: active?.position ?? null,
          status: building ? 'rebuilding' : 'external',
        } as ProjectionReport;
      }),
    );
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
