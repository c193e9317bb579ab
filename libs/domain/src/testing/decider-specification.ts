import { DomainError } from '../domain-errors';

/** When the `index`-th event of a given history happened: a minute apart from 2026-01-01 09:00 UTC. */
export const givenEventTime = (index: number) =>
  new Date(Date.UTC(2026, 0, 1, 9, index)).toISOString();

/** What a specification needs of a decider: the ticket's, an agent's, the SLA policy's… */
interface SpecifiedDecider<C, E, S, X> {
  initialState(): S;
  evolve(state: S, event: E & { occurredAt: string }): S;
  decide(command: C, state: S, context?: X): E[];
}

/**
 * `given(history).when(command).then(events)` or `.thenThrows(code)`; the
 * history's events happen at `givenEventTime(0)`, `givenEventTime(1)`, …
 */
export function deciderSpecification<C, E, S, X = never>(decider: SpecifiedDecider<C, E, S, X>) {
  return {
    given: (history: E[]) => {
      const state = history.reduce(
        (current, event, index) =>
          decider.evolve(current, { ...event, occurredAt: givenEventTime(index) }),
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
            /** `details`: what else the error must carry, such as the fields an invalid input names. */
            thenThrows(code: string, details?: object) {
              let thrown: unknown;
              try {
                run();
              } catch (error) {
                thrown = error;
              }
              expect(thrown).toBeInstanceOf(DomainError);
              expect((thrown as DomainError).code).toBe(code);
              if (details) expect(thrown).toMatchObject(details);
            },
          };
        },
      };
    },
  };
}
