import type { ProjectionReport, RebuildStart } from '@ledger/projections';
import type { ProjectionName } from '@ledger/read-store';
import type { MetricObjectWithValues, MetricValue } from 'prom-client';

/** A registry's metrics as `getMetricsAsJSON` gives them, to be added to this process's. */
export type MetricsSnapshot = MetricObjectWithValues<MetricValue<string>>[];

/** What asking for a rebuild can come to; `unavailable` while the projection worker restarts. */
export type RebuildRequest = RebuildStart | 'unavailable';

/**
 * The projections this API process drives, wherever they run: in its own
 * thread (PROJECTIONS=in-process) or in a worker process it starts and keeps
 * alive (PROJECTIONS=worker). Absent with PROJECTIONS=off.
 */
export abstract class ReadModelProjections {
  /** Resolves once every read model has caught up with the log as it was. */
  abstract start(): Promise<void>;
  abstract stop(): Promise<void>;
  abstract report(): Promise<ProjectionReport[]>;
  /** True once `name` has applied `position`; false after `timeoutMs`. */
  abstract waitFor(name: ProjectionName, position: string, timeoutMs: number): Promise<boolean>;
  abstract startRebuild(name: ProjectionName): Promise<RebuildRequest>;
  /** The metrics of the process they run in when it is not this one (the automation's among them). */
  abstract metricsElsewhere(): Promise<MetricsSnapshot>;
}
