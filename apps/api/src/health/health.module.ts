import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { ReadModelsModule } from '../read-models/read-models.module';
import { HealthController } from './health.controller';
import { Readiness } from './readiness';

/** Liveness and readiness: the stores reached, the read models caught up. */
@Module({
  imports: [
    ReadModelsModule,
    // Its own error log would repeat each failed probe: the answer names what is down.
    TerminusModule.forRoot({ logger: false }),
  ],
  controllers: [HealthController],
  providers: [Readiness],
})
export class HealthModule {}
