import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiError } from '../http/api-error';
import type { CommandContext } from '../tickets/command-context';
import { ExecuteTicketCommand, type CommandAnswer } from '../tickets/execute-ticket-command';
import { IDEMPOTENCY_STORE, type IdempotencyStore } from './idempotency-store';

function reused(): ApiError {
  return new ApiError(
    422,
    'IDEMPOTENCY_KEY_REUSED',
    'This Idempotency-Key was used for a different request',
  );
}

/**
 * Sends commands; one sent again with the same Idempotency-Key gets the
 * first answer and appends nothing, even while the first is still running.
 */
@Injectable()
export class IdempotentCommands {
  private readonly inFlight = new Map<string, { requestHash: string; answer: Promise<unknown> }>();

  constructor(
    private readonly commandBus: CommandBus,
    @Inject(IDEMPOTENCY_STORE) private readonly answers: IdempotencyStore,
  ) {}

  send(command: ExecuteTicketCommand, status: number): Promise<CommandAnswer> {
    return this.run(command.context, status, () =>
      this.commandBus.execute<ExecuteTicketCommand, CommandAnswer>(command),
    );
  }

  /** Runs `execute` once per Idempotency-Key of `context`; without a key, every time. */
  async run<T>(context: CommandContext, status: number, execute: () => Promise<T>): Promise<T> {
    const idempotency = context.idempotency;
    if (!idempotency) return execute();
    const { key, requestHash } = idempotency;
    const running = this.inFlight.get(key);
    if (running) {
      if (running.requestHash !== requestHash) throw reused();
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
      if (stored.requestHash !== requestHash) throw reused();
      return stored.body as T;
    }
    const body = await execute();
    await this.answers.save({ key, requestHash, status, body });
    return body;
  }
}
