import type { DomainError } from '../src/domain-errors';
import type { TicketCommand } from '../src/ticket.commands';
import type { TicketEvent } from '../src/ticket.events';
import type { DecisionContext, TicketDecider } from '../src/ticket.decider';

const at = (index: number) => new Date(Date.UTC(2026, 0, 1, 9, index)).toISOString();

/** `given(history).when(command).then(events)` or `.thenThrows(code)`. */
export function deciderSpecification(decider: TicketDecider) {
  return {
    given(history: TicketEvent[]) {
      const state = history.reduce(
        (current, event, index) => decider.evolve(current, { ...event, occurredAt: at(index) }),
        decider.initialState(),
      );
      return {
        when(command: TicketCommand, context?: DecisionContext) {
          const run = () => decider.decide(command, state, context);
          return {
            then(expected: TicketEvent[]) {
              expect(run()).toEqual(expected);
            },
            thenThrows(code: string) {
              let thrown: unknown;
              try {
                run();
              } catch (error) {
                thrown = error;
              }
              expect(thrown).toBeDefined();
              expect((thrown as DomainError).code).toBe(code);
            },
          };
        },
      };
    },
  };
}
