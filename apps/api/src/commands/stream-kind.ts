/** What every event and command is: a `type` literal and its `data`. */
export type Message = { type: string; data: unknown };

/** A stream's rules as pure functions, as the domain writes them. */
export interface Decider<C, E extends Message, S, X = never> {
  initialState(): S;
  evolve(state: S, event: E & { occurredAt: string }): S;
  /** `context`: what the decision depends on besides the command and the state, if anything. */
  decide(command: C, state: S, context?: X): E[];
}

/**
 * A kind of stream the command path can run commands on. Only the decider is
 * required; the rest are choices a kind opts into.
 */
export interface StreamKind<C, E extends Message, S, X = never> {
  decider: Decider<C, E, S, X>;
  /** Keep each stream's latest state in memory: for long streams that take many commands. */
  snapshots?: boolean;
  /**
   * Commands that normally start a new stream: decided without reading it
   * first. Should the stream exist, the append conflicts and the command is
   * decided again on the stream as stored.
   */
  startsStream?(command: C): boolean;
  /** What `decide` needs besides the command and the state, looked up for each attempt. */
  decisionContext?(command: C): Promise<X | undefined>;
}

/** Where a command left the stream: the version and log position of its last event. */
export interface StreamPoint {
  version: number;
  position: string;
}

/** The answer of the command path. */
export interface CommandOutcome<S> extends StreamPoint {
  /** The stream's state once the command is applied. */
  state: S;
}
