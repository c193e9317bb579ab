import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import fc from 'fast-check';
import { AvailabilityDto, RegisterAgentDto } from '../agents/agent.dto';
import { OpenTicketDto } from '../tickets/dto/open-ticket.dto';
import {
  AddNoteDto,
  AssignTicketDto,
  ChangeStatusDto,
  CloseTicketDto,
  EscalateTicketDto,
  FeedbackDto,
  ReopenTicketDto,
  ResolveTicketDto,
} from '../tickets/dto/ticket-commands.dto';
import { compileBodyCheck } from './compiled-validation';
import { undeclaredFields } from './undeclared-fields';

/**
 * What the pipe's full validation says: no undeclared field (class-validator's
 * whitelist misses `constructor` and its kin), then class-validator with the
 * pipe's options.
 */
function fullyValid(dto: new () => object, body: unknown): boolean {
  if (undeclaredFields(dto, body).length > 0) return false;
  const instance = plainToInstance(dto, body);
  return validateSync(instance, { whitelist: true, forbidNonWhitelisted: true }).length === 0;
}

/**
 * Values of every kind that bodies hold, right and wrong. The chosen values
 * weigh most: only they fit the enumerated fields, so only they let the check
 * accept a body often enough to be tested.
 */
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      undefined,
      null,
      '',
      '   ',
      '\u200b',
      ' \u200b\u200d\u2060 ',
      '\u00ad',
      'ab\u202ecd',
      '\u2066c-1\u2069',
      'c\u200f',
      'x',
      'L2',
      'vip',
      'email',
      'complexity',
      'pending',
      'in_progress',
      'urgent',
      'online',
      'offline',
      '7b0c2f6e-1c1e-4a53-9a43-0c9f7a3f1b11',
      '7B0C2F6E-1C1E-4A53-9A43-0C9F7A3F1B11',
      'not-a-uuid',
      0,
      1,
      5,
      6,
      2.5,
      -1,
      true,
      false,
      [],
      {},
      { id: 'c-1' },
      { id: 'c-1', tier: 'vip', name: 'Ada' },
      { id: '', tier: 'gold' },
      { id: 'c-1', extra: 1 },
      { id: '\u200b' },
      { id: 'c-1', name: 'A\u202eB' },
      [{ id: 'c-1' }],
    ),
  },
  fc.string({ maxLength: 12 }),
  fc.string({ minLength: 195, maxLength: 205 }),
  fc.integer(),
);

const DTOS = {
  OpenTicketDto: [
    OpenTicketDto,
    ['ticketId', 'subject', 'description', 'channel', 'customer', 'category', 'priority'],
  ],
  AssignTicketDto: [AssignTicketDto, ['agentId']],
  EscalateTicketDto: [EscalateTicketDto, ['toTier', 'reason', 'note']],
  ResolveTicketDto: [ResolveTicketDto, ['resolution', 'rootCause', 'escalationNecessary']],
  FeedbackDto: [FeedbackDto, ['score', 'comment']],
  ChangeStatusDto: [ChangeStatusDto, ['status']],
  AddNoteDto: [AddNoteDto, ['body']],
  ReopenTicketDto: [ReopenTicketDto, ['reason']],
  CloseTicketDto: [CloseTicketDto, ['reason']],
  RegisterAgentDto: [RegisterAgentDto, ['agentId', 'name', 'tier', 'capacity']],
  AvailabilityDto: [AvailabilityDto, ['availability']],
} as const;

const VALID_BODIES: Record<keyof typeof DTOS, object> = {
  OpenTicketDto: {
    subject: 'Checkout is down',
    channel: 'chat',
    customer: { id: 'c-42', name: 'Acme', tier: 'vip' },
    category: 'payments',
  },
  AssignTicketDto: { agentId: 'agent-7' },
  EscalateTicketDto: { reason: 'complexity', note: 'cleared the cache' },
  ResolveTicketDto: { resolution: 'fixed', escalationNecessary: false },
  FeedbackDto: { score: 5 },
  ChangeStatusDto: { status: 'pending' },
  AddNoteDto: { body: 'fyi' },
  ReopenTicketDto: { reason: 'came back' },
  CloseTicketDto: {},
  RegisterAgentDto: { agentId: 'ana', name: 'Ana', tier: 'L1', capacity: 3 },
  AvailabilityDto: { availability: 'online' },
};

describe.each(Object.entries(DTOS))('the compiled check of %s', (name, [dto, fields]) => {
  const check = compileBodyCheck(dto)!;

  it('compiles', () => {
    expect(check).toBeDefined();
  });

  it('accepts a valid body, so the fast path is taken', () => {
    expect(check(VALID_BODIES[name as keyof typeof DTOS])).toBe(true);
  });

  it('accepts exactly the bodies the full validation accepts: no more, no fewer', () => {
    const body = fc.dictionary(fc.constantFrom(...fields, 'unknown', 'constructor'), anyValue, {
      maxKeys: fields.length + 2,
    });
    const nearlyValid = fc
      .tuple(fc.constantFrom(...fields), anyValue)
      .map(([field, value]) => ({ ...VALID_BODIES[name as keyof typeof DTOS], [field]: value }));
    const verdicts = { accepted: 0, refused: 0 };
    fc.assert(
      fc.property(fc.oneof(body, nearlyValid), (candidate) => {
        const compiled = check(candidate);
        verdicts[compiled ? 'accepted' : 'refused']++;
        expect({ candidate, accepted: compiled }).toEqual({
          candidate,
          accepted: fullyValid(dto, candidate),
        });
      }),
      { numRuns: 1000 },
    );
    // Both verdicts were compared: neither side of the agreement held for want of cases.
    expect(verdicts.accepted).toBeGreaterThan(0);
    expect(verdicts.refused).toBeGreaterThan(0);
  });
});
