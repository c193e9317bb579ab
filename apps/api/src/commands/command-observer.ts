import { DomainError } from '@ledger/domain';
import type { AppendResult } from '@ledger/event-store';
import type { CommandContext } from '../tickets/command-context';
import { CommandPathError } from './command-errors';
import type { CommandOutcome, Message } from './stream-kind';

/** A command as the command path runs it. */
export interface ObservedCommand {
  type: string;
  streamId: string;
  context: CommandContext;
}

/** One append of the events a command decided; a command whose append conflicts makes another. */
export interface ObservedAppend {
  streamId: string;
  events: readonly Message[];
  context: CommandContext;
}

/**
 * Watches the command path for metrics and traces, which the path itself
 * knows nothing of. Each method is handed the work rather than told of it
 * afterwards, so a trace's span can enclose it and be the parent of what it
 * does; it must run `work` once and return its result or throw its error.
 */
export interface CommandObserver {
  command<S>(
    command: ObservedCommand,
    work: () => Promise<CommandOutcome<S>>,
  ): Promise<CommandOutcome<S>>;
  append(append: ObservedAppend, work: () => Promise<AppendResult>): Promise<AppendResult>;
}

export const COMMAND_OBSERVER = Symbol('COMMAND_OBSERVER');

export const UNOBSERVED: CommandObserver = {
  command: (_command, work) => work(),
  append: (_append, work) => work(),
};

/** Several observers as one; the first is the outermost. */
export function observeAll(observers: readonly CommandObserver[]): CommandObserver {
  return observers.reduceRight<CommandObserver>(
    (inner, outer) => ({
      command: (command, work) => outer.command(command, () => inner.command(command, work)),
      append: (append, work) => outer.append(append, () => inner.append(append, work)),
    }),
    UNOBSERVED,
  );
}

/** The stable code of a command refused by a rule or by the path; undefined for a fault. */
export function refusalCode(error: unknown): string | undefined {
  return error instanceof DomainError || error instanceof CommandPathError ? error.code : undefined;
}
