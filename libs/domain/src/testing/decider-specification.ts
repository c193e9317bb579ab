import type { DomainError } from '../domain-errors';

const at = (index: number) => new Date(Date.UTC(2026, 0, 1, 9, index)).toISOString();

/** What a specification needs of a decider: the ticket's, a post-mortem's. */
interface SpecifiedDecider<C, E, S, X> {
  initialState(): S;
  evolve(state: S, event: E & { occurredAt: string }): S;
  decide(command: C, state: S, context?: X): E[];
}

/**
 * `given(history).when(command).then(events)` or `.thenThrows(code)`; the
 * history's events happen a minute apart from 2026-01-01 09:00 UTC.
 */
export function deciderSpecification<C, E, S, X = never>(decider: SpecifiedDecider<C, E, S, X>) {
  return {
    given: (history: E[]) => {
      const state = history.reduce(
        (current, event, index) => decider.evolve(current, { ...event, occurredAt: at(index) }),
        decider.initialState(),
      );
      return {
        state,
        /** `context`: what the decision depends on besides the command and the state. */
        when(command: C, context?: X) {
          const run = () => decider.decide(command, state, context);
          return {
            then(expected: E[]) {
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
