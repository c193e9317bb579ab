import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@ledger/runtime';
import { IdempotencyKeyReusedError } from '../commands/command-errors';
import { CLOCK, type Clock } from '../storage/clock';
import type { CommandContext } from '../tickets/command-context';
import { IDEMPOTENCY_STORE, type IdempotencyStore } from './idempotency-store';
import { idempotencyScope, idempotencyTtlMs } from './idempotency-scope';

/**
 * Runs commands; one sent again with the same Idempotency-Key gets the
 * first answer and appends nothing, even while the first is still running,
 * until the answer expires.
 */
@Injectable()
export class IdempotentCommands {
  private readonly inFlight = new Map<string, { requestHash: string; answer: Promise<unknown> }>();

  constructor(
    @Inject(IDEMPOTENCY_STORE) private readonly answers: IdempotencyStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'idempotencyTtlHours'>,
  ) {}

  /** Runs `execute` once per Idempotency-Key of `context`, in its scope; without a key, every time. */
  async run<T>(context: CommandContext, status: number, execute: () => Promise<T>): Promise<T> {
    const scope = idempotencyScope(context);
    if (scope === undefined) return execute();
    const { requestHash } = context.idempotency!;
    const running = this.inFlight.get(scope);
    if (running) {
      if (running.requestHash !== requestHash) throw new IdempotencyKeyReusedError();
      return running.answer as Promise<T>;
    }
    // Registered before the first await, so a concurrent retry joins this run.
    const answer = this.firstAnswer(execute, scope, requestHash, status);
    this.inFlight.set(scope, { requestHash, answer });
    try {
      return await answer;
    } finally {
      this.inFlight.delete(scope);
    }
  }

  private async firstAnswer<T>(
    execute: () => Promise<T>,
    scope: string,
    requestHash: string,
    status: number,
  ): Promise<T> {
    const stored = await this.answers.find(scope, this.clock.now());
    if (stored) {
      if (stored.requestHash !== requestHash) throw new IdempotencyKeyReusedError();
      return stored.body as T;
    }
    const body = await execute();
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + idempotencyTtlMs(this.config));
    await this.answers.save({ scope, requestHash, status, body, expiresAt }, now);
    return body;
  }
}
