import { Module } from '@nestjs/common';
import { StreamCommands } from '../streams/stream-commands';
import { ApiKeyRegistry } from './api-key-registry';
import { ApiKeys } from './api-keys';
import { ApiKeysController } from './api-keys.controller';
import { Authenticator } from './authenticator';

/** Who is calling: API keys, identity providers' tokens, and what each role may do. */
@Module({
  controllers: [ApiKeysController],
  providers: [ApiKeyRegistry, Authenticator, ApiKeys, StreamCommands],
  exports: [Authenticator],
})
export class IdentityModule {}
