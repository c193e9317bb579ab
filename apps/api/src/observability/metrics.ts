import {
  ConcurrencyConflictError,
  ForwardingEventStore,
  SqliteEventStore,
  type EventStore,
} from '@ledger/event-store';
import {
  AggregatorRegistry,
  collectDefaultMetrics,
  Counter,
  Gauge,
  Histogram,
  Registry,
} from 'prom-client';
import type { MetricsSnapshot } from '../projections/read-model-projections';
import { refusalCode, type CommandObserver } from '../commands/command-observer';
import type { ReadModelLag } from '../projections/read-model-positions';
import type { CommandContext } from '../tickets/command-context';

/** Every status a read model can report: the daemon's, or `external` when projectors write it. */
const READ_MODEL_STATUSES = [
  'starting',
  'catching-up',
  'live',
  'rebuilding',
  'failed',
  'external',
] as const;

const SLA_MARKS: Record<string, string> = { SlaWarning: 'warning', SlaBreached: 'breach' };

/** The route label of a request no route matched: its path could be anything. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * The log's positions are opaque strings; both stores' begin with a number
 * that grows with the log (SQLite's row, EventStoreDB's commit position),
 * which is what a gauge can show.
 */
function positionNumber(position: string | null): number | undefined {
  const leading = position === null ? undefined : /^\d+/.exec(position)?.[0];
  return leading === undefined ? undefined : Number(leading);
}

/**
 * The API's metrics, in a registry of its own: tests run several apps in one
 * process, and each app's counters must start at zero.
 */
export class Metrics {
  /** The ledger's own metrics: what another process's may be added to. */
  readonly registry = new Registry();
  /** The process's (start time, heap, event-loop lag): this process's alone. */
  private readonly processRegistry = new Registry();

  private readonly requests = new Histogram({
    name: 'ledger_http_request_duration_seconds',
    help: 'HTTP requests by route template, method and status, with how long they took',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [this.registry],
  });
  private readonly commands = new Counter({
    name: 'ledger_commands_total',
    help: 'Commands by type and outcome (accepted, refused with a code, failed)',
    labelNames: ['command', 'outcome', 'code'] as const,
    registers: [this.registry],
  });
  private readonly commandDurations = new Histogram({
    name: 'ledger_command_duration_seconds',
    help: 'Time from a command reaching the command path to its answer, turns and retries included',
    labelNames: ['command'] as const,
    registers: [this.registry],
  });
  private readonly appends = new Counter({
    name: 'ledger_appends_total',
    help: 'Appends to the log by outcome: appended, conflict (retried on the new state), failed',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  private readonly appendSizes = new Histogram({
    name: 'ledger_append_events',
    help: 'Events per append',
    buckets: [1, 2, 3, 5, 8, 13, 21, 50, 100],
    registers: [this.registry],
  });
  private readonly appendDurations = new Histogram({
    name: 'ledger_append_duration_seconds',
    help: 'Time from an append to the log to its answer, durable',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [this.registry],
  });
  private readonly automationActions = new Counter({
    name: 'ledger_automation_actions_total',
    help: 'Commands of the SLA clock and the assigner by outcome: recorded (appended), unchanged, refused, failed',
    labelNames: ['automation', 'command', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly slaMarks = new Counter({
    name: 'ledger_sla_marks_total',
    help: 'SLA warnings and breaches recorded, by target',
    labelNames: ['mark', 'target'] as const,
    registers: [this.registry],
  });
  private readonly readModelPositions = new Gauge({
    name: 'ledger_read_model_position',
    help: "The log position each read model has applied (SQLite: the event's row; EventStoreDB: its commit position)",
    labelNames: ['read_model'] as const,
    registers: [this.registry],
  });
  private readonly readModelLagEvents = new Gauge({
    name: 'ledger_read_model_lag_events',
    help: 'Events in the log the read model has not applied, counted up to 10000',
    labelNames: ['read_model'] as const,
    registers: [this.registry],
  });
  private readonly readModelLagSeconds = new Gauge({
    name: 'ledger_read_model_lag_seconds',
    help: 'Event time from the oldest event the read model has not applied to the newest in the log',
    labelNames: ['read_model'] as const,
    registers: [this.registry],
  });
  private readonly readModelStatuses = new Gauge({
    name: 'ledger_read_model_status',
    help: '1 for the status each read model is in, 0 for the others',
    labelNames: ['read_model', 'status'] as const,
    registers: [this.registry],
  });
  /** The commands of the automation that appended, so their outcome can say so. */
  private readonly appendedFor = new WeakSet<CommandContext>();

  constructor(log: EventStore) {
    collectDefaultMetrics({ register: this.processRegistry });
    // Under the personal-data decorator: the transactions are the SQLite store's own.
    const events = ForwardingEventStore.innermost(log);
    if (events instanceof SqliteEventStore) {
      new Counter({
        name: 'ledger_log_commits_total',
        help: 'Write transactions of the SQLite log: appends that arrive together share one, and its fsync',
        registers: [this.registry],
        collect() {
          this.reset();
          this.inc(events.stats.transactions);
        },
      });
    }
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  request(route: string | undefined, method: string, status: number, seconds: number): void {
    this.requests.observe(
      { route: route ?? UNMATCHED_ROUTE, method, status: String(status) },
      seconds,
    );
  }

  readonly commandObserver: CommandObserver = {
    command: async (command, work) => {
      const started = performance.now();
      const automation = command.context.automation;
      let outcome = 'accepted';
      let code = '';
      try {
        return await work();
      } catch (error) {
        code = refusalCode(error) ?? '';
        outcome = code === '' ? 'failed' : 'refused';
        throw error;
      } finally {
        this.commands.inc({ command: command.type, outcome, code });
        this.commandDurations.observe(
          { command: command.type },
          (performance.now() - started) / 1000,
        );
        if (automation !== undefined) {
          const done =
            outcome !== 'accepted'
              ? outcome
              : this.appendedFor.has(command.context)
                ? 'recorded'
                : 'unchanged';
          this.automationActions.inc({ automation, command: command.type, outcome: done });
        }
      }
    },
    append: async (append, work) => {
      const started = performance.now();
      try {
        const result = await work();
        this.appends.inc({ outcome: 'appended' });
        this.appendSizes.observe(append.events.length);
        this.appendDurations.observe((performance.now() - started) / 1000);
        this.appendedFor.add(append.context);
        for (const event of append.events) {
          const mark = SLA_MARKS[event.type];
          if (mark) {
            const target = (event.data as { target?: string }).target ?? '';
            this.slaMarks.inc({ mark, target });
          }
        }
        return result;
      } catch (error) {
        this.appends.inc({
          outcome: error instanceof ConcurrencyConflictError ? 'conflict' : 'failed',
        });
        throw error;
      }
    },
  };

  /** Sets the read models' gauges; `undefined` when they could not be measured, which clears them. */
  readModels(lags: readonly ReadModelLag[] | undefined): void {
    for (const gauge of [
      this.readModelPositions,
      this.readModelLagEvents,
      this.readModelLagSeconds,
      this.readModelStatuses,
    ]) {
      gauge.reset();
    }
    for (const { name, position, status, lag } of lags ?? []) {
      const labels = { read_model: name };
      const number = positionNumber(position);
      if (number !== undefined) this.readModelPositions.set(labels, number);
      this.readModelLagEvents.set(labels, lag.events);
      this.readModelLagSeconds.set(labels, lag.seconds);
      for (const each of READ_MODEL_STATUSES) {
        this.readModelStatuses.set({ ...labels, status: each }, each === status ? 1 : 0);
      }
    }
  }

  /**
   * The ledger's own metrics, for another process to add to its own: not the
   * process's (start time, heap, event-loop lag), which are this process's
   * alone and which adding or averaging would falsify.
   */
  async ledgerMetrics(): Promise<MetricsSnapshot> {
    return this.registry.getMetricsAsJSON();
  }

  /**
   * This process's metrics, with `elsewhere` (another process's ledger
   * metrics) added to its ledger metrics; its process metrics as they are.
   */
  async render(elsewhere: MetricsSnapshot = []): Promise<string> {
    const ledger =
      elsewhere.length === 0
        ? this.registry
        : AggregatorRegistry.aggregate([await this.registry.getMetricsAsJSON(), elsewhere]);
    return `${[await ledger.metrics(), await this.processRegistry.metrics()].join('\n')}\n`;
  }
}
