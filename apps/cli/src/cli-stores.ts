import { existsSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { databaseFile, loadConfig, openStores, type AppConfig, type Stores } from '@ledger/runtime';
import type { CommandContext } from '../../api/src/tickets/command-context';
import { CliError } from './cli-error';

export interface OpenStoresOptions {
  /**
   * Refuse a DATA_DIR without a store rather than create an empty one there:
   * for the commands that read or repair a store, where an empty one means a
   * wrong DATA_DIR.
   */
  existing?: boolean;
}

/** The configuration of the API, from the same environment variables. */
export function cliConfig(): AppConfig {
  return loadConfig(process.env);
}

/**
 * Runs `work` on the configured stores, opened as the API opens them (so
 * whatever `openStores` adds, the command line sees as the API does), and
 * closes them after.
 */
export async function withStores<T>(
  options: OpenStoresOptions,
  work: (stores: Stores, config: AppConfig) => Promise<T>,
): Promise<T> {
  const config = cliConfig();
  const embedded = config.eventStore === 'sqlite' || config.readStore === 'sqlite';
  if (options.existing && embedded && !existsSync(databaseFile(config))) {
    throw new CliError(
      `DATA_DIR=${config.dataDir} holds no store (no ${databaseFile(config)}): point DATA_DIR at the API's`,
    );
  }
  const stores = await openStores(config);
  try {
    return await work(stores, config);
  } finally {
    await stores.events.close().catch(() => undefined);
    await stores.readStore.close().catch(() => undefined);
  }
}

function operatorName(): string {
  try {
    return userInfo().username || 'operator';
  } catch {
    return 'operator';
  }
}

/**
 * Who a command sent from the command line is recorded as: the operator's
 * login, as an admin (whoever can run it can read and write the stores).
 */
export function operatorContext(): CommandContext {
  return {
    actor: `cli:${operatorName()}`,
    actorRoles: ['admin'],
    correlationId: randomUUID(),
    commandId: randomUUID(),
  };
}
