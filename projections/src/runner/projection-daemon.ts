import type { EventStore, RecordedEvent } from '@ledger/event-store';
import type { ProjectionName, ProjectionStore } from '@ledger/read-store';
import { agentsProjection } from '../agents/agents.projection';
import { alertsProjection } from '../alerts/alerts.projection';
import { escalationFactsProjection } from '../escalation-kpis/escalation-facts.projection';
import type { Projection } from '../projection';
import { postMortemsProjection } from '../post-mortems/post-mortems.projection';
import { queuesProjection } from '../queues/queues.projection';
import { tierWorkloadProjection } from '../tier-workload/tier-workload.projection';
import { ticketViewProjection } from '../ticket-view/ticket-view.projection';
import {
  ProjectionRunner,
  type ProjectionRunnerOptions,
  type ProjectionStatus,
} from './projection-runner';
import { SharedBatches } from './shared-batches';
import { shareFolds } from './shared-folds';

export const ALL_PROJECTIONS: readonly Projection<ProjectionName, RecordedEvent>[] = [
  ticketViewProjection,
  queuesProjection,
  tierWorkloadProjection,
  escalationFactsProjection,
  agentsProjection,
  alertsProjection,
  postMortemsProjection,
] as Projection<ProjectionName, RecordedEvent>[];

export interface ProjectionReport {
  name: ProjectionName;
  position: string | null;
  status: ProjectionStatus;
  error?: string;
}

/** Runs every read model's projection side by side. */
export class ProjectionDaemon {
  private readonly runners: Map<ProjectionName, ProjectionRunner>;
  private readonly unsubscribe: () => void;

  constructor(
    events: EventStore,
    readStore: ProjectionStore,
    options: ProjectionRunnerOptions = {},
  ) {
    // Runners at the same position read each batch once between them, and
    // read models kept by the same fold compute each document once.
    const batches = new SharedBatches(options.reader ?? events);
    // Subscribed before any runner, so a runner woken by an append reads past the old head.
    this.unsubscribe = events.onAppended(() => batches.appended());
    const shared = { ...options, reader: batches };
    this.runners = new Map(
      shareFolds(ALL_PROJECTIONS).map((projection) => [
        projection.name,
        new ProjectionRunner(events, readStore, projection, shared),
      ]),
    );
  }

  async start(): Promise<void> {
    await Promise.all([...this.runners.values()].map((runner) => runner.start()));
  }

  async stop(): Promise<void> {
    await Promise.all([...this.runners.values()].map((runner) => runner.stop()));
    this.unsubscribe();
  }

  runner(name: ProjectionName): ProjectionRunner {
    return this.runners.get(name)!;
  }

  report(): ProjectionReport[] {
    return [...this.runners.values()].map((runner) => ({
      name: runner.name,
      position: runner.position ?? null,
      status: runner.status,
      ...(runner.error !== undefined && { error: runner.error }),
    }));
  }
}
