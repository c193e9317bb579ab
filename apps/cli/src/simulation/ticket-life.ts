import {
  AUTOMATION_ACTOR,
  DomainError,
  dueSlaMarks,
  isActive,
  nextSlaMarkAt,
  type OpenTicket,
  type Role,
  type Ticket,
  type TicketCommand,
  type TicketDecider,
  type TicketEvent,
  type TicketState,
  type Tier,
  type VersionedSlaPolicy,
} from '@ledger/domain';
import type { SeededRandom } from './seeded';
import {
  CATEGORY_MIX,
  CHANNEL_MIX,
  CHOSEN_PRIORITIES,
  DETAILS,
  ESCALATION_NOTES,
  FEEDBACK_COMMENTS,
  MANUAL_ESCALATIONS,
  personName,
  RESOLUTIONS,
  ROOT_CAUSES,
  SUBJECTS_BY_CATEGORY,
  WORK_NOTES,
} from './support-desk';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Who sends a command: a person (an agent, the intake), or the automation. */
export interface Sender {
  actor: string;
  roles: Role[];
  automation?: 'sla-clock' | 'assigner';
}

/** A command of a ticket's life, at its instant (epoch ms), that the decider turns into events. */
export interface PlannedStep {
  at: number;
  command: TicketCommand;
  by: Sender;
  /** What the decider made of it: the events the command path will append. */
  events: TicketEvent[];
}

/** What a simulated ticket's life needs to know of the desk. */
export interface Desk {
  decider: TicketDecider;
  policy: VersionedSlaPolicy;
  /** The agents of each tier. */
  roster: Record<Tier, readonly string[]>;
  /** Customers to draw from: some write in more than once. */
  customers: number;
  /** The end of the simulated period (epoch ms): nothing happens after it. */
  end: number;
  /**
   * SLA marks due this soon after the end are headed off before it, as a desk
   * does with what is about to breach: an API started on the simulated log
   * finds nothing due at once.
   */
  headOffMs: number;
}

const INTAKE: Sender = { actor: 'simulation:intake', roles: ['supervisor'] };
const SURVEY: Sender = { actor: 'simulation:survey', roles: ['supervisor'] };
const SLA_CLOCK: Sender = { actor: AUTOMATION_ACTOR, roles: [], automation: 'sla-clock' };
const ASSIGNER: Sender = { actor: AUTOMATION_ACTOR, roles: [], automation: 'assigner' };

const agent = (agentId: string): Sender => ({ actor: agentId, roles: ['agent'] });

/**
 * One ticket's life, decided as it goes by the real decider: each command
 * is kept with the events it makes, and the SLA clock's look (CheckSla) is
 * taken at the instant each mark falls due, as the API's clock would.
 * Nothing happens after the end of the period.
 */
export class TicketLife {
  readonly steps: PlannedStep[] = [];
  private state: TicketState = null;
  private over = false;

  constructor(
    private readonly desk: Desk,
    private readonly random: SeededRandom,
  ) {}

  get ticket(): Ticket | null {
    return this.state;
  }

  private get lastAt(): number {
    return this.steps.at(-1)?.at ?? -Infinity;
  }

  /** Sends `command` at `at`, after the SLA marks due by then; nothing once the period is over. */
  send(at: number, command: TicketCommand, by: Sender): void {
    if (this.over) return;
    this.lookAtSla(Math.min(at, this.desk.end));
    if (at > this.desk.end) {
      this.over = true;
      return;
    }
    this.decide(Math.max(at, this.lastAt), command, by);
  }

  /** Sends `command` as the ticket's assignee, assigning someone of its tier first if nobody holds it. */
  byAssignee(at: number, command: TicketCommand): void {
    if (!this.state) return;
    if (this.state.assigneeId === null && isActive(this.state)) {
      this.assign(Math.max(at - this.random.between(5, 40) * MINUTE, this.lastAt));
    }
    this.send(at, command, agent(this.state.assigneeId ?? this.someone(this.state.tier)));
  }

  /** The assigner's choice or an agent picking the ticket up, at its current tier. */
  assign(at: number): void {
    const tier = this.state?.tier ?? 'L1';
    const agentId = this.someone(tier);
    if (this.random.chance(0.6)) {
      this.send(at, { type: 'AutoAssignTicket', data: { agentId, tier } }, ASSIGNER);
    } else {
      this.send(at, { type: 'AssignTicket', data: { agentId } }, agent(agentId));
    }
  }

  someone(tier: Tier): string {
    return this.random.pick(this.desk.roster[tier]);
  }

  /** The marks still due by the end, then what would fall due right after it headed off. */
  finish(): this {
    if (this.steps.length === 0) return this;
    this.lookAtSla(this.desk.end);
    for (let attempt = 0; attempt < 2; attempt++) {
      const ticket = this.state;
      if (!ticket?.sla || !isActive(ticket)) break;
      const soon = new Date(this.desk.end + this.desk.headOffMs).toISOString();
      const due = dueSlaMarks(ticket.sla, soon);
      if (due.length === 0) break;
      const at = this.lastAt + this.random.next() * (this.desk.end - this.lastAt);
      if (due.some((mark) => mark.target === 'first_response')) {
        const agentId = this.someone(ticket.tier);
        this.decide(at, { type: 'AssignTicket', data: { agentId } }, agent(agentId));
      } else {
        const by = agent(ticket.assigneeId ?? this.someone(ticket.tier));
        this.decide(at, { type: 'ChangeTicketStatus', data: { status: 'pending' } }, by);
      }
    }
    return this;
  }

  /** The SLA clock's looks up to `until`: one at each mark's instant. */
  private lookAtSla(until: number): void {
    for (;;) {
      const ticket = this.state;
      if (!ticket?.sla || !isActive(ticket)) return;
      const next = nextSlaMarkAt(ticket.sla);
      if (next === null || Date.parse(next) > until) return;
      const at = Math.max(Date.parse(next), this.lastAt);
      const events = this.decide(at, { type: 'CheckSla', data: { now: next } }, SLA_CLOCK);
      if (events.length === 0) return;
    }
  }

  private decide(at: number, command: TicketCommand, by: Sender): TicketEvent[] {
    let events: TicketEvent[];
    try {
      const context = command.type === 'OpenTicket' ? { slaPolicy: this.desk.policy } : undefined;
      events = this.desk.decider.decide(command, this.state, context);
    } catch (error) {
      // A step the ticket's state no longer allows (escalating at the top tier): people skip it too.
      if (error instanceof DomainError) return [];
      throw error;
    }
    if (events.length === 0) return [];
    const occurredAt = new Date(at).toISOString();
    for (const event of events) {
      this.state = this.desk.decider.evolve(this.state, { ...event, occurredAt });
    }
    this.steps.push({ at, command, by, events });
    return events;
  }
}

function openCommand(random: SeededRandom, ticketId: string, desk: Desk): OpenTicket {
  const category = random.weighted(CATEGORY_MIX);
  const customer = random.upTo(1, desk.customers);
  const details = random.upTo(1, 3);
  return {
    type: 'OpenTicket',
    data: {
      ticketId,
      subject: random.pick(SUBJECTS_BY_CATEGORY[category] ?? []),
      description: Array.from({ length: details }, () => random.pick(DETAILS)).join(' '),
      channel: random.weighted(CHANNEL_MIX),
      customer: {
        id: `customer-${String(customer).padStart(6, '0')}`,
        name: personName(customer),
        // One customer in fourteen is a VIP, on every ticket they open.
        tier: customer % 14 === 0 ? 'vip' : 'standard',
      },
      category,
      ...(random.chance(0.35) && { priority: random.weighted(CHOSEN_PRIORITIES) }),
    },
  };
}

/**
 * Shares of an SLA target at which things happen: mostly well within it,
 * some late enough for a warning, a few past it. The resolution shares make
 * the SLA clock escalate one ticket in twenty or so on top of the people's
 * escalations, for 10 to 20 % escalated in all.
 */
const FIRST_RESPONSE_SHARE: readonly (readonly [[number, number], number])[] = [
  [[0.04, 0.7], 92.5],
  [[0.81, 0.98], 5],
  [[1.03, 1.8], 2.5],
];
const RESOLUTION_SHARE: readonly (readonly [[number, number], number])[] = [
  [[0.06, 0.72], 95.5],
  [[0.82, 0.98], 3],
  [[1.03, 1.6], 1.5],
];

function share(random: SeededRandom, table: typeof FIRST_RESPONSE_SHARE): number {
  const [low, high] = random.weighted(table);
  return random.between(low, high);
}

/** Where a ticket's script has got to: the instant of its last step, and when it is to be resolved. */
interface Script {
  life: TicketLife;
  random: SeededRandom;
  at: number;
  resolveAt: number;
}

/** Moves part of the way to the resolution, and on even when it is due. */
function towards(script: Script, low: number, high: number): number {
  const span = Math.max(script.resolveAt - script.at, 30 * MINUTE);
  return (script.at += span * script.random.between(low, high));
}

function note(script: Script, low = 0.05, high = 0.4): void {
  const body = script.random.pick(WORK_NOTES);
  script.life.byAssignee(towards(script, low, high), { type: 'AddTicketNote', data: { body } });
}

function setStatus(script: Script, at: number, status: 'in_progress' | 'pending'): void {
  script.life.byAssignee(at, { type: 'ChangeTicketStatus', data: { status } });
}

function escalations(script: Script): number {
  return script.life.ticket?.escalationCount ?? 0;
}

/** A person escalates (one in twelve tickets), now and then again; someone of the new tier takes it. */
function escalate(script: Script): void {
  const { life, random } = script;
  for (let times = random.chance(0.2) ? 2 : 1; times > 0; times--) {
    const reason = random.weighted(MANUAL_ESCALATIONS);
    const skip = life.ticket?.tier === 'L1' && random.chance(0.05);
    life.byAssignee(towards(script, 0.1, 0.45), {
      type: 'EscalateTicket',
      data: {
        reason,
        note: random.pick(ESCALATION_NOTES[reason]),
        ...(skip && { toTier: 'L3' as const }),
      },
    });
    life.assign((script.at += random.between(10, 90) * MINUTE));
    if (random.chance(0.5)) note(script);
  }
}

/** Waiting for the customer: the resolution clock stops, so the work ends that much later. */
function waitForCustomer(script: Script): void {
  setStatus(script, towards(script, 0.2, 0.6), 'pending');
  const waited = script.random.between(0.5, 40) * HOUR;
  script.resolveAt += waited;
  script.at += waited;
  setStatus(script, script.at, 'in_progress');
}

function resolve(script: Script, at: number): void {
  const { random } = script;
  const escalated = escalations(script) > 0;
  const judged = escalated ? random.chance(0.9) : random.chance(0.05);
  script.life.byAssignee(at, {
    type: 'ResolveTicket',
    data: {
      resolution: random.pick(RESOLUTIONS),
      ...(random.chance(0.6) && { rootCause: random.pick(ROOT_CAUSES) }),
      // About a quarter of the escalations judged turn out not to have been needed.
      ...(judged && { escalationNecessary: random.chance(escalated ? 0.74 : 0.5) }),
    },
  });
}

/** The problem comes back; it is mostly fixed within what is left of the target, whose clock runs again. */
function reopen(script: Script): void {
  const { life, random } = script;
  script.at += random.between(6, 72) * HOUR;
  const reason = 'The customer says it is back';
  life.send(script.at, { type: 'ReopenTicket', data: { reason } }, INTAKE);
  const clock = life.ticket?.sla?.resolution;
  const left = clock ? Math.max(clock.targetMs - clock.usedMs, HOUR) : DAY;
  resolve(script, (script.at += left * share(random, RESOLUTION_SHARE)));
}

/** Happier when nothing went wrong. */
function rate(script: Script): void {
  const { life, random } = script;
  const breached = life.ticket?.sla?.resolution.breachedAt != null;
  const happy = random.chance(escalations(script) > 0 || breached ? 0.45 : 0.72);
  const score = random.weighted(happy ? HAPPY_SCORES : UNHAPPY_SCORES);
  const comments = happy ? FEEDBACK_COMMENTS.happy : FEEDBACK_COMMENTS.unhappy;
  const comment = random.chance(0.3) ? random.pick(comments) : undefined;
  script.at += random.between(0.5, 48) * HOUR;
  life.send(
    script.at,
    { type: 'RecordFeedback', data: { score, ...(comment && { comment }) } },
    SURVEY,
  );
}

const HAPPY_SCORES = [
  [5, 6],
  [4, 4],
] as const;
const UNHAPPY_SCORES = [
  [3, 4],
  [2, 3],
  [1, 2],
] as const;

/**
 * The life of one ticket opened at `openedAt`: assigned, worked on, maybe
 * escalated (again), set pending, resolved, reopened, rated, closed, each at
 * a plausible instant. Whatever would happen after the end of the period
 * does not.
 */
export function liveTicket(
  desk: Desk,
  random: SeededRandom,
  ticketId: string,
  openedAt: number,
): TicketLife {
  const life = new TicketLife(desk, random);
  life.send(openedAt, openCommand(random, ticketId, desk), INTAKE);
  if (random.chance(0.02)) {
    const at = openedAt + random.between(3, 120) * MINUTE;
    const reason = random.pick(['spam', 'duplicate']);
    life.send(at, { type: 'CloseTicket', data: { reason } }, agent(life.someone('L1')));
    return life.finish();
  }
  const terms = life.ticket!.sla;
  const firstResponseMs = terms?.firstResponse.targetMs ?? 4 * HOUR;
  const resolutionMs = terms?.resolution.targetMs ?? DAY;

  const assignedAt = openedAt + firstResponseMs * share(random, FIRST_RESPONSE_SHARE);
  const script: Script = { life, random, at: assignedAt, resolveAt: 0 };
  life.assign(assignedAt);
  if (random.chance(0.7))
    setStatus(script, (script.at += random.between(1, 20) * MINUTE), 'in_progress');
  script.resolveAt = Math.max(
    openedAt + resolutionMs * share(random, RESOLUTION_SHARE),
    script.at + random.between(10, 90) * MINUTE,
  );

  for (let notes = random.run(0.35, 4); notes > 0; notes--) note(script);
  if (random.chance(0.085)) escalate(script);
  if (random.chance(0.12)) waitForCustomer(script);
  resolve(script, (script.at = Math.max(script.at, script.resolveAt)));
  if (random.chance(0.05)) reopen(script);
  if (random.chance(0.45)) rate(script);
  if (random.chance(0.3)) {
    script.at += random.between(2, 7) * DAY;
    const closer = agent(life.someone(life.ticket?.tier ?? 'L1'));
    life.send(script.at, { type: 'CloseTicket', data: { reason: 'inactive' } }, closer);
  }
  return life.finish();
}
