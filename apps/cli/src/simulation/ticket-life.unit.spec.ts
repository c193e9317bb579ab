import {
  createTicketDecider,
  DEFAULT_SLA_POLICY,
  nextSlaMarkAt,
  type OpenTicket,
} from '@ledger/domain';
import { SeededRandom } from './seeded';
import { TicketLife, type Desk } from './ticket-life';

const MINUTE = 60_000;
const END = Date.parse('2026-03-02T12:00:00.000Z');
const HEAD_OFF_MS = 15 * MINUTE;

const desk: Desk = {
  decider: createTicketDecider(),
  policy: DEFAULT_SLA_POLICY,
  roster: { L1: ['ana'], L2: ['bo'], L3: ['cy'], MANAGEMENT: ['di'] },
  customers: 10,
  end: END,
  headOffMs: HEAD_OFF_MS,
};
const intake = { actor: 'intake', roles: ['supervisor' as const] };
// Medium: first response in 4 h, resolution in 24 h, warnings at 80 %.
const open: OpenTicket = {
  type: 'OpenTicket',
  data: {
    ticketId: 't-1',
    subject: 'Cannot log in',
    channel: 'email',
    customer: { id: 'c-1' },
    category: 'login',
    priority: 'medium',
  },
};

function life(): TicketLife {
  return new TicketLife(desk, new SeededRandom('ticket-life.spec'));
}

function nextMark(ticketLife: TicketLife): number {
  return Date.parse(nextSlaMarkAt(ticketLife.ticket!.sla!)!);
}

describe('a simulated ticket life', () => {
  it("has the SLA clock look at each mark's instant, before what follows it", () => {
    const ticket = life();
    ticket.send(END - 10 * 60 * MINUTE, open, intake);
    ticket.send(END - 5 * 60 * MINUTE, { type: 'AssignTicket', data: { agentId: 'ana' } }, intake);

    const looks = ticket.steps.filter((step) => step.command.type === 'CheckSla');
    expect(looks.map((step) => [new Date(step.at).toISOString(), step.events[0]?.type])).toEqual([
      ['2026-03-02T05:12:00.000Z', 'SlaWarning'],
      ['2026-03-02T06:00:00.000Z', 'SlaBreached'],
    ]);
    expect(ticket.steps.map((step) => step.command.type)).toEqual([
      'OpenTicket',
      'CheckSla',
      'CheckSla',
      'AssignTicket',
    ]);
  });

  it('does nothing after the end of the period', () => {
    const ticket = life();
    ticket.send(END - MINUTE, open, intake);

    ticket.send(END + MINUTE, { type: 'AssignTicket', data: { agentId: 'ana' } }, intake);
    ticket.send(END - MINUTE, { type: 'AssignTicket', data: { agentId: 'bo' } }, intake);

    expect(ticket.steps.map((step) => step.command.type)).toEqual(['OpenTicket']);
    expect(ticket.finish().steps.every((step) => step.at <= END)).toBe(true);
  });

  it('has the ticket assigned before the end when its first response would fall due right after', () => {
    const ticket = life();
    // The first-response warning (at 3 h 12 min) falls 5 minutes after the end.
    ticket.send(END - (192 - 5) * MINUTE, open, intake);

    ticket.finish();

    expect(ticket.ticket!.assigneeId).toBe('ana');
    expect(ticket.steps.every((step) => step.at <= END)).toBe(true);
    expect(nextMark(ticket)).toBeGreaterThan(END + HEAD_OFF_MS);
  });

  it('has the ticket set pending before the end when its resolution would fall due right after', () => {
    const ticket = life();
    // The resolution warning (at 19 h 12 min) falls 10 minutes after the end.
    const openedAt = END - (1152 - 10) * MINUTE;
    ticket.send(openedAt, open, intake);
    ticket.send(openedAt + 30 * MINUTE, { type: 'AssignTicket', data: { agentId: 'ana' } }, intake);

    ticket.finish();

    expect(ticket.ticket!.status).toBe('pending');
    expect(ticket.steps.every((step) => step.at <= END)).toBe(true);
    expect(nextSlaMarkAt(ticket.ticket!.sla!)).toBeNull();
  });
});
