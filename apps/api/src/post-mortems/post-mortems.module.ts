import { Module } from '@nestjs/common';
import { ReadModelsModule } from '../read-models/read-models.module';
import { PostMortemCommands } from './post-mortem-commands';
import { PostMortemsController } from './post-mortems.controller';

/** Post-mortems of escalated tickets, their actions, and the lists of those required. */
@Module({
  imports: [ReadModelsModule],
  controllers: [PostMortemsController],
  providers: [PostMortemCommands],
})
export class PostMortemsModule {}
