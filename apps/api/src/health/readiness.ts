import { Inject, Injectable } from '@nestjs/common';
import {
  HealthIndicatorService,
  type HealthIndicatorFunction,
  type HealthIndicatorResult,
} from '@nestjs/terminus';
import { EVENT_STORE, type EventStore } from '@ledger/event-store';
import { PROJECTION_NAMES, READ_STORE, type ReadStore } from '@ledger/read-store';
import { APP_CONFIG, withTimeout, type AppConfig } from '@ledger/runtime';
import { ReadModelPositions, type ReadModelLag } from '../projections/read-model-positions';

/** A store that has not answered by then counts as down: a probe must not hang. */
const STORE_TIMEOUT_MS = 2_000;

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** One result holding each read model's. */
function allOf(results: HealthIndicatorResult[]): HealthIndicatorResult {
  return results.reduce((all, result) => ({ ...all, ...result }), {});
}

/**
 * What makes the API ready to serve: both stores answer, and every read model
 * is within READY_MAX_LAG_S of the log's head, in event time. A read model
 * counted more than 10 000 events behind is not ready either, whatever the
 * times say: how far behind it is was not measured to the end.
 */
@Injectable()
export class Readiness {
  private readonly maxLagSeconds: number;

  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly positions: ReadModelPositions,
    private readonly health: HealthIndicatorService,
  ) {
    this.maxLagSeconds = config.operations.readyMaxLagSeconds;
  }

  get indicators(): HealthIndicatorFunction[] {
    return [
      () => this.answers('log', () => this.events.headPosition()),
      () => this.answers('readStore', () => this.readStore.registration(PROJECTION_NAMES[0])),
      () => this.readModels(),
    ];
  }

  private async answers(key: string, ask: () => Promise<unknown>): Promise<HealthIndicatorResult> {
    const check = this.health.check(key);
    try {
      await withTimeout(ask(), STORE_TIMEOUT_MS);
      return check.up();
    } catch (error) {
      return check.down({ message: `does not answer: ${reason(error)}` });
    }
  }

  private async readModels(): Promise<HealthIndicatorResult> {
    let lags: ReadModelLag[];
    try {
      lags = await withTimeout(this.positions.lags(), STORE_TIMEOUT_MS);
    } catch (error) {
      const message = `not measured: ${reason(error)}`;
      return allOf(PROJECTION_NAMES.map((name) => this.health.check(name).down({ message })));
    }
    return allOf(
      lags.map(({ name, position, status, lag }) => {
        const check = this.health.check(name);
        const data = {
          position,
          projection: status,
          lagEvents: lag.events,
          ...(lag.beyondCount && { lagEventsAtLeast: true }),
          lagSeconds: lag.seconds,
        };
        if (lag.beyondCount) {
          return check.down({ ...data, message: `more than ${lag.events} events behind the log` });
        }
        if (lag.seconds > this.maxLagSeconds) {
          return check.down({
            ...data,
            message: `${lag.seconds} s behind the log's head (READY_MAX_LAG_S=${this.maxLagSeconds})`,
          });
        }
        return check.up(data);
      }),
    );
  }
}
