import { randomUUID } from 'node:crypto';
import { nth } from '../../support/elements';
import type { ApiProcess } from '../../support/api-process';

/**
 * One command request. Its Idempotency-Key doubles as its correlation id, so
 * the history shows which events a request caused.
 */
export interface SentCommand {
  path: string;
  body: unknown;
  key: string;
}

/** A command the API answered with a 2xx: it promised the events are in the log. */
export interface Acknowledged extends SentCommand {
  ticketId: string;
  version: number;
  position: string;
}

export interface LoadReport {
  acknowledged: Acknowledged[];
  /** Requests the kill cut off: the client never learnt whether they were applied. */
  inFlight: SentCommand[];
  /** Answers no client should get (5xx, 4xx other than rule refusals), and errors before the kill. */
  unexpected: string[];
}

export interface CommandLoad {
  /** Call right before killing the server: from then on, failed requests are expected. */
  killing(): void;
  /** Resolves when every client has stopped, which they do once the server is gone. */
  finished: Promise<LoadReport>;
}

export type SendOutcome =
  | { kind: 'acknowledged'; ack: Acknowledged }
  | { kind: 'refused' }
  | { kind: 'unexpected'; message: string };

const pick = <T>(values: readonly T[]): T => nth(values, Math.floor(Math.random() * values.length));

/** Sends a command with its key; throws when the server does not answer. */
export async function sendCommand(api: ApiProcess, command: SentCommand): Promise<SendOutcome> {
  const answer = await api.request('POST', command.path, command.body, {
    'idempotency-key': command.key,
    'x-correlation-id': command.key,
  });
  if (answer.status >= 200 && answer.status < 300) {
    const { ticketId, version, position } = answer.body;
    return { kind: 'acknowledged', ack: { ...command, ticketId, version, position } };
  }
  // A rule refused it: legitimate under random commands.
  if (answer.status === 409) return { kind: 'refused' };
  return {
    kind: 'unexpected',
    message: `${command.path} -> ${answer.status} ${JSON.stringify(answer.body)}`,
  };
}

function anAction(ticketId: string): Omit<SentCommand, 'key'> {
  const at = (action: string) => `/v1/tickets/${ticketId}/${action}`;
  return pick<() => Omit<SentCommand, 'key'>>([
    () => ({ path: at('assign'), body: { agentId: pick(['ana', 'ben', 'chen', 'dee']) } }),
    () => ({ path: at('escalate'), body: { reason: 'complexity', note: 'tried a restart' } }),
    () => ({ path: at('notes'), body: { body: 'still looking' } }),
    () => ({
      path: at('resolve'),
      body: { resolution: 'fixed', escalationNecessary: Math.random() < 0.5 },
    }),
    () => ({ path: at('status'), body: { status: pick(['in_progress', 'pending']) } }),
    () => ({ path: at('reopen'), body: { reason: 'came back' } }),
  ])();
}

/**
 * `clients` loops, each opening tickets and sending them commands; now and
 * then a note goes to another client's ticket, so writers also race on one
 * stream. Runs until the server stops answering.
 */
export function startCommandLoad(api: ApiProcess, clients: number): CommandLoad {
  const acknowledged: Acknowledged[] = [];
  const inFlight: SentCommand[] = [];
  const unexpected: string[] = [];
  let killed = false;

  /** True while the server answers. */
  async function send(request: Omit<SentCommand, 'key'>): Promise<boolean> {
    const command = { ...request, key: randomUUID() };
    try {
      const outcome = await sendCommand(api, command);
      if (outcome.kind === 'acknowledged') acknowledged.push(outcome.ack);
      if (outcome.kind === 'unexpected') unexpected.push(outcome.message);
      return true;
    } catch (error) {
      if (killed) inFlight.push(command);
      else unexpected.push(`${command.path} -> ${String(error)}`);
      return false;
    }
  }

  async function client(): Promise<void> {
    while (!killed) {
      const ticketId = randomUUID();
      const opened = await send({
        path: '/v1/tickets',
        body: {
          ticketId,
          subject: pick(['Cannot log in', 'Site down', 'Refund please']),
          channel: pick(['email', 'chat', 'phone']),
          customer: { id: pick(['c-1', 'c-2']), tier: pick(['standard', 'vip']) },
          category: pick(['account', 'billing']),
        },
      });
      if (!opened) return;
      for (let step = 0; step < 8; step++) {
        const other = acknowledged.length > 0 && Math.random() < 0.15;
        const action = other
          ? {
              path: `/v1/tickets/${pick(acknowledged).ticketId}/notes`,
              body: { body: 'seen this too' },
            }
          : anAction(ticketId);
        if (!(await send(action))) return;
      }
    }
  }

  const finished = Promise.all(Array.from({ length: clients }, client)).then(() => ({
    acknowledged,
    inFlight,
    unexpected,
  }));
  return {
    killing: () => {
      killed = true;
    },
    finished,
  };
}
