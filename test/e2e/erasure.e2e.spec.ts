import Database from 'better-sqlite3';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errorOf, startApi } from './support/e2e-api';
import { accepted, historyOf, openTicket, viewOf } from './support/tickets';
import { FeedClient } from '../support/feed-client';
import type { TestApp } from '../support/test-app';
import { TestClock } from '../support/test-clock';

const ERASED = '[erased]';

/** Everything personal the test writes about the customer erased: no byte of it may stay. */
const WRITTEN = {
  name: 'Quintessa Vandermolen-Okafor',
  subject: 'Zanzibarian invoice shows Quintessa twice',
  description: 'Lives at 17 Marigoldweg, Oosterhout; card ending 4417',
  escalation: 'Quintessa insists the Marigoldweg address is wrong',
  note: 'Spoke with Quintessa about the Oosterhout branch',
  secondNote: 'Quintessa sent a photo of her passport (Xanthippe Street)',
  resolution: 'Merged the twinned Vandermolen accounts',
  feedback: 'Quintessa is pleased: the Zanzibarian invoice is gone',
  reopen: 'The Vandermolen twin account came back',
  close: 'Quintessa closed it herself',
  laterNote: 'Called Quintessa again after her erasure',
  wentWell: 'Quintessa got her refund from Oosterhout the same day',
  toImprove: 'Nobody checked the Marigoldweg records first',
  role: 'Quintessa’s account executive',
  action: 'Teach L1 the Vandermolen twin lookup',
  dropped: 'Quintessa moved away from Oosterhout',
};

/** The texts, and each of their words long enough to single them out. */
function needles(): string[] {
  const texts = Object.values(WRITTEN);
  const words = texts
    .flatMap((text) => text.split(/[^\p{L}\p{N}-]+/u))
    .filter((w) => w.length >= 8);
  return [...new Set([...texts, ...words])];
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('erasing a customer', () => {
  let dataDir: string;
  let api: TestApp;
  const clock = new TestClock('2026-03-02T09:00:00.000Z');

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ledger-erasure-'));
    api = await startApi({ dataDir, clock });
  });

  afterEach(async () => {
    await api.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows [erased] in every read, keeps the KPIs, and leaves no byte of the customer’s text under DATA_DIR', async () => {
    const customer = { id: 'c-erase-1', name: WRITTEN.name, tier: 'vip' as const };
    const first = await openTicket(api, {
      subject: WRITTEN.subject,
      description: WRITTEN.description,
      customer,
      category: 'billing-dupes',
    });
    const t1 = first.ticketId;
    clock.advanceMinutes(5);
    await accepted(api, t1, 'assign', { agentId: 'agent-ana' });
    await accepted(api, t1, 'escalate', { reason: 'complexity', note: WRITTEN.escalation });
    await accepted(api, t1, 'notes', { body: WRITTEN.note });
    clock.advanceMinutes(30);
    await accepted(api, t1, 'resolve', {
      resolution: WRITTEN.resolution,
      rootCause: 'duplicate-account',
      escalationNecessary: true,
    });
    await accepted(api, t1, 'feedback', { score: 4, comment: WRITTEN.feedback });
    clock.advanceMinutes(10);
    await accepted(api, t1, 'reopen', { reason: WRITTEN.reopen });
    await accepted(api, t1, 'close', { reason: WRITTEN.close });
    const postMortem = await api.request('POST', `/v1/tickets/${t1}/post-mortem`, {
      participants: [{ agentId: 'agent-ana', role: WRITTEN.role }],
      rootCause: 'duplicate-account',
      wentWell: WRITTEN.wentWell,
      toImprove: WRITTEN.toImprove,
      actions: [
        { kind: 'training', description: WRITTEN.action, owner: 'ana', dueDate: '2026-03-20' },
      ],
    });
    expect(postMortem.status).toBe(200);
    const drop = `/v1/tickets/${t1}/post-mortem/actions/a1/drop`;
    expect((await api.request('POST', drop, { reason: WRITTEN.dropped })).status).toBe(200);
    const second = await openTicket(api, { subject: WRITTEN.subject, customer });
    const t2 = second.ticketId;
    await accepted(api, t2, 'notes', { body: WRITTEN.secondNote });
    const other = await openTicket(api, {
      subject: 'Another customer’s subject',
      customer: { id: 'c-keep', name: 'Kept Person' },
    });
    const last = await accepted(api, other.ticketId, 'notes', { body: 'Kept note' });
    const asOf = clock.now().toISOString();
    const kpisBefore = (await api.request('GET', `/v1/kpis/escalations?after=${last.position}`))
      .body;
    expect(kpisBefore.totals.ticketsOpened).toBe(3);
    expect((await viewOf(api, t1, last.position)).customer.name).toBe(WRITTEN.name);

    const keys = new Database(join(dataDir, 'ledger.sqlite'), { readonly: true });
    const wrappedKey = keys
      .prepare('SELECT wrapped FROM data_keys WHERE kid = ?')
      .pluck()
      .get('customer:c-erase-1') as string;
    keys.close();
    expect(wrappedKey).toEqual(expect.any(String));

    clock.advanceMinutes(60);
    const erased = await api.request('POST', '/v1/customers/c-erase-1/erase');
    expect(erased).toMatchObject({
      status: 200,
      body: { customerId: 'c-erase-1', erasedAt: clock.now().toISOString(), version: 1 },
    });
    const again = await api.request('POST', '/v1/customers/c-erase-1/erase');
    expect(again.body).toEqual(erased.body);
    const after = erased.body.position;

    for (const [ticketId, opened] of [
      [t1, first],
      [t2, second],
    ] as const) {
      expect(await viewOf(api, ticketId, after)).toMatchObject({
        subject: ERASED,
        customer: { id: 'c-erase-1', name: ERASED, tier: 'vip' },
        version: expect.any(Number),
      });
      const asOfView = await api.request('GET', `/v1/tickets/${ticketId}?asOf=${asOf}`);
      expect(asOfView.body).toMatchObject({ subject: ERASED, customer: { name: ERASED } });
      expect(opened.ticketId).toBe(ticketId);
    }
    const history = await historyOf(api, t1);
    expect(history.map((event) => [event.type, event.data])).toEqual([
      [
        'TicketOpened',
        expect.objectContaining({
          subject: ERASED,
          description: ERASED,
          customer: { id: 'c-erase-1', name: ERASED, tier: 'vip' },
          category: 'billing-dupes',
        }),
      ],
      ['TicketAssigned', { agentId: 'agent-ana', tier: 'L1', auto: false }],
      ['TicketEscalated', expect.objectContaining({ note: ERASED, reason: 'complexity' })],
      ['TicketNoteAdded', { body: ERASED }],
      [
        'TicketResolved',
        expect.objectContaining({ resolution: ERASED, rootCause: 'duplicate-account' }),
      ],
      ['FeedbackReceived', { score: 4, comment: ERASED }],
      ['TicketReopened', { reason: ERASED }],
      ['TicketClosed', { reason: ERASED }],
    ]);
    expect((await api.request('GET', `/v1/tickets/${t1}/post-mortem`)).body).toMatchObject({
      participants: [{ agentId: 'agent-ana', role: ERASED }],
      rootCause: 'duplicate-account',
      wentWell: ERASED,
      toImprove: ERASED,
      actions: [{ actionId: 'a1', description: ERASED, dropReason: ERASED }],
    });
    // The change feed, replayed from the start of the log.
    const replay = await FeedClient.open(api.baseUrl, '/v1/feed?after=0&types=TicketNoteAdded');
    await replay.untilEvents(3);
    await replay.close();
    expect(replay.events.map((message) => message.data.data)).toEqual([
      { body: ERASED },
      { body: ERASED },
      { body: 'Kept note' },
    ]);
    const queue = await api.request('GET', `/v1/queues/L1?after=${after}`);
    expect(queue.body.items.map((item: any) => [item.ticketId, item.subject])).toEqual([
      [t2, ERASED],
      [other.ticketId, 'Another customer’s subject'],
    ]);
    expect((await historyOf(api, other.ticketId))[1].data).toEqual({ body: 'Kept note' });
    const kpisAfter = await api.request('GET', `/v1/kpis/escalations?after=${after}`);
    expect(kpisAfter.body).toEqual(kpisBefore);

    // What is written about them afterwards is not kept; they take no new ticket.
    await accepted(api, t2, 'notes', { body: WRITTEN.laterNote });
    expect((await historyOf(api, t2)).at(-1).data).toEqual({ body: ERASED });
    const refused = await api.request('POST', '/v1/tickets', {
      subject: 'Back again',
      channel: 'email',
      customer: { id: 'c-erase-1' },
      category: 'billing',
    });
    expect(errorOf(refused)).toEqual({ status: 409, code: 'CUSTOMER_ERASED' });

    await api.close({ removeData: false });
    const files = filesUnder(dataDir);
    const bytes = files.map((file) => ({ file, bytes: readFileSync(file) }));
    // The key too, down to any piece of it that could narrow a search.
    const keyPieces = Array.from({ length: wrappedKey.length - 11 }, (_, at) =>
      wrappedKey.slice(at, at + 12),
    );
    const found = [...needles(), ...keyPieces].flatMap((needle) =>
      bytes.filter(({ bytes }) => bytes.includes(needle)).map(({ file }) => `${needle} in ${file}`),
    );
    expect(found).toEqual([]);
    // The scan sees what the files do hold in the clear: ids, categories, root-cause codes.
    for (const clear of ['c-erase-1', 'billing-dupes', 'duplicate-account']) {
      expect(bytes.some(({ bytes }) => bytes.includes(clear))).toBe(true);
    }
    api = await startApi({ dataDir, clock });
    expect((await viewOf(api, t1, after)).subject).toBe(ERASED);
  });

  it('is for admins only, and for customer ids an opening would take', async () => {
    const blank = await api.request('POST', `/v1/customers/${encodeURIComponent(' ')}/erase`);
    expect(errorOf(blank)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    const long = await api.request('POST', `/v1/customers/${'x'.repeat(101)}/erase`);
    expect(errorOf(long)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    const issued = await api.request('POST', '/v1/keys', {
      name: 'supervisor',
      role: 'supervisor',
    });
    const forbidden = await api.request('POST', '/v1/customers/c-1/erase', undefined, {
      authorization: `Bearer ${issued.body.key}`,
    });
    expect(errorOf(forbidden)).toEqual({ status: 403, code: 'FORBIDDEN' });
    const anonymous = await api.request('POST', '/v1/customers/c-1/erase', undefined, {
      authorization: '',
    });
    expect(errorOf(anonymous)).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
  });

  it('is described in the OpenAPI document with every answer it gives', async () => {
    const document = await api.request('GET', '/docs/openapi.json');
    const route = document.body.paths['/v1/customers/{customerId}/erase'].post;

    expect(Object.keys(route.responses).sort()).toEqual([
      '200',
      '400',
      '401',
      '403',
      '409',
      '413',
      '415',
      '422',
      '429',
    ]);
  });

  it('refuses an If-Match, and erases nothing then: a condition refused after the key is gone would leave the customer half erased', async () => {
    const { ticketId } = await openTicket(api, { customer: { id: 'c-7', name: 'Grace' } });

    const conditional = await api.request('POST', '/v1/customers/c-7/erase', undefined, {
      'if-match': '"5"',
    });

    expect(errorOf(conditional)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect((await historyOf(api, ticketId))[0].data.customer).toMatchObject({ name: 'Grace' });
    const another = await api.request('POST', '/v1/tickets', {
      subject: 'Still a customer',
      channel: 'email',
      customer: { id: 'c-7' },
      category: 'billing',
    });
    expect(another.status).toBe(201);
  });

  it('answers an altered ciphertext with 409 PERSONAL_DATA_UNREADABLE, not a server fault', async () => {
    const { ticketId } = await openTicket(api, { customer: { id: 'c-1', name: 'Ada' } });
    const db = new Database(join(dataDir, 'ledger.sqlite'));
    const row = db
      .prepare("SELECT position, data FROM events WHERE stream_id = ? AND type = 'TicketOpened'")
      .get(`ticket-${ticketId}`) as { position: number; data: string };
    const data = JSON.parse(row.data);
    data.subject.ct = Buffer.from('Forged subject').toString('base64');
    db.prepare('UPDATE events SET data = ? WHERE position = ?').run(
      JSON.stringify(data),
      row.position,
    );
    db.close();

    for (const path of [
      `/v1/tickets/${ticketId}/history`,
      `/v1/tickets/${ticketId}?asOf=2030-01-01T00:00:00Z`,
    ]) {
      const answer = await api.request('GET', path);
      expect(errorOf(answer)).toEqual({ status: 409, code: 'PERSONAL_DATA_UNREADABLE' });
      expect(answer.body.error.message).toMatch(
        /subject cannot be read: the ciphertext does not authenticate/,
      );
    }
  });
});
