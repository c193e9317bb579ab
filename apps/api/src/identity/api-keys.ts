import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import {
  ACCESS_STREAM,
  AUTOMATION_ACTOR,
  decideAccess,
  evolveAccess,
  initialAccessState,
  type AccessCommand,
  type AccessEvent,
  type AccessState,
  type ApiKey,
  type Role,
} from '@ledger/domain';
import { APP_CONFIG, type AppConfig } from '@ledger/runtime';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VersionMismatchError } from '../commands/command-errors';
import { CommandPath } from '../commands/command-path';
import type { StreamKind } from '../commands/stream-kind';
import type { CommandContext } from '../tickets/command-context';
import { ApiKeyRegistry } from './api-key-registry';
import { hashSecret, newApiKeySecret, newKeyId } from './key-secrets';

const ACCESS_KIND: StreamKind<AccessCommand, AccessEvent, AccessState> = {
  decider: { initialState: initialAccessState, evolve: evolveAccess, decide: decideAccess },
};

export const ADMIN_KEY_FILE = 'admin.key';

export interface KeyRequest {
  name: string;
  roles: Role[];
  agentId?: string;
}

/** Issuing and revoking keys, and the first admin key of a store that has none. */
@Injectable()
export class ApiKeys implements OnApplicationBootstrap {
  private readonly logger = new Logger('Access');

  constructor(
    private readonly commands: CommandPath,
    private readonly registry: ApiKeyRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async issue(
    request: KeyRequest,
    context: CommandContext,
    secret = newApiKeySecret(),
  ): Promise<{ key: ApiKey; secret: string }> {
    const keyId = newKeyId();
    const { state } = await this.commands.execute(
      ACCESS_KIND,
      ACCESS_STREAM,
      { type: 'IssueApiKey', data: { keyId, ...request, secretHash: hashSecret(secret) } },
      context,
    );
    return { key: state.keys.get(keyId)!, secret };
  }

  async revoke(keyId: string, context: CommandContext): Promise<ApiKey> {
    const { state } = await this.commands.execute(
      ACCESS_KIND,
      ACCESS_STREAM,
      { type: 'RevokeApiKey', data: { keyId } },
      context,
    );
    return state.keys.get(keyId)!;
  }

  list(): Promise<ApiKey[]> {
    return this.registry.keys();
  }

  /**
   * A store without keys gets ADMIN_KEY, or a generated key printed once and
   * left in DATA_DIR/admin.key (mode 0600) for the operator to take.
   */
  async onApplicationBootstrap(): Promise<void> {
    if ((await this.registry.keys()).length > 0) {
      if (this.config.auth.adminKey !== undefined) {
        this.logger.log('ADMIN_KEY is not used: the store has keys already');
      }
      return;
    }
    const given = this.config.auth.adminKey;
    const context: CommandContext = {
      actor: AUTOMATION_ACTOR,
      actorRoles: [],
      automation: 'first-start',
      correlationId: randomUUID(),
      commandId: randomUUID(),
      // Another process starting on the same empty store may issue the first key: then this one does not.
      expectedVersion: 0,
    };
    let secret: string;
    try {
      ({ secret } = await this.issue(
        { name: given ? 'ADMIN_KEY' : 'first admin key', roles: ['admin'] },
        context,
        given,
      ));
    } catch (error) {
      if (error instanceof VersionMismatchError) return;
      throw error;
    }
    if (given) {
      this.logger.log('ADMIN_KEY is the first admin key');
      return;
    }
    const file = join(this.config.dataDir, ADMIN_KEY_FILE);
    writeFileSync(file, `${secret}\n`, { mode: 0o600 });
    console.log(
      `The first admin key, shown this once (also in ${file}, readable by you only):\n  ${secret}`,
    );
  }
}
