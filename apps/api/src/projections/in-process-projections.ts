import type { ProjectionDaemon, ProjectionReport } from '@ledger/projections';
import type { ProjectionName } from '@ledger/read-store';
import {
  ReadModelProjections,
  type MetricsSnapshot,
  type RebuildRequest,
} from './read-model-projections';

/** The projections on the request thread: simplest, and what tests in one process use. */
export class InProcessProjections extends ReadModelProjections {
  constructor(private readonly daemon: ProjectionDaemon) {
    super();
  }

  start(): Promise<void> {
    return this.daemon.start();
  }

  stop(): Promise<void> {
    return this.daemon.stop();
  }

  report(): Promise<ProjectionReport[]> {
    return Promise.resolve(this.daemon.report());
  }

  waitFor(name: ProjectionName, position: string, timeoutMs: number): Promise<boolean> {
    return this.daemon.runner(name).waitFor(position, timeoutMs);
  }

  startRebuild(name: ProjectionName): Promise<RebuildRequest> {
    return Promise.resolve(this.daemon.runner(name).startRebuild());
  }

  /** None: they run here, and count in this process's registry. */
  metricsElsewhere(): Promise<MetricsSnapshot> {
    return Promise.resolve([]);
  }
}
