import { Module } from '@nestjs/common';
import { AlertsController } from '../alerts/alerts.controller';
import { KpisController } from '../kpis/kpis.controller';
import { ReadModelPositions } from '../projections/read-model-positions';
import { queueCursorsProvider } from '../queues/queue-cursors.provider';
import { QueuesController } from '../queues/queues.controller';
import { ReviewsController } from '../reviews/reviews.controller';
import { WorkloadsController } from '../workloads/workloads.controller';
import { ReadYourWrites } from './read-your-writes';

/**
 * The reads of the read models that belong to no other feature — queues,
 * workloads, KPIs, alerts, the quarterly review — and what every read of a
 * read model shares: waiting for a position (read-your-writes) and knowing
 * how far each read model has got.
 */
@Module({
  controllers: [
    QueuesController,
    WorkloadsController,
    KpisController,
    AlertsController,
    ReviewsController,
  ],
  providers: [ReadYourWrites, ReadModelPositions, queueCursorsProvider],
  exports: [ReadYourWrites, ReadModelPositions],
})
export class ReadModelsModule {}
