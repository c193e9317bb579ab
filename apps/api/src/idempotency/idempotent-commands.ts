import { Inject, Injectable } from '@nestjs/common';
import { IdempotencyKeyReusedError } from '../commands/command-errors';
import type { CommandContext } from '../tickets/command-context';
import { IDEMPOTENCY_STORE, type IdempotencyStore } from './idempotency-store';

/**
 * Runs commands; one sent again with the same Idempotency-Key gets the
 * first answer and appends nothing, even while the first is still running.
 */
@Injectable()
export class IdempotentCommands {
  private readonly inFlight = new Map<string, { requestHash: string; answer: Promise<unknown> }>();

  constructor(@Inject(IDEMPOTENCY_STORE) private readonly answers: IdempotencyStore) {}

  /** Runs `execute` once per Idempotency-Key of `context`; without a key, every time. */
  async run<T>(context: CommandContext, status: number, execute: () => Promise<T>): Promise<T> {
    const idempotency = context.idempotency;
    if (!idempotency) return execute();
    const { key, requestHash } = idempotency;
    const running = this.inFlight.get(key);
    if (running) {
      if (running.requestHash !== requestHash) throw new IdempotencyKeyReusedError();
      return running.answer as Promise<T>;
    }
    // Registered before the first await, so a concurrent retry joins this run.
    const answer = this.firstAnswer(execute, key, requestHash, status);
    this.inFlight.set(key, { requestHash, answer });
    try {
      return await answer;
    } finally {
      this.inFlight.delete(key);
    }
  }

  private async firstAnswer<T>(
    execute: () => Promise<T>,
    key: string,
    requestHash: string,
    status: number,
  ): Promise<T> {
    const stored = await this.answers.find(key);
    if (stored) {
      if (stored.requestHash !== requestHash) throw new IdempotencyKeyReusedError();
      return stored.body as T;
    }
    const body = await execute();
    await this.answers.save({ key, requestHash, status, body });
    return body;
  }
}
