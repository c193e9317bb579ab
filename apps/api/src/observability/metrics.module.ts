import { Module } from '@nestjs/common';
import { ReadModelsModule } from '../read-models/read-models.module';
import { MetricsController } from './metrics.controller';

/** `GET /metrics`: the process's metrics (from ObservabilityModule) and the read models' lag. */
@Module({
  imports: [ReadModelsModule],
  controllers: [MetricsController],
})
export class MetricsModule {}
