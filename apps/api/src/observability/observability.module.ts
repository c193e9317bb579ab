import {
  Global,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
  type Provider,
} from '@nestjs/common';
import type { Tracer } from '@opentelemetry/api';
import { EVENT_STORE, type EventStore } from '@ledger/event-store';
import { BATCH_OBSERVER } from '@ledger/projections';
import { batchSpans } from '@ledger/runtime';
import type { Logger } from 'pino';
import { COMMAND_OBSERVER, observeAll } from '../commands/command-observer';
import { loggerModule } from './logging';
import { Metrics } from './metrics';
import { commandSpans } from './traces';

export interface ObservabilityOptions {
  /** Where log lines go; none are written without one. */
  logger?: Logger;
  /** Where spans go; none are made without one. */
  tracer?: Tracer;
  /** Sends the spans not sent yet, when the app closes. */
  stopTracing?: () => Promise<void> | undefined;
}

class TracingShutdown implements OnApplicationShutdown {
  constructor(private readonly stop?: () => Promise<void> | undefined) {}

  async onApplicationShutdown(): Promise<void> {
    await this.stop?.();
  }
}

/** The app's metrics, its logger, and the observers that feed metrics and traces. */
@Global()
@Module({})
export class ObservabilityModule {
  static forRoot({ logger, tracer, stopTracing }: ObservabilityOptions): DynamicModule {
    const traced: Provider[] = tracer
      ? [{ provide: BATCH_OBSERVER, useValue: batchSpans(tracer) }]
      : [];
    return {
      module: ObservabilityModule,
      imports: logger ? [loggerModule(logger)] : [],
      providers: [
        {
          provide: Metrics,
          inject: [EVENT_STORE],
          useFactory: (events: EventStore) => new Metrics(events),
        },
        {
          provide: COMMAND_OBSERVER,
          inject: [Metrics],
          // Spans outermost: a command's time in the metrics is then its own, not the span's bookkeeping.
          useFactory: (metrics: Metrics) =>
            observeAll([...(tracer ? [commandSpans(tracer)] : []), metrics.commandObserver]),
        },
        ...traced,
        { provide: TracingShutdown, useValue: new TracingShutdown(stopTracing) },
      ],
      exports: [Metrics, COMMAND_OBSERVER, ...(tracer ? [BATCH_OBSERVER] : [])],
    };
  }
}
