import type { Command } from 'commander';
import { ROLES } from '@ledger/domain';
import type { EventStore } from '@ledger/event-store';
import type { AppConfig } from '@ledger/runtime';
import { CommandPath } from '../../../api/src/commands/command-path';
import { ApiKeyRegistry } from '../../../api/src/identity/api-key-registry';
import { KEY_ID } from '../../../api/src/identity/api-key.dto';
import { describeKey, IssueApiKeyDto } from '../../../api/src/identity/api-key.dto';
import { ApiKeys } from '../../../api/src/identity/api-keys';
import { systemClock } from '../../../api/src/storage/clock';
import { checkedAsRequest } from '../api-input';
import { UsageError } from '../cli-error';
import { operatorContext, withStores } from '../cli-stores';
import { print, table } from '../options';

/** The keys API's own code (`ApiKeys`, the access decider) on the configured log. */
function apiKeys(events: EventStore, config: AppConfig): ApiKeys {
  return new ApiKeys(new CommandPath(events, systemClock, config), new ApiKeyRegistry(events));
}

/** Every `--role` given, in order. */
function roles(text: string, previous: string[] = []): string[] {
  return [...previous, text];
}

interface CreateOptions {
  role: string[];
  name?: string;
  agentId?: string;
  json?: boolean;
}

export function registerKeys(program: Command): void {
  const keys = program.command('keys').description('API keys: create, list, revoke');

  keys
    .command('create')
    .description('issues a key; its secret is printed this once, and kept nowhere')
    .requiredOption('--role <role>', `a role (repeat for several): ${ROLES.join(', ')}`, roles)
    .option('--name <name>', 'what the key is for')
    .option('--agent-id <agentId>', 'the agent an agent key acts as')
    .option('--json', 'as JSON, as POST /v1/keys answers')
    .action(async (options: CreateOptions) => {
      // What POST /v1/keys would be sent, checked by its DTO.
      const request = await checkedAsRequest(IssueApiKeyDto, 'body', {
        roles: options.role,
        name: options.name ?? `${options.role.join(', ')} key from the command line`,
        agentId: options.agentId,
      });
      const issued = await withStores({}, async ({ events }, config) =>
        apiKeys(events, config).issue(
          {
            name: request.name,
            roles: [...new Set(request.roles)],
            ...(request.agentId !== undefined && { agentId: request.agentId }),
          },
          operatorContext(),
        ),
      );
      const described = describeKey(issued.key);
      if (options.json) {
        return print(`${JSON.stringify({ ...described, key: issued.secret }, null, 2)}\n`);
      }
      await print(
        `${table([
          ['keyId', described.keyId],
          ['name', described.name],
          ['roles', described.roles.join(', ')],
          ...(described.agentId !== undefined ? [['agentId', described.agentId]] : []),
          ['createdAt', described.createdAt],
          ['secret', issued.secret],
        ])}\nThe secret is shown this once: the log keeps only its hash.\n`,
      );
    });

  keys
    .command('list')
    .description('every key issued, revoked ones included; never a secret')
    .option('--json', 'as JSON, as GET /v1/keys answers')
    .action(async (options: { json?: boolean }) => {
      const all = await withStores({ existing: true }, ({ events }, config) =>
        apiKeys(events, config).list(),
      );
      const described = all.map(describeKey);
      if (options.json) return print(`${JSON.stringify({ keys: described }, null, 2)}\n`);
      if (described.length === 0)
        return print('No keys: the API issues the first when it starts.\n');
      const rows = [
        ['keyId', 'roles', 'agentId', 'createdAt', 'revokedAt', 'name'],
        ...described.map((key) => [
          key.keyId,
          key.roles.join(','),
          key.agentId ?? '-',
          key.createdAt,
          key.revokedAt ?? '-',
          key.name,
        ]),
      ];
      await print(`${table(rows)}\n`);
    });

  keys
    .command('revoke')
    .description('revokes a key: every API process refuses it from its next request on')
    .argument('<keyId>', 'the key, as `keys list` shows it')
    .action(async (keyId: string) => {
      if (!KEY_ID.test(keyId)) throw new UsageError(`${keyId} is not a key id`);
      const key = await withStores({ existing: true }, ({ events }, config) =>
        apiKeys(events, config).revoke(keyId, operatorContext()),
      );
      await print(`Revoked ${key.keyId} (${key.name}) at ${key.revokedAt}\n`);
    });
}
