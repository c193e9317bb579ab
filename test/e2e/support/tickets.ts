import { randomUUID } from 'node:crypto';
import type { HttpAnswer, HttpClient } from '../../support/http-client';

/** What every ticket command answers. */
export interface CommandAnswer {
  ticketId: string;
  version: number;
  position: string;
}

export type TicketAction =
  'assign' | 'escalate' | 'resolve' | 'feedback' | 'status' | 'notes' | 'reopen' | 'close';

/** A valid body for each command, for tests where the body is not the point. */
export const SAMPLE_BODIES: Record<TicketAction, Record<string, unknown>> = {
  assign: { agentId: 'agent-sample' },
  escalate: { reason: 'complexity', note: 'Tried the runbook' },
  resolve: { resolution: 'Fixed' },
  feedback: { score: 4 },
  status: { status: 'in_progress' },
  notes: { body: 'Looked at the logs' },
  reopen: { reason: 'Came back' },
  close: { reason: 'Done' },
};

export const TICKET_ACTIONS = Object.keys(SAMPLE_BODIES) as TicketAction[];

export interface OpenTicketBody {
  ticketId?: string;
  subject?: string;
  description?: string;
  channel?: string;
  customer?: { id: string; name?: string; tier?: 'standard' | 'vip' };
  category?: string;
  priority?: 'urgent' | 'high' | 'medium' | 'low';
}

/** The body of a valid open: an ordinary, medium-priority ticket unless overridden. */
export function openBody(overrides: OpenTicketBody = {}): OpenTicketBody {
  return {
    ticketId: randomUUID(),
    subject: 'Cannot sign in',
    channel: 'email',
    customer: { id: 'cust-1' },
    category: 'access',
    ...overrides,
  };
}

/** The body of a valid open that leaves the ticket id to the server. */
export function openBodyWithoutId(
  overrides: Omit<OpenTicketBody, 'ticketId'> = {},
): OpenTicketBody {
  const body = openBody(overrides);
  delete body.ticketId;
  return body;
}

/** Opens a ticket and fails the test unless it is created. */
export async function openTicket(
  api: HttpClient,
  overrides: OpenTicketBody = {},
  headers?: Record<string, string>,
): Promise<CommandAnswer> {
  const answer = await api.request('POST', '/v1/tickets', openBody(overrides), headers);
  expect(answer.status).toBe(201);
  return answer.body;
}

export function command(
  api: HttpClient,
  ticketId: string,
  action: TicketAction,
  body: unknown = SAMPLE_BODIES[action],
  headers?: Record<string, string>,
): Promise<HttpAnswer<CommandAnswer>> {
  return api.request('POST', `/v1/tickets/${ticketId}/${action}`, body, headers);
}

/** Sends a command and fails the test unless it is accepted. */
export async function accepted(
  api: HttpClient,
  ticketId: string,
  action: TicketAction,
  body: unknown = SAMPLE_BODIES[action],
  headers?: Record<string, string>,
): Promise<CommandAnswer> {
  const answer = await command(api, ticketId, action, body, headers);
  if (answer.status !== 200) {
    throw new Error(`${action} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  }
  return answer.body;
}

/** The ticket view once the read model has the given position. */
export async function viewOf(api: HttpClient, ticketId: string, after: string): Promise<any> {
  const answer = await api.request('GET', `/v1/tickets/${ticketId}?after=${after}`);
  expect(answer.status).toBe(200);
  return answer.body;
}

/** All the ticket's events, straight from the log, page after page. */
export async function historyOf(api: HttpClient, ticketId: string): Promise<any[]> {
  const events: any[] = [];
  let after = 0;
  for (;;) {
    const answer = await api.request('GET', `/v1/tickets/${ticketId}/history?after=${after}`);
    expect(answer.status).toBe(200);
    events.push(...answer.body.events);
    if (answer.body.next === undefined) return events;
    after = answer.body.next;
  }
}

/** Opens a ticket and answers the priority it got, with the reason recorded in its history. */
export async function openedPriority(
  api: HttpClient,
  overrides: OpenTicketBody,
): Promise<{ priority: string; reason: string }> {
  const opened = await openTicket(api, overrides);
  const view = await viewOf(api, opened.ticketId, opened.position);
  const [openedEvent] = await historyOf(api, opened.ticketId);
  return { priority: view.priority, reason: openedEvent.data.priorityReason };
}
