import { Global, Module } from '@nestjs/common';
import { IdempotentCommands } from '../idempotency/idempotent-commands';
import { CommandPath } from './command-path';

/** The one path every command takes, whichever stream it is for, and its Idempotency-Key answers. */
@Global()
@Module({
  providers: [CommandPath, IdempotentCommands],
  exports: [CommandPath, IdempotentCommands],
})
export class CommandsModule {}
