import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import {
  EVENT_STORE,
  verifyLog,
  type ChainReceipt,
  type ChainVerification,
  type EventStore,
} from '@ledger/event-store';
import type { Server } from 'node:http';
import { ApiError } from '../http/api-error';

/** Verifications that may wait their turn; more are refused, as each reads the whole log. */
/** Seconds a client refused for the verifications queued is told to wait: a verification of the log takes seconds. */
const VERIFICATIONS_RETRY_AFTER_SECONDS = 10;

export const MAX_WAITING_VERIFICATIONS = 4;

/**
 * Verifications of the log's chain, one at a time: each reads the whole log,
 * so two at once would only share the CPU and hold twice the memory. The
 * first runs once the server listens, in the background, so a broken chain
 * is in the log without holding up the start; it never stops the service.
 */
@Injectable()
export class ChainAudit implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Audit');
  private readonly stopping = new AbortController();
  private queue: Promise<unknown> = Promise.resolve();
  /** Verifications queued and not started yet, by receipt. */
  private readonly waiting = new Map<string, Promise<ChainVerification>>();

  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  /** The check at start waits until the server listens: it must not slow the start down. */
  onApplicationBootstrap(): void {
    const server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    if (server?.listening) void this.checkAtStart();
    else server?.once('listening', () => void this.checkAtStart());
  }

  /** Stops a verification under way between two batches, before the store closes. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping.abort(new Error('The application is shutting down'));
    await this.queue.catch(() => undefined);
  }

  /**
   * Verifies the log, after any verification already under way. Requests
   * for the same receipt that arrive while one waits its turn share its run.
   */
  verify(receipt?: ChainReceipt): Promise<ChainVerification> {
    const key = receipt ? `${receipt.position} ${receipt.hash}` : '';
    const waiting = this.waiting.get(key);
    if (waiting) return waiting;
    if (this.waiting.size >= MAX_WAITING_VERIFICATIONS) {
      return Promise.reject(
        new ApiError(
          429,
          'VERIFICATIONS_QUEUED',
          `${MAX_WAITING_VERIFICATIONS} verifications wait their turn already: retry once they are done`,
          undefined,
          VERIFICATIONS_RETRY_AFTER_SECONDS,
        ),
      );
    }
    const run = this.queue.then(() => {
      this.waiting.delete(key);
      return verifyLog(this.events, receipt, { signal: this.stopping.signal });
    });
    this.waiting.set(key, run);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async checkAtStart(): Promise<void> {
    const started = Date.now();
    try {
      const result = await this.verify();
      const took = `${result.eventsChecked} events checked in ${Date.now() - started} ms`;
      if (result.ok) {
        this.logger.log(`The log's hash chain holds: ${took}`);
        return;
      }
      const broken = result.firstBroken!;
      const event =
        broken.streamId === null ? '' : ` (${broken.streamId} version ${broken.version})`;
      this.logger.warn(
        `The log's hash chain is broken at position ${broken.position}${event}: ${broken.reason}, ${broken.detail}. ` +
          `Serving on; GET /v1/audit/verify names it. ${took}`,
      );
    } catch (error) {
      if (this.stopping.signal.aborted) return;
      this.logger.error(`Could not verify the log's hash chain: ${(error as Error).message}`);
    }
  }
}
