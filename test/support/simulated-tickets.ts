import { nth } from './elements';
import type { TestApp } from './test-app';
import type { TestClock } from './test-clock';

/** A small, seeded random source (mulberry32): the same seed gives the same tickets. */
function randomSource(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MINUTE = 60_000;
const DAY = 1440 * MINUTE;

const CATEGORIES = ['billing', 'access', 'payments', 'shipping', 'account', 'integrations'];
const CHANNELS = ['email', 'chat', 'phone', 'web', 'social'];
const PRIORITIES = ['low', 'medium', 'medium', 'medium', 'high', 'urgent'];
const L1_AGENTS = ['ana', 'bo', 'chen', 'dara'];
const L2_AGENTS = ['eli', 'fay'];
const REASONS = [
  'complexity',
  'complexity',
  'complexity',
  'authorization',
  'customer_request',
  'crisis',
  'other',
];
/** Weighted so a few causes make most escalations, as root causes tend to. */
const ROOT_CAUSES = [
  'expired-credentials',
  'expired-credentials',
  'expired-credentials',
  'expired-credentials',
  'config-error',
  'config-error',
  'config-error',
  'known-bug',
  'known-bug',
  'missing-permission',
  'payment-provider-outage',
  'user-error',
];

interface Step {
  at: number;
  ticket: number;
  path: string;
  body: Record<string, unknown>;
}

export interface SimulationOptions {
  tickets: number;
  /** Tickets are opened over the `days` days before `until`. */
  days: number;
  until: number;
  seed?: number;
}

/**
 * Opens, assigns, escalates, resolves and rates tickets over HTTP, each
 * command at its own instant on the test clock, all in time order: a month
 * of a support desk for the dashboard to show. The escalation rate drifts
 * around 15 % from day to day; recent tickets are more often still open.
 */
export async function simulateTickets(
  api: TestApp,
  clock: TestClock,
  options: SimulationOptions,
): Promise<{ commands: number }> {
  const random = randomSource(options.seed ?? 7);
  const pick = <T>(items: readonly T[]): T => nth(items, Math.floor(random() * items.length));
  const start = options.until - options.days * DAY;
  const steps: Step[] = [];
  const ids: string[] = [];
  for (let ticket = 0; ticket < options.tickets; ticket++) {
    const hex = (digits: number) =>
      Array.from({ length: digits }, () => Math.floor(random() * 16).toString(16)).join('');
    const id = `${hex(8)}-${hex(4)}-4${hex(3)}-8${hex(3)}-${hex(12)}`;
    ids.push(id);
    const opened = start + random() * (options.until - start - 2 * 60 * MINUTE);
    const day = (opened - start) / DAY;
    const escalationChance = 0.15 + 0.08 * Math.sin(day / 3.5);
    const vip = random() < 0.1;
    steps.push({
      at: opened,
      ticket,
      path: '/v1/tickets',
      body: {
        ticketId: id,
        subject: `${pick(['Cannot', 'Unable to', 'Problem when trying to'])} ${pick(['sign in', 'pay', 'export invoices', 'reset a password', 'track an order', 'connect the API'])}`,
        channel: pick(CHANNELS),
        customer: { id: `c-${Math.floor(random() * 80)}`, tier: vip ? 'vip' : 'standard' },
        category: pick(CATEGORIES),
        priority: pick(PRIORITIES),
      },
    });
    let at = opened + (5 + random() * 90) * MINUTE;
    steps.push({ at, ticket, path: 'assign', body: { agentId: pick(L1_AGENTS) } });
    const escalations = random() < escalationChance ? (random() < 0.2 ? 2 : 1) : 0;
    for (let escalation = 0; escalation < escalations; escalation++) {
      at += (20 + random() * 240) * MINUTE;
      steps.push({
        at,
        ticket,
        path: 'escalate',
        body: { reason: pick(REASONS), note: 'Followed the runbook; needs the next tier' },
      });
      at += (10 + random() * 60) * MINUTE;
      steps.push({ at, ticket, path: 'assign', body: { agentId: pick(L2_AGENTS) } });
    }
    const recent = options.until - opened < 2 * DAY;
    if (random() < (recent ? 0.45 : 0.93)) {
      at += (15 + random() * (escalations > 0 ? 1800 : 600)) * MINUTE;
      if (at >= options.until) continue;
      steps.push({
        at,
        ticket,
        path: 'resolve',
        body: {
          resolution: 'Fixed and confirmed with the customer',
          ...(escalations > 0 && {
            rootCause: pick(ROOT_CAUSES),
            escalationNecessary: random() < 0.8,
          }),
        },
      });
      if (random() < 0.55) {
        at += (30 + random() * 600) * MINUTE;
        if (at >= options.until) continue;
        const score = Math.max(
          1,
          Math.min(5, Math.round(4.3 - escalations * 0.8 + (random() - 0.5) * 2.5)),
        );
        steps.push({ at, ticket, path: 'feedback', body: { score } });
      }
    }
  }
  steps.sort((a, b) => a.at - b.at);
  for (const step of steps) {
    clock.set(new Date(step.at).toISOString());
    const path = step.path.startsWith('/')
      ? step.path
      : `/v1/tickets/${ids[step.ticket]}/${step.path}`;
    const answer = await api.request('POST', path, step.body);
    if (answer.status !== 200 && answer.status !== 201) {
      throw new Error(`${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    }
  }
  return { commands: steps.length };
}
