import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AUTOMATION_ACTOR, isKeyActive, type ApiKey } from '@ledger/domain';
import { APP_CONFIG, syncFolder, writeSecretFile, type AppConfig } from '@ledger/runtime';
import { randomUUID } from 'node:crypto';
import { existsSync, lstatSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { VersionMismatchError } from '../commands/command-errors';
import type { CommandContext } from '../tickets/command-context';
import { ApiKeyRegistry } from './api-key-registry';
import { ApiKeys } from './api-keys';
import { hashSecret, newApiKeySecret } from './key-secrets';

export const ADMIN_KEY_FILE = 'admin.key';

function firstStartContext(): CommandContext {
  return {
    actor: AUTOMATION_ACTOR,
    actorRoles: [],
    automation: 'first-start',
    correlationId: randomUUID(),
    commandId: randomUUID(),
    // Another process starting on the same empty store may issue the first key: then this one does not.
    expectedVersion: 0,
  };
}

/**
 * A store without keys gets ADMIN_KEY, or a generated key printed once and
 * left in DATA_DIR/admin.key (mode 0600) for the operator to take.
 */
@Injectable()
export class FirstAdminKey implements OnApplicationBootstrap {
  private readonly logger = new Logger('Access');

  constructor(
    private readonly keys: ApiKeys,
    private readonly registry: ApiKeyRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private get file(): string {
    return join(this.config.dataDir, ADMIN_KEY_FILE);
  }

  async onApplicationBootstrap(): Promise<void> {
    const existing = await this.registry.keys();
    if (existing.length > 0) {
      if (this.config.auth.adminKey !== undefined) {
        this.logger.log('ADMIN_KEY is not used: the store has keys already');
      }
      this.warnIfFileIsRevoked(existing);
      return;
    }
    const given = this.config.auth.adminKey;
    if (given !== undefined) {
      if (await this.issue(given, 'ADMIN_KEY')) this.logger.log('ADMIN_KEY is the first admin key');
      return;
    }
    if (existsSync(this.file) && !lstatSync(this.file).isFile()) {
      throw new Error(`${this.file} is not a file: the first admin key cannot be left there`);
    }
    const secret = newApiKeySecret();
    const pending = `${this.file}.${process.pid}.pending`;
    // Written and synced before the key is issued, so an issued key is never one nobody holds.
    writeSecretFile(pending, secret);
    let issued = false;
    try {
      issued = await this.issue(secret, 'first admin key');
    } finally {
      if (!issued) rmSync(pending, { force: true });
    }
    if (!issued) return;
    let kept = this.file;
    try {
      renameSync(pending, this.file);
    } catch (error) {
      // Issued and written down already: the key stays where it was written.
      kept = pending;
      this.logger.error(`Could not move the first admin key to ${this.file}: ${String(error)}`);
    }
    // A rename lives in the folder's entries: unsynced, a power cut may undo it.
    syncFolder(this.config.dataDir);
    console.log(
      `The first admin key, shown this once (also in ${kept}, readable by you only):\n  ${secret}`,
    );
  }

  /** Whether this process issued the key: false when another got there first. */
  private async issue(secret: string, name: string): Promise<boolean> {
    try {
      await this.keys.issue({ name, roles: ['admin'] }, firstStartContext(), secret);
      return true;
    } catch (error) {
      if (error instanceof VersionMismatchError) return false;
      throw error;
    }
  }

  private warnIfFileIsRevoked(keys: readonly ApiKey[]): void {
    let held: string;
    try {
      held = readFileSync(this.file, 'utf8').trim();
    } catch {
      return;
    }
    const key = keys.find((candidate) => candidate.secretHash === hashSecret(held));
    if (key && !isKeyActive(key)) {
      this.logger.warn(`${this.file} holds key ${key.keyId}, which is revoked`);
    }
  }
}
