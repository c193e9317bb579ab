import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { AUTHORIZATION } from '../lib/processes.mjs';

const NOTES_PER_TICKET = 7;

export function post(port, agent, path, body) {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        agent,
        headers: {
          ...AUTHORIZATION,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
        },
      },
      (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (response.statusCode >= 300) {
            reject(new Error(`POST ${path} answered ${response.statusCode}: ${text}`));
          } else resolve(JSON.parse(text));
        });
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}

/** POST /v1/tickets with the workload's `n`th opening: its customer, subject and text. */
export function openTicket(port, agent, workload, n) {
  const opening = workload.event(n, 0).data;
  return post(port, agent, '/v1/tickets', {
    subject: opening.subject,
    description: opening.description,
    channel: opening.channel,
    customer: { id: opening.customer.id, name: opening.customer.name },
    category: opening.category,
    priority: opening.priority,
  });
}

/**
 * `connections` clients, each opening a ticket for a customer of its own and
 * adding notes to it, one command at a time, until the deadline: the
 * workload of the store half, over HTTP. Resolves with commands per second.
 */
export async function driveCommands({ port, connections, durationMs, workload }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  let commands = 0;
  const started = performance.now();
  const deadline = started + durationMs;
  const client = async (index) => {
    let n = index;
    while (performance.now() < deadline) {
      const { ticketId } = await openTicket(port, agent, workload, n);
      commands += 1;
      for (let note = 1; note <= NOTES_PER_TICKET && performance.now() < deadline; note++) {
        await post(port, agent, `/v1/tickets/${ticketId}/notes`, {
          body: workload.event(n + note, note).data.body,
        });
        commands += 1;
      }
      n += connections;
    }
  };
  await Promise.all(Array.from({ length: connections }, (_, index) => client(index)));
  agent.destroy();
  return commands / ((performance.now() - started) / 1000);
}
