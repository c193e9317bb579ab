import { Module } from '@nestjs/common';
import { ReadModelsModule } from '../read-models/read-models.module';
import { ProjectionsController } from './projections.controller';

/** The read models' state, and their rebuilds on demand. */
@Module({
  imports: [ReadModelsModule],
  controllers: [ProjectionsController],
})
export class ProjectionsAdminModule {}
