import { Inject, Injectable } from '@nestjs/common';
import {
  decideSlaPolicy,
  evolveSlaPolicy,
  initialSlaPolicy,
  SLA_POLICY_STREAM,
  type ChangeSlaPolicy,
  type SlaPolicyChanged,
  type VersionedSlaPolicy,
} from '@ledger/domain';
import { EVENT_STORE, type EventStore } from '@ledger/event-store';
import { CommandPath } from '../commands/command-path';
import type { StreamKind } from '../commands/stream-kind';
import type { CommandContext } from '../tickets/command-context';

export const SLA_POLICY_KIND: StreamKind<ChangeSlaPolicy, SlaPolicyChanged, VersionedSlaPolicy> = {
  decider: { initialState: initialSlaPolicy, evolve: evolveSlaPolicy, decide: decideSlaPolicy },
};

/** How long a process trusts its copy of the policy before reading the stream again. */
const FRESH_MS = 1000;

/**
 * The policy in force. A change made here is seen at once; one made by
 * another process within a second (the copy is read again when older).
 */
@Injectable()
export class SlaPolicies {
  private cached: { policy: VersionedSlaPolicy; readAt: number } | undefined;

  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    private readonly commands: CommandPath,
  ) {}

  async current(): Promise<VersionedSlaPolicy> {
    const now = Date.now();
    if (this.cached && now - this.cached.readAt < FRESH_MS) return this.cached.policy;
    const policy = (await this.versions()).at(-1) ?? initialSlaPolicy();
    this.cached = { policy, readAt: now };
    return policy;
  }

  /** Every version, the default (0) first: what each ticket's `policyVersion` refers to. */
  async versions(): Promise<VersionedSlaPolicy[]> {
    const recorded = await this.events.readStream(SLA_POLICY_STREAM);
    return [
      initialSlaPolicy(),
      ...recorded.map((event) =>
        evolveSlaPolicy(initialSlaPolicy(), event as unknown as SlaPolicyChanged),
      ),
    ];
  }

  async change(
    command: ChangeSlaPolicy,
    context: CommandContext,
  ): Promise<{ policy: VersionedSlaPolicy; position: string }> {
    const answer = await this.commands.execute(
      SLA_POLICY_KIND,
      SLA_POLICY_STREAM,
      command,
      context,
    );
    this.cached = { policy: answer.state, readAt: Date.now() };
    return { policy: answer.state, position: answer.position };
  }
}
