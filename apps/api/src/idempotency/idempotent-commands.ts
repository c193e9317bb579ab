import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiError } from '../http/api-error';
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
 * Sends ticket commands; one sent again with the same Idempotency-Key gets
 * the first answer and appends nothing, even while the first is still running.
 */
@Injectable()
export class IdempotentCommands {
  private readonly inFlight = new Map<
    string,
    { requestHash: string; answer: Promise<CommandAnswer> }
  >();

  constructor(
    private readonly commandBus: CommandBus,
    @Inject(IDEMPOTENCY_STORE) private readonly answers: IdempotencyStore,
  ) {}

  async send(command: ExecuteTicketCommand, status: number): Promise<CommandAnswer> {
    const idempotency = command.context.idempotency;
    if (!idempotency) return this.commandBus.execute(command);
    const { key, requestHash } = idempotency;
    const running = this.inFlight.get(key);
    if (running) {
      if (running.requestHash !== requestHash) throw reused();
      return running.answer;
    }
    // Registered before the first await, so a concurrent retry joins this run.
    const answer = this.firstAnswer(command, key, requestHash, status);
    this.inFlight.set(key, { requestHash, answer });
    try {
      return await answer;
    } finally {
      this.inFlight.delete(key);
    }
  }

  private async firstAnswer(
    command: ExecuteTicketCommand,
    key: string,
    requestHash: string,
    status: number,
  ): Promise<CommandAnswer> {
    const stored = await this.answers.find(key);
    if (stored) {
      if (stored.requestHash !== requestHash) throw reused();
      return stored.body as CommandAnswer;
    }
    const body = await this.commandBus.execute<ExecuteTicketCommand, CommandAnswer>(command);
    await this.answers.save({ key, requestHash, status, body });
    return body;
  }
}
