import type { EventStore } from '@ledger/event-store';
import type {
  DocumentChange,
  ProjectionName,
  ReadModelDocuments,
  ReadStore,
} from '@ledger/read-store';
import { isTicketEvent, ticketIdOf, type Projection } from '../projection';

export type ProjectionStatus = 'starting' | 'catching-up' | 'live' | 'rebuilding' | 'failed';

export interface ProjectionRunnerOptions {
  /** Events read and committed together. */
  batchSize?: number;
  /** Delay before trying again after a failed batch. */
  retryDelayMs?: number;
  onError?: (name: ProjectionName, error: unknown) => void;
}

/** Lets timers and I/O run before the next batch. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

interface Waiter {
  position: string;
  resolve: () => void;
}

/**
 * Writes the events that follow a checkpoint into one generation of a read
 * model, a batch at a time. Changes and checkpoint go in one commit, so a crash
 * between batches neither skips nor repeats an event.
 */
class GenerationWriter<N extends ProjectionName> {
  constructor(
    private readonly events: EventStore,
    private readonly readStore: ReadStore,
    private readonly projection: Projection<N>,
    readonly generation: number,
    public position: string | undefined,
    private readonly batchSize: number,
  ) {}

  /** Applies the next batch; false when the log had nothing more. */
  async step(): Promise<boolean> {
    const batch = await this.events.readAll({ after: this.position, limit: this.batchSize });
    if (batch.length === 0) return false;
    const ids = new Set<string>();
    for (const event of batch) if (isTicketEvent(event)) ids.add(ticketIdOf(event));
    const stored = await this.readStore.loadDocuments(this.projection.name, this.generation, [
      ...ids,
    ]);
    const changed = new Map<string, ReadModelDocuments[N] | null>();
    for (const event of batch) {
      if (!isTicketEvent(event)) continue;
      const id = ticketIdOf(event);
      const current = changed.has(id) ? changed.get(id)! : (stored.get(id) ?? null);
      const next = this.projection.apply(current, event);
      if (next !== current) changed.set(id, next);
    }
    const changes: DocumentChange<ReadModelDocuments[N]>[] = [];
    for (const [id, doc] of changed) changes.push({ id, doc });
    const last = batch[batch.length - 1].position;
    await this.readStore.commit(this.projection.name, this.generation, changes, last);
    this.position = last;
    return batch.length === this.batchSize;
  }
}

/**
 * Keeps one read model up to date with the log: catches up on start, follows
 * appends, and rebuilds into a fresh generation while the active one serves.
 */
export class ProjectionRunner<N extends ProjectionName = ProjectionName> {
  private live: GenerationWriter<N> | undefined;
  private rebuild: GenerationWriter<N> | undefined;
  private state: ProjectionStatus = 'starting';
  private lastError: string | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private waiters: Waiter[] = [];
  private readonly batchSize: number;
  private readonly retryDelayMs: number;

  constructor(
    private readonly events: EventStore,
    private readonly readStore: ReadStore,
    readonly projection: Projection<N>,
    private readonly options: ProjectionRunnerOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 1000;
    this.retryDelayMs = options.retryDelayMs ?? 1000;
  }

  get name(): N {
    return this.projection.name;
  }

  get status(): ProjectionStatus {
    return this.state;
  }

  get error(): string | undefined {
    return this.lastError;
  }

  /** The last log position the serving generation has applied. */
  get position(): string | undefined {
    return this.live?.position;
  }

  get rebuilding(): boolean {
    return this.rebuild !== undefined;
  }

  /** Resolves once the serving generation has caught up with the log as it was. */
  async start(): Promise<void> {
    const registration = await this.readStore.registration(this.name);
    if (registration.building) {
      await this.readStore.discardGeneration(this.name, registration.building.generation);
    }
    let active = registration.active;
    if (!active) {
      active = await this.readStore.createGeneration(this.name, this.projection.version);
      await this.readStore.activateGeneration(this.name, active.generation);
    }
    this.live = this.writer(active.generation, active.position);
    this.unsubscribe = this.events.onAppended(() => this.wake());
    this.state = 'catching-up';
    await this.wake();
    if (active.projectionVersion !== this.projection.version) this.startRebuild();
  }

  /** Builds a new generation from the start of the log; the current one serves until it is done. */
  startRebuild(): boolean {
    if (this.rebuild || this.stopped) return false;
    void this.buildNewGeneration();
    return true;
  }

  /** Resolves true when the serving generation has applied `position`, false after `timeoutMs`. */
  waitFor(position: string, timeoutMs: number): Promise<boolean> {
    if (this.reached(position)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter: Waiter = {
        position,
        resolve: () => {
          clearTimeout(timer);
          resolve(true);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve(false);
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    clearTimeout(this.retryTimer);
    await this.running;
  }

  private writer(generation: number, position: string | undefined): GenerationWriter<N> {
    return new GenerationWriter(
      this.events,
      this.readStore,
      this.projection,
      generation,
      position,
      this.batchSize,
    );
  }

  private reached(position: string): boolean {
    const current = this.live?.position;
    if (current === undefined) return this.events.comparePositions(position, '0') <= 0;
    return this.events.comparePositions(current, position) >= 0;
  }

  /** Runs catch-up now, or once more after the pass under way: passes never overlap. */
  private wake(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.catchUp().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        void this.wake();
      }
    });
    return this.running;
  }

  private async catchUp(): Promise<void> {
    try {
      while (!this.stopped && this.live && (await this.live.step())) {
        this.release();
        await nextTurn();
      }
      this.release();
      if (this.state !== 'rebuilding') this.state = 'live';
      this.lastError = undefined;
    } catch (error) {
      this.fail(error);
    }
  }

  private release(): void {
    if (this.waiters.length === 0) return;
    const ready = this.waiters.filter((waiter) => this.reached(waiter.position));
    if (ready.length === 0) return;
    this.waiters = this.waiters.filter((waiter) => !ready.includes(waiter));
    for (const waiter of ready) waiter.resolve();
  }

  private fail(error: unknown): void {
    this.state = 'failed';
    this.lastError = error instanceof Error ? error.message : String(error);
    this.options.onError?.(this.name, error);
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.wake(), this.retryDelayMs);
  }

  private async buildNewGeneration(): Promise<void> {
    this.state = 'rebuilding';
    try {
      const created = await this.readStore.createGeneration(this.name, this.projection.version);
      this.rebuild = this.writer(created.generation, undefined);
      // A synchronous store (SQLite) settles every await at once: without a
      // turn of the event loop between batches, the whole rebuild would run
      // as one task and the API would answer nothing until it is done.
      while (!this.stopped && (await this.rebuild.step())) await nextTurn();
      if (this.stopped) return;
      await this.swapIn(this.rebuild);
    } catch (error) {
      const abandoned = this.rebuild;
      this.rebuild = undefined;
      if (abandoned) {
        await this.readStore
          .discardGeneration(this.name, abandoned.generation)
          .catch(() => undefined);
      }
      this.fail(error);
    }
  }

  /**
   * The last stretch runs while no live pass does, so nothing is appended to
   * the old generation after the new one has passed it.
   */
  private async swapIn(built: GenerationWriter<N>): Promise<void> {
    while (this.running) await this.running;
    const pass = (async () => {
      while (await built.step());
      await this.readStore.activateGeneration(this.name, built.generation);
      this.live = built;
      this.rebuild = undefined;
      this.state = 'live';
    })();
    this.running = pass.catch(() => undefined);
    try {
      await pass;
    } finally {
      this.running = undefined;
      this.release();
      if (this.again) {
        this.again = false;
        void this.wake();
      }
    }
  }
}
