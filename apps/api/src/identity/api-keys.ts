import { Injectable } from '@nestjs/common';
import {
  ACCESS_STREAM,
  decideAccess,
  evolveAccess,
  initialAccessState,
  type AccessCommand,
  type AccessEvent,
  type AccessState,
  type ApiKey,
  type Role,
} from '@ledger/domain';
import { CommandPath } from '../commands/command-path';
import type { StreamKind } from '../commands/stream-kind';
import type { CommandContext } from '../tickets/command-context';
import { ApiKeyRegistry } from './api-key-registry';
import { hashSecret, newApiKeySecret, newKeyId } from './key-secrets';

const ACCESS_KIND: StreamKind<AccessCommand, AccessEvent, AccessState> = {
  decider: { initialState: initialAccessState, evolve: evolveAccess, decide: decideAccess },
};

export interface KeyRequest {
  name: string;
  roles: Role[];
  agentId?: string;
}

/** Issuing and revoking keys. */
@Injectable()
export class ApiKeys {
  constructor(
    private readonly commands: CommandPath,
    private readonly registry: ApiKeyRegistry,
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
}
