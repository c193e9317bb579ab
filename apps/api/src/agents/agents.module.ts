import { Module } from '@nestjs/common';
import { ReadModelsModule } from '../read-models/read-models.module';
import { AgentsController } from './agents.controller';

/** Agents: registering them, their availability, and the agents read model. */
@Module({
  imports: [ReadModelsModule],
  controllers: [AgentsController],
})
export class AgentsModule {}
