import {
  AGENT_STREAM_PREFIX,
  chooseAgent,
  evolve,
  evolveAgent,
  isActive,
  nextSlaMarkAt,
  compareQueuePlaces,
  queuePlaceOf,
  TICKET_STREAM_PREFIX,
  type Agent,
  type AgentLoad,
  type AgentEvent,
  type TicketEvent,
  type Ticket,
  type Tier,
} from '@ledger/domain';
import { datedEvent, type RecordedEvent } from '@ledger/event-store';
import { DeadlineHeap } from './deadline-heap';

/** The last event a view applied: how a snapshot of it is checked against the log. */
export interface LastApplied {
  position: string;
  streamId: string;
  version: number;
  eventId: string;
}

/** What a view knows, without what is derived from it: a snapshot's content. */
export interface AutomationViewState {
  lastApplied: LastApplied;
  tickets: Ticket[];
  ended: string[];
  agents: Agent[];
  lastAssignedAt: [agentId: string, at: string][];
}

/** A ticket as the view keeps it: without the customer's text, which it never needs. */
function withoutText(ticket: Ticket): Ticket {
  const customer = { ...ticket.customer };
  delete customer.name;
  return { ...ticket, subject: '', description: '', customer };
}

export interface PlannedAssignment {
  ticketId: string;
  agentId: string;
  tier: Tier;
}

/**
 * What the SLA clock and the assigner know, folded from the log in memory:
 * the tickets still worked on (as the domain folds them, without their
 * text), the agents, who holds what, who waits, and when each ticket's next
 * SLA mark falls due. It never reads the wall clock: `now` is given.
 */
export class AutomationView {
  private last: LastApplied | undefined;
  private readonly tickets = new Map<string, Ticket>();
  /** Ended tickets, by id only: a reopen brings one back from its stream. */
  private readonly ended = new Set<string>();
  /** Tickets a reopen brought back that must be folded from their stream up to `position`. */
  readonly toRestore = new Set<string>();
  private readonly agents = new Map<string, Agent>();
  private readonly openByAgent = new Map<string, Set<string>>();
  private readonly lastAssignedAt = new Map<string, string>();
  private readonly waiting = new Map<Tier, Set<string>>();
  private readonly deadlines = new DeadlineHeap();
  /** When a ticket whose mark could not be recorded is due again, besides its next mark. */
  private readonly retries = new Map<string, string>();

  /** A view as `state()` described it, with what is derived from it made again. */
  static restored(state: AutomationViewState): AutomationView {
    const view = new AutomationView();
    view.last = state.lastApplied;
    for (const agent of state.agents) view.agents.set(agent.agentId, agent);
    for (const [agentId, at] of state.lastAssignedAt) view.lastAssignedAt.set(agentId, at);
    for (const ticketId of state.ended) view.ended.add(ticketId);
    for (const ticket of state.tickets) view.replace(null, ticket);
    return view;
  }

  /**
   * What the view knows, for a snapshot: undefined before its first event or
   * while a reopened ticket waits to be restored from its stream.
   */
  state(): AutomationViewState | undefined {
    if (!this.last || this.toRestore.size > 0) return undefined;
    return {
      lastApplied: this.last,
      tickets: [...this.tickets.values()],
      ended: [...this.ended],
      agents: [...this.agents.values()],
      lastAssignedAt: [...this.lastAssignedAt],
    };
  }

  /** The last position applied. */
  get position(): string | undefined {
    return this.last?.position;
  }

  apply(event: RecordedEvent): void {
    this.last = {
      position: event.position,
      streamId: event.streamId,
      version: event.version,
      eventId: event.metadata.eventId,
    };
    if (event.streamId.startsWith(AGENT_STREAM_PREFIX)) {
      const agentId = event.streamId.slice(AGENT_STREAM_PREFIX.length);
      const agent = evolveAgent(this.agents.get(agentId) ?? null, datedEvent<AgentEvent>(event));
      if (agent) this.agents.set(agentId, agent);
      return;
    }
    if (!event.streamId.startsWith(TICKET_STREAM_PREFIX)) return;
    const ticketId = event.streamId.slice(TICKET_STREAM_PREFIX.length);
    // Before the ticket is looked up: an assignment to a reopened ticket not
    // restored yet is skipped below, yet its agent was given work all the same.
    if (event.type === 'TicketAssigned') {
      this.lastAssignedAt.set(
        (event.data as { agentId: string }).agentId,
        event.metadata.occurredAt,
      );
    }
    const before = this.tickets.get(ticketId) ?? null;
    if (!before && event.type !== 'TicketOpened') {
      if (event.type === 'TicketReopened' && this.ended.has(ticketId)) this.toRestore.add(ticketId);
      return;
    }
    const folded = evolve(before, datedEvent<TicketEvent>(event));
    if (!folded) return;
    this.replace(before, event.type === 'TicketOpened' ? withoutText(folded) : folded);
  }

  /** A ticket folded from its own stream (up to `position`), replacing what is known of it. */
  restore(ticket: Ticket | null): void {
    if (!ticket) return;
    this.toRestore.delete(ticket.ticketId);
    this.ended.delete(ticket.ticketId);
    this.replace(this.tickets.get(ticket.ticketId) ?? null, withoutText(ticket));
  }

  ticket(ticketId: string): Ticket | undefined {
    return this.tickets.get(ticketId);
  }

  private replace(before: Ticket | null, after: Ticket): void {
    const id = after.ticketId;
    if (before && isActive(before)) {
      if (before.assigneeId !== null) this.openByAgent.get(before.assigneeId)?.delete(id);
      else this.waiting.get(before.tier)?.delete(id);
    }
    if (!isActive(after)) {
      this.tickets.delete(id);
      this.retries.delete(id);
      this.ended.add(id);
      return;
    }
    this.tickets.set(id, after);
    if (after.assigneeId !== null) {
      let open = this.openByAgent.get(after.assigneeId);
      if (!open) this.openByAgent.set(after.assigneeId, (open = new Set()));
      open.add(id);
    } else {
      let waiting = this.waiting.get(after.tier);
      if (!waiting) this.waiting.set(after.tier, (waiting = new Set()));
      waiting.add(id);
    }
    const next = after.sla && nextSlaMarkAt(after.sla);
    if (next && next !== (before?.sla && isActive(before) ? nextSlaMarkAt(before.sla) : null)) {
      this.deadlines.push(next, id);
    }
  }

  /**
   * The tickets with an SLA mark due at `now`, each once: they leave the
   * schedule, and come back through the log when their marks are recorded
   * (or through `retryLater` if recording failed).
   */
  takeDueSla(now: string): string[] {
    const due = new Set<string>();
    for (let top = this.deadlines.peek(); top && top.at <= now; top = this.deadlines.peek()) {
      this.deadlines.pop();
      const ticket = this.tickets.get(top.id);
      // Stale entries (the ticket moved on, or its next mark changed) are skipped.
      const retry = this.retries.get(top.id) === top.at;
      if (retry) this.retries.delete(top.id);
      if (ticket?.sla && (retry || nextSlaMarkAt(ticket.sla) === top.at)) due.add(top.id);
    }
    return [...due];
  }

  retryLater(ticketId: string, at: string): void {
    if (!this.tickets.has(ticketId)) return;
    this.retries.set(ticketId, at);
    this.deadlines.push(at, ticketId);
  }

  private loadOf(agent: Agent, planned: Map<string, number>, now: string): AgentLoad {
    let lastAssigned = this.lastAssignedAt.get(agent.agentId) ?? agent.registeredAt;
    // A pick of the plan being made is an assignment made now.
    if (planned.has(agent.agentId) && now > lastAssigned) lastAssigned = now;
    const idleSince =
      agent.availabilityChangedAt > lastAssigned ? agent.availabilityChangedAt : lastAssigned;
    return {
      agentId: agent.agentId,
      tier: agent.tier,
      capacity: agent.capacity,
      availability: agent.availability,
      open: (this.openByAgent.get(agent.agentId)?.size ?? 0) + (planned.get(agent.agentId) ?? 0),
      idleSince,
    };
  }

  /**
   * Who should take which waiting ticket, as things stand at `now`: never
   * more than an agent's spare capacity. Each pick counts as an assignment
   * made at `now`, so a later tie in the same plan goes to someone idle longer.
   */
  planAssignments(now: string): PlannedAssignment[] {
    const plan: PlannedAssignment[] = [];
    const planned = new Map<string, number>();
    for (const [tier, waitingIds] of this.waiting) {
      if (waitingIds.size === 0) continue;
      const agents = [...this.agents.values()].filter(
        (agent) => agent.tier === tier && agent.availability === 'online',
      );
      const loads = () => agents.map((agent) => this.loadOf(agent, planned, now));
      let chosen = chooseAgent(tier, loads());
      // Sorted only when someone is free: a long queue with nobody online costs nothing.
      const queue = chosen
        ? [...waitingIds].map((id) => queuePlaceOf(this.tickets.get(id)!)).sort(compareQueuePlaces)
        : [];
      for (const ticket of queue) {
        if (!chosen) break;
        planned.set(chosen.agentId, (planned.get(chosen.agentId) ?? 0) + 1);
        plan.push({ ticketId: ticket.ticketId, agentId: chosen.agentId, tier });
        chosen = chooseAgent(tier, loads());
      }
    }
    return plan;
  }

  /** Per registered agent, their open tickets: what the capacity property is checked against. */
  loads(): { agentId: string; capacity: number; open: number }[] {
    return [...this.agents.values()].map((agent) => ({
      agentId: agent.agentId,
      capacity: agent.capacity,
      open: this.openByAgent.get(agent.agentId)?.size ?? 0,
    }));
  }
}
