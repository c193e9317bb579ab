import { isCustomerErased, type CustomerErased } from '@ledger/domain';
import type { EventStore, RecordedEvent } from '@ledger/event-store';
import {
  isTicketReadModel,
  type DocumentChange,
  type GenerationInfo,
  type LeaseHold,
  type ProjectionName,
  type ReadModelDocuments,
  type ProjectionStore,
} from '@ledger/read-store';
import type { Projection } from '../projection';
import { UNOBSERVED_BATCHES, type BatchObserver } from './batch-observer';
import type { BatchReader } from './shared-batches';

export const PROJECTION_STATUSES = [
  'starting',
  'catching-up',
  'live',
  'rebuilding',
  'failed',
] as const;
export type ProjectionStatus = (typeof PROJECTION_STATUSES)[number];

/**
 * What a request to rebuild comes to: started, or refused because a rebuild
 * is under way, because the serving read model was rebuilt from the log as it
 * stands (nothing appended since), or because the runner is stopping.
 */
export type RebuildStart = 'started' | 'rebuilding' | 'unchanged' | 'stopped';

export interface ProjectionRunnerOptions {
  /** Events read and applied together. */
  batchSize?: number;
  /**
   * Changed documents held in memory before they are committed, while the
   * log has more to read. A writer that reaches the head commits at once.
   */
  maxUncommittedDocuments?: number;
  /** How long changes may stay uncommitted while the log has more to read. */
  maxCommitDelayMs?: number;
  /** Documents kept in memory after they are committed, so a ticket's next events need no load. */
  cachedDocuments?: number;
  /**
   * Documents a generation built from the start of the log holds in memory;
   * past this, the least recently used are written out.
   */
  buildingDocuments?: number;
  /** Where to read the log; the daemon passes one its runners share. Defaults to the event store. */
  reader?: BatchReader;
  /**
   * While following the log, the least time between two passes. Appends in
   * between are applied and committed together, so a busy log costs one
   * commit per interval instead of one per append; a reader waiting for a
   * position (`waitFor`) starts a pass at once.
   */
  followIntervalMs?: number;
  /** Delay before trying again after a failed batch. */
  retryDelayMs?: number;
  /**
   * Commit only while this holder holds the read model's lease
   * (`projectionLease(name)`), so a projector that lost it writes nothing.
   */
  leaseHolder?: string;
  onError?: (name: ProjectionName, error: unknown) => void;
  /** Runs each batch: traces make a span of it. */
  observer?: BatchObserver;
}

const DEFAULT_BATCH_SIZE = 1000;
const DEFAULT_MAX_UNCOMMITTED = 6_000;
const DEFAULT_MAX_COMMIT_DELAY_MS = 2000;
const DEFAULT_CACHED_DOCUMENTS = 5_000;
const DEFAULT_BUILDING_DOCUMENTS = 6_000;
const BUILDING_TRANSACTION_DOCUMENTS = 2_000;
const DEFAULT_FOLLOW_INTERVAL_MS = 20;

interface WriterLimits {
  batchSize: number;
  maxUncommittedDocuments: number;
  maxCommitDelayMs: number;
  cachedDocuments: number;
  buildingDocuments: number;
}

/** The lease a projector must hold to write the read model `name`. */
export function projectionLease(name: ProjectionName): string {
  return `projection:${name}`;
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
 * model. Changes and checkpoint go in one commit, so a crash between commits
 * neither skips nor repeats an event.
 *
 * Documents stay in memory between batches: a ticket's events are close
 * together in the log, so most of a batch's documents were read or written by
 * the batches just before, and a long catch-up (a rebuild) commits a document
 * once for many of its events instead of once per batch. What is applied but
 * not committed is only in memory; it is committed when the writer reaches the
 * head of the log, when too many documents or too much time have piled up,
 * and dropped (`reset`) after a failure, to be applied again from the checkpoint.
 *
 * A generation built from the start of the log (`building`) is a bulk load
 * instead: nothing reads it, and a restart discards it rather than resume it,
 * so it need not be consistent with its checkpoint until it is activated.
 * Its documents stay in memory until they are the least recently used of too
 * many, and only then are written, most of them once: a ticket's events are
 * close together, and one that went cold seldom comes back.
 */
class GenerationWriter<N extends ProjectionName> {
  /** The last position applied in memory; `position` is the last one committed. */
  private applied: string | undefined;
  /** Every document in memory by stream id; `doc: null` is known not to exist. */
  private readonly documents = new Map<string, CachedDocument<ReadModelDocuments[N]>>();
  /** Documents changed since the last commit. */
  private readonly changed = new Set<CachedDocument<ReadModelDocuments[N]>>();
  /** Counts batches: the age of a document in memory is how many batches ago it was used. */
  private batches = 0;
  private committedAt = Date.now();

  constructor(
    private readonly reader: BatchReader,
    private readonly readStore: ProjectionStore,
    private readonly projection: Projection<N, RecordedEvent>,
    readonly generation: number,
    public position: string | undefined,
    private readonly limits: WriterLimits,
    private readonly hold: LeaseHold | undefined,
    private readonly observer: BatchObserver,
    /** Filled from the start of the log and not yet serving; cleared once it serves. */
    public building = false,
  ) {
    this.applied = position;
  }

  /** Applies the next batch, committing when due; false once the log had nothing more. */
  async step(): Promise<boolean> {
    const { batchSize } = this.limits;
    const batch = await this.reader.readAll({ after: this.applied, limit: batchSize });
    const more = batch.length === batchSize;
    if (batch.length === 0) {
      await this.commitWhenDue(more);
      return more;
    }
    const { name: readModel } = this.projection;
    await this.observer.batch(
      { readModel, generation: this.generation, events: batch },
      async () => {
        // A customer's erasure rewrites their documents between the events around it.
        let from = 0;
        for (let index = 0; index < batch.length; index++) {
          const event = batch[index]!;
          if (!this.erases(event)) continue;
          await this.applyRun(batch.slice(from, index));
          await this.eraseCustomer(event);
          from = index + 1;
        }
        await this.applyRun(from === 0 ? batch : batch.slice(from));
        await this.commitWhenDue(more);
      },
    );
    return more;
  }

  private async commitWhenDue(more: boolean): Promise<void> {
    const { maxUncommittedDocuments, maxCommitDelayMs, buildingDocuments } = this.limits;
    if (this.building) {
      if (!more) await this.commit();
      else if (this.documents.size > buildingDocuments) await this.spill();
      return;
    }
    if (
      !more ||
      this.changed.size >= maxUncommittedDocuments ||
      Date.now() - this.committedAt >= maxCommitDelayMs
    ) {
      await this.commit();
    }
  }

  /** Forgets what is applied but not committed, after a failure. */
  reset(): void {
    this.documents.clear();
    this.changed.clear();
    this.applied = this.position;
  }

  private async applyRun(run: RecordedEvent[]): Promise<void> {
    const last = run.at(-1);
    if (!last) return;
    await this.apply(run);
    this.applied = last.position;
  }

  private erases(event: RecordedEvent): event is RecordedEvent & CustomerErased {
    return this.projection.eraseCustomer !== undefined && isCustomerErased(event);
  }

  /**
   * Rewrites every document of the customer's tickets, between two commits:
   * once what came before is committed, the store's index finds them all.
   */
  private async eraseCustomer(event: RecordedEvent & CustomerErased): Promise<void> {
    await this.commit();
    const { name } = this.projection;
    const erase = this.projection.eraseCustomer!;
    if (!isTicketReadModel(name)) throw new Error(`${name} holds no tickets to erase`);
    const ids = new Set(
      await this.readStore.ticketIdsOfCustomer(name, this.generation, event.data.customerId),
    );
    for (const cached of this.documents.values()) {
      if (!ids.delete(cached.id) || cached.doc === null) continue;
      cached.doc = erase(cached.doc);
      this.changed.add(cached);
    }
    const stored = await this.readStore.loadDocuments(name, this.generation, [...ids]);
    for (const [id, doc] of stored) {
      // Not kept in memory: committed below, and loaded from the store when next needed.
      this.changed.add({ id, doc: erase(doc), used: this.batches });
    }
    this.applied = event.position;
    await this.commit();
  }

  private async apply(batch: RecordedEvent[]): Promise<void> {
    const used = ++this.batches;
    // The document of each event of the batch, looked up once.
    const documents = new Array<CachedDocument<ReadModelDocuments[N]> | undefined>(batch.length);
    const missing: CachedDocument<ReadModelDocuments[N]>[] = [];
    const { source } = this.projection;
    const shared = source.sharedDocuments;
    for (let index = 0; index < batch.length; index++) {
      const event = batch[index]!;
      if (!source.accepts(event)) continue;
      // Keyed by stream id rather than ticket id: the stream id comes flat from
      // the store, while a ticket id sliced out of it hashes and compares slowly.
      const key = shared ? source.documentIdOf(event) : event.streamId;
      let cached = this.documents.get(key);
      if (cached) {
        cached.used = used;
      } else {
        cached = { id: shared ? key : source.documentIdOf(event), doc: null, used };
        this.documents.set(key, cached);
        // A stream's first event: no document can hold any of it yet.
        const starts = shared ? shared.startsDocument(event) : event.version === 1;
        if (!starts) missing.push(cached);
      }
      documents[index] = cached;
    }
    if (missing.length > 0) {
      const stored = await this.readStore.loadDocuments(
        this.projection.name,
        this.generation,
        missing.map((cached) => cached.id),
      );
      for (const cached of missing) cached.doc = stored.get(cached.id) ?? null;
    }
    for (let index = 0; index < batch.length; index++) {
      const event = batch[index]!;
      const cached = documents[index];
      if (!cached) continue;
      const next = this.projection.apply(cached.doc, event);
      if (next !== cached.doc) {
        cached.doc = next;
        this.changed.add(cached);
      }
    }
  }

  private async commit(): Promise<void> {
    if (this.applied === this.position) return;
    const changes: DocumentChange<ReadModelDocuments[N]>[] = [];
    for (const cached of this.changed) changes.push({ id: cached.id, doc: cached.doc });
    await this.write(changes);
    this.position = this.applied;
    this.changed.clear();
    this.committedAt = Date.now();
    this.evict();
  }

  /** Everything in memory is committed: keeps the most recently used documents only. */
  private evict(): void {
    const excess = this.documents.size - this.limits.cachedDocuments;
    if (excess <= 0) return;
    const cutoff = leastRecentlyUsed(this.documents, excess, this.batches);
    for (const [id, cached] of this.documents) {
      if (cached.used < cutoff) this.documents.delete(id);
    }
  }

  /**
   * While building: writes out and forgets the least recently used quarter
   * of the documents. The checkpoint moves with them although newer
   * documents are still only in memory: see `building`.
   */
  private async spill(): Promise<void> {
    const excess = this.documents.size - Math.floor((this.limits.buildingDocuments * 3) / 4);
    const cutoff = leastRecentlyUsed(this.documents, excess, this.batches);
    const changes: DocumentChange<ReadModelDocuments[N]>[] = [];
    for (const [id, cached] of this.documents) {
      if (cached.used >= cutoff) continue;
      this.documents.delete(id);
      if (this.changed.delete(cached)) changes.push({ id: cached.id, doc: cached.doc });
    }
    // Nothing evicted had changed: a building generation's checkpoint alone is worth no commit.
    if (changes.length > 0) await this.write(changes);
  }

  /**
   * Commits the changes with the checkpoint at `applied`: in one transaction,
   * or while building, in transactions of a bounded size with a turn of the
   * event loop between, so neither the log's appends (which may share the
   * store's file) nor this process's requests wait long for one.
   */
  private async write(changes: readonly DocumentChange<ReadModelDocuments[N]>[]): Promise<void> {
    const size = this.building ? BUILDING_TRANSACTION_DOCUMENTS : Math.max(changes.length, 1);
    for (let from = 0; from === 0 || from < changes.length; from += size) {
      if (from > 0) await nextTurn();
      await this.readStore.commit(
        this.projection.name,
        this.generation,
        changes.slice(from, from + size),
        this.applied!,
        this.hold,
      );
    }
  }
}

interface CachedDocument<Doc> {
  id: string;
  doc: Doc | null;
  /** The batch that last used it. */
  used: number;
}

/**
 * The batch before which at least `count` of the documents were last used:
 * forgetting those used before it frees `count` places or a few more.
 */
function leastRecentlyUsed(
  documents: Map<string, { used: number }>,
  count: number,
  lastBatch: number,
): number {
  let oldest = Infinity;
  for (const cached of documents.values()) if (cached.used < oldest) oldest = cached.used;
  // How many documents were last used in each batch, oldest batch first.
  const perBatch = new Array<number>(lastBatch - oldest + 1).fill(0);
  for (const cached of documents.values()) {
    const age = cached.used - oldest;
    perBatch[age] = (perBatch[age] ?? 0) + 1;
  }
  let cutoff = oldest;
  let left = count;
  while (left > 0 && cutoff <= lastBatch) left -= perBatch[cutoff++ - oldest] ?? 0;
  return cutoff;
}

/**
 * Keeps one read model up to date with the log: catches up on start, follows
 * appends, and rebuilds into a fresh generation while the active one serves.
 */
export class ProjectionRunner<N extends ProjectionName = ProjectionName> {
  private live: GenerationWriter<N> | undefined;
  private rebuild: GenerationWriter<N> | undefined;
  /** From the moment a rebuild is asked for until it is swapped in or given up. */
  private rebuildRun: Promise<void> | undefined;
  /** The serving generation is a rebuild, and nothing has been appended since it was swapped in. */
  private rebuiltFromLogAsItStands = false;
  private state: ProjectionStatus = 'starting';
  private lastError: string | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private followTimer: NodeJS.Timeout | undefined;
  private lastPassAt = 0;
  private unsubscribe: (() => void) | undefined;
  private waiters: Waiter[] = [];
  private readonly limits: WriterLimits;
  private readonly reader: BatchReader;
  private readonly retryDelayMs: number;
  private readonly followIntervalMs: number;
  private readonly hold: LeaseHold | undefined;

  constructor(
    private readonly events: EventStore,
    private readonly readStore: ProjectionStore,
    readonly projection: Projection<N, RecordedEvent>,
    private readonly options: ProjectionRunnerOptions = {},
  ) {
    this.limits = {
      batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE,
      maxUncommittedDocuments: options.maxUncommittedDocuments ?? DEFAULT_MAX_UNCOMMITTED,
      maxCommitDelayMs: options.maxCommitDelayMs ?? DEFAULT_MAX_COMMIT_DELAY_MS,
      cachedDocuments: options.cachedDocuments ?? DEFAULT_CACHED_DOCUMENTS,
      buildingDocuments: options.buildingDocuments ?? DEFAULT_BUILDING_DOCUMENTS,
    };
    this.reader = options.reader ?? events;
    this.retryDelayMs = options.retryDelayMs ?? 1000;
    this.followIntervalMs = options.followIntervalMs ?? DEFAULT_FOLLOW_INTERVAL_MS;
    this.hold =
      options.leaseHolder === undefined
        ? undefined
        : { lease: projectionLease(projection.name), holder: options.leaseHolder };
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
    return this.rebuildRun !== undefined;
  }

  /** Resolves once the serving generation has caught up with the log as it was. */
  async start(): Promise<void> {
    const registration = await this.readStore.registration(this.name);
    if (registration.building) {
      await this.readStore.discardGeneration(this.name, registration.building.generation);
    }
    let active = registration.active;
    // A read model written by another version of the projection is replaced
    // before it serves: its documents mean something else, and the store may
    // keep them in a layout this code no longer reads.
    if (active && active.projectionVersion !== this.projection.version) {
      active = await this.emptyGeneration();
    }
    this.unsubscribe = this.events.onAppended(() => {
      this.rebuiltFromLogAsItStands = false;
      this.follow();
    });
    if (!active) {
      // Nothing serves yet: the read model is built from the whole log as a
      // rebuild builds it, in bulk, and serves once it reaches the head.
      this.startRebuild();
      await this.rebuilt();
      // A first start is no rebuild asked for: one asked for next is carried out.
      this.rebuiltFromLogAsItStands = false;
      return;
    }
    this.live = this.writer(active.generation, active.position);
    this.state = 'catching-up';
    await this.wake();
  }

  /** A new generation, serving at once, that catches up from the start of the log. */
  private async emptyGeneration(): Promise<GenerationInfo> {
    const created = await this.readStore.createGeneration(this.name, this.projection.version);
    await this.readStore.activateGeneration(this.name, created.generation, this.hold);
    return created;
  }

  /**
   * Builds a new generation from the start of the log; the current one serves
   * until it is done. Refused while a rebuild is under way: its writer exists
   * only once the new generation is created, so the run is marked before the
   * first await, or requests arriving together would each start one. Refused
   * too when the serving generation is a rebuild that has applied nothing
   * since: a fold of the same log builds the same read model, and requests
   * sent together can reach the server one by one, each after the previous
   * rebuild of a short log has finished.
   */
  startRebuild(): RebuildStart {
    if (this.stopped) return 'stopped';
    if (this.rebuildRun) return 'rebuilding';
    if (this.rebuiltFromLogAsItStands) return 'unchanged';
    this.rebuildRun = this.buildNewGeneration().finally(() => {
      this.rebuildRun = undefined;
    });
    return 'started';
  }

  /** Resolves once the rebuild under way, if any, is swapped in or given up (see `status`). */
  async rebuilt(): Promise<void> {
    await this.rebuildRun;
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
      void this.wake();
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    clearTimeout(this.retryTimer);
    clearTimeout(this.followTimer);
    await this.running;
    // A rebuild's batch still in flight would commit after whoever starts next
    // has discarded its generation: it ends at its next step, and is waited for.
    await this.rebuildRun;
  }

  private writer(
    generation: number,
    position: string | undefined,
    building = false,
  ): GenerationWriter<N> {
    return new GenerationWriter(
      this.reader,
      this.readStore,
      this.projection,
      generation,
      position,
      this.limits,
      this.hold,
      this.options.observer ?? UNOBSERVED_BATCHES,
      building,
    );
  }

  private reached(position: string): boolean {
    const current = this.live?.position;
    if (current === undefined)
      return this.events.comparePositions(position, this.events.origin) <= 0;
    return this.events.comparePositions(current, position) >= 0;
  }

  /** After an append: a pass now, or at the end of the interval that follows the last one. */
  private follow(): void {
    if (this.stopped || this.followTimer) return;
    const wait = this.lastPassAt + this.followIntervalMs - Date.now();
    if (wait <= 0) {
      void this.wake();
      return;
    }
    this.followTimer = setTimeout(() => void this.wake(), wait);
  }

  /** Runs catch-up now, or once more after the pass under way: passes never overlap. */
  private wake(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    clearTimeout(this.followTimer);
    this.followTimer = undefined;
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.lastPassAt = Date.now();
    this.running = this.catchUp().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        // A reader is waiting: no reason to wait for the interval.
        if (this.waiters.length > 0) void this.wake();
        else this.follow();
      }
    });
    return this.running;
  }

  private async catchUp(): Promise<void> {
    try {
      if (!this.live) {
        // The first build is under way, and swaps itself in at the head.
        if (this.rebuildRun) return;
        // It failed: catch up one batch at a time, serving what is applied.
        const created = await this.emptyGeneration();
        this.live = this.writer(created.generation, created.position);
      }
      while (!this.stopped && this.live && (await this.live.step())) {
        this.release();
        await nextTurn();
      }
      this.release();
      if (this.state !== 'rebuilding') this.state = 'live';
      this.lastError = undefined;
    } catch (error) {
      this.live?.reset();
      if (await this.followReplacement()) {
        this.again = true;
        return;
      }
      this.fail(error);
    }
  }

  /**
   * Another process (`ledger rebuild`, a projector) swapped in a generation
   * of its own, dropping the one this runner wrote: serve that one from its
   * checkpoint rather than fail on the dropped one at every retry.
   */
  private async followReplacement(): Promise<boolean> {
    const live = this.live;
    if (!live || this.stopped) return false;
    let active: GenerationInfo | undefined;
    try {
      ({ active } = await this.readStore.registration(this.name));
    } catch {
      return false;
    }
    if (!active || active.generation === live.generation) return false;
    if (active.projectionVersion !== this.projection.version) return false;
    this.live = this.writer(active.generation, active.position);
    this.rebuiltFromLogAsItStands = false;
    return true;
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
      this.rebuild = this.writer(created.generation, undefined, true);
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
      await this.readStore.activateGeneration(this.name, built.generation, this.hold);
      built.building = false;
      this.live = built;
      this.rebuiltFromLogAsItStands = true;
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
