import { Module } from '@nestjs/common';
import { ApiKeyRegistry } from './api-key-registry';
import { ApiKeys } from './api-keys';
import { ApiKeysController } from './api-keys.controller';
import { APP_CONFIG, type AppConfig } from '@ledger/runtime';
import { Authenticator, TOKEN_VERIFIER } from './authenticator';
import { FirstAdminKey } from './first-admin-key';
import { OidcTokenVerifier } from './oidc';

/** Who is calling: API keys, identity providers' tokens, and what each role may do. */
@Module({
  controllers: [ApiKeysController],
  providers: [
    ApiKeyRegistry,
    Authenticator,
    ApiKeys,
    FirstAdminKey,
    {
      provide: TOKEN_VERIFIER,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        config.auth.oidc ? new OidcTokenVerifier(config.auth.oidc) : undefined,
    },
  ],
  exports: [Authenticator],
})
export class IdentityModule {}
