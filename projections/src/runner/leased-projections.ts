import type { EventStore, RecordedEvent } from '@ledger/event-store';
import type { LeaseStore, ProjectionName, ProjectionStore } from '@ledger/read-store';
import type { Projection } from '../projection';
import { ALL_PROJECTIONS, type ProjectionReport } from './projection-daemon';
import {
  ProjectionRunner,
  projectionLease,
  type ProjectionRunnerOptions,
} from './projection-runner';
import { SharedBatches } from './shared-batches';
import { shareFolds } from './shared-folds';

export interface LeasedProjectionsOptions extends ProjectionRunnerOptions {
  /** Who this process is, unique among the projectors sharing the read store. */
  holder: string;
  /** How long a lease lasts unless renewed: how soon another projector takes over a dead one. */
  leaseTtlMs?: number;
  /** How often leases are claimed or renewed; well under the lease's life. */
  renewEveryMs?: number;
  onLeaseChange?: (name: ProjectionName, held: boolean) => void;
}

export interface LeasedProjectionReport extends ProjectionReport {
  held: boolean;
}

const DEFAULT_LEASE_TTL_MS = 5_000;
const DEFAULT_RENEW_EVERY_MS = 1_000;

interface Slot {
  projection: Projection<ProjectionName, RecordedEvent>;
  runner: ProjectionRunner | undefined;
  /** A start or stop under way: a slot never runs two at once. */
  busy: Promise<void> | undefined;
}

/**
 * Runs the projections of a projector process: each read model is written by
 * the one projector holding its lease in the read store. Leases are renewed
 * every `renewEveryMs`; a projector that dies stops renewing, and another
 * takes the lease within `leaseTtlMs` and resumes from the read model's
 * checkpoint. Every commit checks the lease in its own transaction, so a
 * projector that lost it (paused past the lease, say) writes nothing.
 */
export class LeasedProjections {
  private readonly slots: Slot[];
  private readonly batches: SharedBatches;
  private readonly runnerOptions: ProjectionRunnerOptions;
  private readonly ttlMs: number;
  private readonly renewEveryMs: number;
  private timer: NodeJS.Timeout | undefined;
  private claiming: Promise<void> | undefined;
  private unsubscribe: (() => void) | undefined;
  private stopped = false;

  constructor(
    private readonly events: EventStore,
    private readonly readStore: ProjectionStore & LeaseStore,
    private readonly options: LeasedProjectionsOptions,
  ) {
    this.batches = new SharedBatches(options.reader ?? events);
    this.runnerOptions = { ...options, reader: this.batches, leaseHolder: options.holder };
    this.ttlMs = options.leaseTtlMs ?? DEFAULT_LEASE_TTL_MS;
    this.renewEveryMs = options.renewEveryMs ?? DEFAULT_RENEW_EVERY_MS;
    this.slots = shareFolds(ALL_PROJECTIONS).map((projection) => ({
      projection,
      runner: undefined,
      busy: undefined,
    }));
  }

  /** Claims what it can now (what it writes catches up in the background), then keeps claiming and renewing until `stop`. */
  async start(): Promise<void> {
    this.unsubscribe = this.events.onAppended(() => this.batches.appended());
    await this.claimAll();
    this.timer = setInterval(() => {
      this.claiming ??= this.claimAll().finally(() => (this.claiming = undefined));
    }, this.renewEveryMs);
  }

  /** Stops writing and gives every lease up, so another projector takes over at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.claiming;
    await Promise.all(
      this.slots.map(async (slot) => {
        await slot.busy;
        await this.release(slot);
      }),
    );
    this.unsubscribe?.();
  }

  report(): LeasedProjectionReport[] {
    return this.slots.map(({ projection, runner }) => ({
      name: projection.name,
      held: runner !== undefined,
      position: runner?.position ?? null,
      status: runner?.status ?? 'starting',
      ...(runner?.error !== undefined && { error: runner.error }),
    }));
  }

  private async claimAll(): Promise<void> {
    await Promise.all(this.slots.map((slot) => this.claim(slot)));
  }

  /**
   * Renews or takes the slot's lease, then starts or stops its runner without
   * waiting for it: a catch-up can take longer than a lease lasts, and the
   * lease must go on being renewed meanwhile.
   */
  private async claim(slot: Slot): Promise<void> {
    if (this.stopped) return;
    const lease = projectionLease(slot.projection.name);
    let held: boolean;
    try {
      held = await this.readStore.claimLease(lease, this.options.holder, this.ttlMs);
    } catch (error) {
      // The read store cannot tell; the commits' own lease checks keep writes safe.
      this.options.onError?.(slot.projection.name, error);
      return;
    }
    if (this.stopped || slot.busy) return;
    if (held && !slot.runner) this.transition(slot, () => this.startRunner(slot));
    if (!held && slot.runner) this.transition(slot, () => this.stopRunner(slot));
  }

  private transition(slot: Slot, work: () => Promise<void>): void {
    slot.busy = work().finally(() => (slot.busy = undefined));
  }

  private async startRunner(slot: Slot): Promise<void> {
    const runner = new ProjectionRunner(
      this.events,
      this.readStore,
      slot.projection,
      this.runnerOptions,
    );
    slot.runner = runner;
    this.options.onLeaseChange?.(slot.projection.name, true);
    try {
      await runner.start();
    } catch (error) {
      this.options.onError?.(slot.projection.name, error);
      await this.stopRunner(slot);
    }
  }

  private async stopRunner(slot: Slot): Promise<void> {
    const runner = slot.runner;
    if (!runner) return;
    slot.runner = undefined;
    await runner.stop();
    this.options.onLeaseChange?.(slot.projection.name, false);
  }

  private async release(slot: Slot): Promise<void> {
    const held = slot.runner !== undefined;
    await this.stopRunner(slot);
    if (held) {
      await this.readStore
        .releaseLease(projectionLease(slot.projection.name), this.options.holder)
        .catch(() => undefined);
    }
  }
}
