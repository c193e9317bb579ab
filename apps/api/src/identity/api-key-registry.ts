import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import {
  ACCESS_STREAM,
  evolveAccess,
  initialAccessState,
  isKeyActive,
  type AccessEvent,
  type AccessState,
  type ApiKey,
} from '@ledger/domain';
import { datedEvent, EVENT_STORE, type EventStore, type RecordedEvent } from '@ledger/event-store';
import { hashSecret } from './key-secrets';
import type { Principal } from './principal';

export function principalOfKey(key: ApiKey): Principal {
  return {
    id: `key:${key.keyId}`,
    actor: key.agentId ?? `key:${key.keyId}`,
    roles: [...key.roles],
    ...(key.agentId !== undefined && { agentId: key.agentId }),
    keyId: key.keyId,
  };
}

/**
 * The keys as the `access` stream says they are now. Every request looks for
 * the stream's new events first, so a key revoked by any process is refused at
 * the next request here. It reads them only when there may be some: when this
 * process appended to the stream, or another process (or connection) wrote to
 * the log since the last look, as the store's `foreignWritesMark` tells; a
 * store that cannot tell is read every time.
 */
@Injectable()
export class ApiKeyRegistry implements OnModuleDestroy {
  private state: AccessState = initialAccessState();
  private version = 0;
  private byHash = new Map<string, ApiKey>();
  private running: Promise<void> | undefined;
  private queued: Promise<void> | undefined;
  /** Whether this process appended to the stream (or the store found appends of others) since the last read. */
  private stale = true;
  /** The store's foreign-writes mark at the last read. */
  private mark: number | undefined;
  private unsubscribe: (() => void) | undefined;
  /** Whether this process's appends to the stream are heard (between the first look and the destroy). */
  private listening = true;

  constructor(@Inject(EVENT_STORE) private readonly events: EventStore) {}

  onModuleDestroy(): void {
    // Requests are still served while the application closes: from now on
    // this process's own appends go unheard, so every look reads.
    this.unsubscribe?.();
    this.listening = false;
  }

  /** Resolves once a read that began after this call has been applied. */
  refresh(): Promise<void> {
    if (!this.running) {
      this.running = this.read().finally(() => (this.running = undefined));
      return this.running;
    }
    // Whatever became of the running read, the waiting requests get a read of their own.
    this.queued ??= this.running
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        return this.refresh();
      });
    return this.queued;
  }

  async principalFor(secret: string): Promise<Principal | undefined> {
    await this.refresh();
    // Looked up by its hash: the lookup's timing tells nothing about any secret.
    const key = this.byHash.get(hashSecret(secret));
    if (!key || !isKeyActive(key)) return undefined;
    return principalOfKey(key);
  }

  async isActive(keyId: string): Promise<boolean> {
    await this.refresh();
    const key = this.state.keys.get(keyId);
    return key !== undefined && isKeyActive(key);
  }

  async keys(): Promise<ApiKey[]> {
    await this.refresh();
    return [...this.state.keys.values()];
  }

  private async read(): Promise<void> {
    // Taken before the read: whatever is written after it moves it again.
    const mark = this.events.foreignWritesMark?.();
    // Without a mark every look reads, and hearing this process's appends would change nothing.
    if (this.listening && mark !== undefined) {
      this.unsubscribe ??= this.events.onAppended((streams) => {
        if (streams === undefined || streams.includes(ACCESS_STREAM)) this.stale = true;
      });
    }
    if (this.listening && !this.stale && mark !== undefined && mark === this.mark) return;
    this.stale = false;
    try {
      const recorded = await this.events.readStream(ACCESS_STREAM, { after: this.version });
      if (recorded.length > 0) this.apply(recorded);
      // Only once applied: a read or a fold that failed is done again at the next look.
      this.mark = mark;
    } catch (error) {
      this.stale = true;
      throw error;
    }
  }

  private apply(recorded: RecordedEvent[]): void {
    let state = this.state;
    for (const event of recorded) state = evolveAccess(state, datedEvent<AccessEvent>(event));
    this.state = state;
    this.version = recorded[recorded.length - 1]!.version;
    this.byHash = new Map([...state.keys.values()].map((key) => [key.secretHash, key]));
  }
}
