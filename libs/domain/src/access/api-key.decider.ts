import { DomainError, InvalidInputError, NotFoundError } from '../domain-errors';
import { assertNever } from '../ticket.events';
import type { AccessCommand, AccessEvent, ApiKeyGrant } from './api-key.events';
import { isReservedActor } from './roles';

export interface ApiKey extends ApiKeyGrant {
  issuedAt: string;
  revokedAt?: string;
}

/** Every key ever issued, by id, in the order they were issued. */
export interface AccessState {
  keys: Map<string, ApiKey>;
}

export type DatedAccessEvent = AccessEvent & { occurredAt: string };

export class ApiKeyNotFoundError extends NotFoundError {
  constructor() {
    super('KEY_NOT_FOUND', 'No key has this id');
  }
}

export function initialAccessState(): AccessState {
  return { keys: new Map() };
}

export function isKeyActive(key: ApiKey): boolean {
  return key.revokedAt === undefined;
}

export function evolveAccess(state: AccessState, event: DatedAccessEvent): AccessState {
  const keys = new Map(state.keys);
  switch (event.type) {
    case 'ApiKeyIssued':
      keys.set(event.data.keyId, { ...event.data, issuedAt: event.occurredAt });
      break;
    case 'ApiKeyRevoked': {
      const key = keys.get(event.data.keyId);
      if (key) keys.set(key.keyId, { ...key, revokedAt: event.occurredAt });
      break;
    }
    default:
      return assertNever(event);
  }
  return { keys };
}

function checkGrant(grant: ApiKeyGrant): void {
  const problems = [];
  if (grant.roles.length === 0) {
    problems.push({ field: 'roles', message: 'roles must name one role at least' });
  }
  if (grant.roles.includes('agent') && grant.agentId === undefined) {
    problems.push({ field: 'agentId', message: 'an agent key must name the agent it acts as' });
  }
  if (!grant.roles.includes('agent') && grant.agentId !== undefined) {
    problems.push({ field: 'agentId', message: 'agentId is for keys with the agent role' });
  }
  if (grant.agentId !== undefined && isReservedActor(grant.agentId)) {
    problems.push({
      field: 'agentId',
      message: 'agentId names an actor reserved for the automation or for API keys',
    });
  }
  if (problems.length > 0) throw new InvalidInputError(problems);
}

/**
 * Keys are never edited: a key's roles change by issuing a new key and
 * revoking the old. The last active admin key cannot be revoked, so the API
 * always keeps someone who can issue keys.
 */
export function decideAccess(command: AccessCommand, state: AccessState): AccessEvent[] {
  switch (command.type) {
    case 'IssueApiKey': {
      checkGrant(command.data);
      if (state.keys.has(command.data.keyId)) {
        throw new DomainError('KEY_ALREADY_EXISTS', `A key with id ${command.data.keyId} exists`);
      }
      return [{ type: 'ApiKeyIssued', data: { ...command.data } }];
    }
    case 'RevokeApiKey': {
      const key = state.keys.get(command.data.keyId);
      if (!key) throw new ApiKeyNotFoundError();
      if (!isKeyActive(key)) return [];
      const otherAdmins = [...state.keys.values()].filter(
        (other) => other.keyId !== key.keyId && isKeyActive(other) && other.roles.includes('admin'),
      );
      if (key.roles.includes('admin') && otherAdmins.length === 0) {
        throw new DomainError(
          'LAST_ADMIN_KEY',
          'This is the last active admin key: issue another admin key before revoking it',
        );
      }
      return [{ type: 'ApiKeyRevoked', data: { keyId: key.keyId } }];
    }
    default:
      return assertNever(command);
  }
}
