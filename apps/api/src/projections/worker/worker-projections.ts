import { Logger } from '@nestjs/common';
import type { EventStore } from '@ledger/event-store';
import type { ProjectionReport } from '@ledger/projections';
import type { ProjectionName, ReadStore } from '@ledger/read-store';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import {
  ReadModelProjections,
  type MetricsSnapshot,
  type RebuildRequest,
} from '../read-model-projections';
import { checkpointReaches, reportsFromReadStore } from '../read-store-checkpoints';
import { forkProjectionWorker, WORKER_ENTRY } from './fork-worker';
import type { FromWorker, ToWorker, WorkerRequest } from './worker-messages';

const FIRST_RESTART_DELAY_MS = 200;
const LONGEST_RESTART_DELAY_MS = 10_000;
/** A worker that lived this long is taken as healthy: the next restart is quick again. */
const HEALTHY_AFTER_MS = 30_000;
const STOP_TIMEOUT_MS = 15_000;
/** How long an answer may take beyond the wait asked for. */
const ANSWER_TIMEOUT_MS = 2_000;

/** A request before it is numbered. */
type Unnumbered<R> = R extends unknown ? Omit<R, 'id'> : never;
type Question = Unnumbered<WorkerRequest>;

interface Pending {
  /** Settles the question with the worker's answer. */
  answer(result: unknown): void;
  /** Settles it without the worker: it is gone. */
  orphaned(): void;
}

/**
 * Runs the projections in a worker process (PROJECTIONS=worker), off the
 * request thread: started with this process's environment, so with the same
 * stores, told of every append so it follows the log at once, and started
 * again (after a short, growing pause) whenever it dies. While it is down,
 * commands go on; reads answer from the read models as they stand, and
 * `?after=` waits on the checkpoints the read store keeps.
 */
export class WorkerProjections extends ReadModelProjections {
  private readonly logger = new Logger('Projections');
  private worker: ChildProcess | undefined;
  private ready = false;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private stopping = false;
  private restartDelayMs = FIRST_RESTART_DELAY_MS;
  private restartTimer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private nudgeQueued = false;
  private startWaiter: { resolve: () => void; reject: (error: Error) => void } | undefined;

  constructor(
    private readonly events: EventStore,
    private readonly readStore: ReadStore,
    private readonly entry = WORKER_ENTRY,
    /** A worker forked before this process loaded its modules (forkProjectionWorker): the first one. */
    private forkedEarly?: ChildProcess,
  ) {
    super();
  }

  async start(): Promise<void> {
    if (!existsSync(this.entry)) {
      throw new Error(`PROJECTIONS=worker runs ${this.entry}, which is not built (npm run build)`);
    }
    this.unsubscribe = this.events.onAppended(() => this.nudge());
    const ready = new Promise<void>((resolve, reject) => (this.startWaiter = { resolve, reject }));
    this.spawn();
    await ready;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    this.unsubscribe?.();
    const worker = this.worker;
    if (!worker || worker.exitCode !== null || worker.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    this.tell({ method: 'stop' });
    const timer = setTimeout(() => worker.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }

  async report(): Promise<ProjectionReport[]> {
    const answered = await this.ask({ method: 'report' });
    return (
      (answered as ProjectionReport[] | undefined) ??
      reportsFromReadStore(this.readStore, 'starting')
    );
  }

  async waitFor(name: ProjectionName, position: string, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    const answered = await this.ask(
      { method: 'waitFor', name, position, timeoutMs },
      timeoutMs + ANSWER_TIMEOUT_MS,
    );
    if (typeof answered === 'boolean') return answered;
    return checkpointReaches(this.events, this.readStore, name, position, deadline);
  }

  async startRebuild(name: ProjectionName): Promise<RebuildRequest> {
    const answered = await this.ask({ method: 'startRebuild', name });
    return (answered as RebuildRequest | undefined) ?? 'unavailable';
  }

  /** The worker's metrics; none while it is down (its counts since its start are lost with it). */
  async metricsElsewhere(): Promise<MetricsSnapshot> {
    return ((await this.ask({ method: 'metrics' })) as MetricsSnapshot | undefined) ?? [];
  }

  private spawn(): void {
    const startedAt = Date.now();
    const worker = this.forkedEarly ?? forkProjectionWorker(this.entry);
    this.forkedEarly = undefined;
    this.worker = worker;
    worker.on('message', (message: FromWorker) => this.receive(message));
    let gone = false;
    // An error sending to a worker that just died: its exit follows and says so.
    // One that never started (no pid) has no exit to follow.
    worker.on('error', () => {
      if (worker.pid === undefined) onExit(worker.exitCode, null);
    });
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      if (gone) return;
      gone = true;
      this.worker = undefined;
      this.ready = false;
      for (const pending of this.pending.values()) pending.orphaned();
      this.pending.clear();
      if (this.startWaiter) {
        // The first one never caught up: another would most likely fail the same way.
        this.startWaiter.reject(
          new Error(
            `The projection worker exited (${signal ?? `exit code ${code}`}) before it caught up with the log`,
          ),
        );
        this.startWaiter = undefined;
        this.unsubscribe?.();
        return;
      }
      if (this.stopping) return;
      if (Date.now() - startedAt >= HEALTHY_AFTER_MS) this.restartDelayMs = FIRST_RESTART_DELAY_MS;
      this.logger.error(
        `The projection worker ${worker.pid} stopped (${signal ?? `exit code ${code}`}); starting another in ${this.restartDelayMs} ms`,
      );
      this.restartTimer = setTimeout(() => this.spawn(), this.restartDelayMs);
      this.restartDelayMs = Math.min(this.restartDelayMs * 2, LONGEST_RESTART_DELAY_MS);
    };
    // One forked early may have died before it was taken up.
    if (worker.exitCode !== null || worker.signalCode !== null) {
      return void setImmediate(() => onExit(worker.exitCode, worker.signalCode));
    }
    worker.once('exit', onExit);
    // It opens the stores once told: this process's are open by now.
    this.tell({ method: 'start' });
  }

  private receive(message: FromWorker): void {
    if (message.kind === 'ready') {
      this.ready = true;
      this.logger.log(`The projection worker ${this.worker?.pid} has caught up with the log`);
      this.startWaiter?.resolve();
      this.startWaiter = undefined;
      return;
    }
    const pending = this.pending.get(message.id);
    if (message.error !== undefined) {
      this.logger.error(`The projection worker could not answer: ${message.error}`);
      pending?.orphaned();
    } else {
      pending?.answer(message.result);
    }
  }

  /**
   * The worker's answer; undefined when it is not there to answer, fails, or
   * has not answered within `timeoutMs` (stopped, or stuck): the caller then
   * answers from the read store, so no request waits on a worker for ever.
   */
  private ask(question: Question, timeoutMs = ANSWER_TIMEOUT_MS): Promise<unknown> {
    if (!this.ready) return Promise.resolve(undefined);
    const id = this.nextId++;
    return new Promise((resolve) => {
      const settle = (result: unknown) => {
        clearTimeout(timer);
        this.pending.delete(id);
        resolve(result);
      };
      const timer = setTimeout(() => settle(undefined), timeoutMs);
      this.pending.set(id, { answer: settle, orphaned: () => settle(undefined) });
      this.tell({ ...question, id });
    });
  }

  /** Sends `message`; `done` once it is handed over, or at once when there is nobody to send to. */
  private tell(message: ToWorker, done?: () => void): void {
    const worker = this.worker;
    if (!worker?.connected) return done?.();
    worker.send(message, (error) => {
      if (error && 'id' in message) this.pending.get(message.id)?.orphaned();
      done?.();
    });
  }

  /**
   * One message for any number of appends: none is sent while the last one is
   * still on its way, so a worker that stops reading is not sent a backlog.
   */
  private nudge(): void {
    if (this.nudgeQueued || !this.ready) return;
    this.nudgeQueued = true;
    setImmediate(() => this.tell({ method: 'appended' }, () => (this.nudgeQueued = false)));
  }
}
