import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@ledger/event-store';
import { READ_STORE, type LeaseStore } from '@ledger/read-store';
import { randomUUID } from 'node:crypto';

export const SEAL_LEASE = 'ledger-seals';
const SEAL_EVERY_MS = 60_000;
/** Longer than a round, so the holder keeps it from one round to the next. */
const LEASE_TTL_MS = 2 * SEAL_EVERY_MS;

/**
 * Seals the log every minute, for a store whose chain needs seals
 * (EventStoreDB: seals are what show a stream deleted whole). Every API
 * process runs one; the lease lets one of them seal, and the seals stream's
 * expected version stops a second writer even if two ever held it.
 */
@Injectable()
export class LedgerSealer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Audit');
  private readonly holder = `sealer-${randomUUID()}`;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private held = false;

  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly readStore: LeaseStore,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.events.chain.seal) return;
    this.timer = setInterval(() => {
      this.running = this.running.then(() => this.sealOnce());
    }, SEAL_EVERY_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
    if (this.held) await this.readStore.releaseLease(SEAL_LEASE, this.holder);
  }

  /** One round: seals what is new if this process holds the lease. Resolves with the seals written. */
  async sealOnce(): Promise<number> {
    const seal = this.events.chain.seal?.bind(this.events.chain);
    if (!seal) return 0;
    try {
      this.held = await this.readStore.claimLease(SEAL_LEASE, this.holder, LEASE_TTL_MS);
      return this.held ? await seal(new Date().toISOString()) : 0;
    } catch (error) {
      this.logger.warn(`Could not seal the log: ${(error as Error).message}`);
      return 0;
    }
  }
}
