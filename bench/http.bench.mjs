import autocannon from 'autocannon';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFreshApi } from './lib/fresh-api.mjs';
import { AUTHORIZATION, startServer } from './lib/processes.mjs';
import { QUICK } from './lib/quick.mjs';
import { alternate } from './lib/rounds.mjs';
import { round } from './lib/stats.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const CONNECTIONS = 64;
const DURATION_S = QUICK ? 3 : 10;
const ROUNDS = QUICK ? 2 : 5;

// Every request authenticates, the bare server's too, so both parse the same headers.
const json = { 'content-type': 'application/json', ...AUTHORIZATION };

/**
 * Each connection walks tickets through a realistic life: open, assign,
 * escalate, resolve, feedback; the id comes from the open's answer.
 */
function ticketLife() {
  const onTicket = (req, context) => ({
    ...req,
    path: `/v1/tickets/${context.ticketId}${req.path}`,
  });
  return [
    {
      method: 'POST',
      path: '/v1/tickets',
      headers: json,
      body: JSON.stringify({
        subject: 'Invoices fail to export',
        description: 'The export button spins and nothing is downloaded.',
        channel: 'email',
        customer: { id: 'c-1042', name: 'Acme', tier: 'standard' },
        category: 'billing',
      }),
      onResponse: (status, body, context) => {
        context.ticketId = JSON.parse(body).ticketId;
      },
    },
    {
      method: 'POST',
      path: '/assign',
      headers: json,
      body: '{"agentId":"agent-7"}',
      setupRequest: onTicket,
    },
    {
      method: 'POST',
      path: '/escalate',
      headers: json,
      body: JSON.stringify({
        reason: 'complexity',
        note: 'Cleared the cache and retried: still failing',
      }),
      setupRequest: onTicket,
    },
    {
      method: 'POST',
      path: '/resolve',
      headers: json,
      body: JSON.stringify({ resolution: 'Fixed the export job', escalationNecessary: true }),
      setupRequest: onTicket,
    },
    {
      method: 'POST',
      path: '/feedback',
      headers: json,
      body: '{"score":5}',
      setupRequest: onTicket,
    },
  ];
}

async function load(baseUrl) {
  const result = await autocannon({
    url: baseUrl,
    connections: CONNECTIONS,
    duration: DURATION_S,
    requests: ticketLife(),
  });
  if (result.errors > 0 || result.non2xx > 0) {
    throw new Error(
      `load against ${baseUrl}: ${result.errors} errors, ${result.non2xx} non-2xx answers`,
    );
  }
  return {
    requestsPerSec: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
  };
}

const CONTENDERS = {
  ledger: () => startFreshApi(),
  // Not a target, a measure of the cost of projecting in the request thread:
  // the same API with the projections left to a projector process (none runs here).
  'ledger, PROJECTIONS=off': () => startFreshApi({ PROJECTIONS: 'off' }),
  // The projections in a worker process the API starts: off the request thread, still running.
  'ledger, PROJECTIONS=worker': () => startFreshApi({ PROJECTIONS: 'worker' }),
  // Also a measure: the cost of the SLA clock and the assigner following the log in-process.
  'ledger, AUTOMATION=off': () => startFreshApi({ AUTOMATION: 'off' }),
  'bare fastify': () => startServer(join(here, 'http', 'bare-server.mjs')),
};

export async function run() {
  const measured = await alternate(Object.keys(CONTENDERS), ROUNDS, async (name) => {
    const server = await CONTENDERS[name]();
    try {
      return await load(server.baseUrl);
    } finally {
      await server.stop();
    }
  });
  const ledger = measured.ledger;
  const bare = measured['bare fastify'];
  const ratio = round(ledger.requestsPerSec.median / bare.requestsPerSec.median);
  const rows = Object.entries(measured).map(([name, m]) => ({
    contender: name,
    'requests/s': round(m.requestsPerSec.median, 0),
    'spread %': m.requestsPerSec.spreadPct,
    'p50 ms': m.p50.median,
    'p99 ms': m.p99.median,
  }));
  return {
    title: `Commands over HTTP: ${CONNECTIONS} connections, open/assign/escalate/resolve/feedback, ${ROUNDS} × ${DURATION_S} s`,
    rows,
    checks: [
      {
        name: 'ledger / bare Fastify requests/s',
        value: ratio,
        target: '≥ 0.5',
        met: ratio >= 0.5,
      },
      {
        name: 'ledger p99 ms',
        value: ledger.p99.median,
        target: '≤ 25',
        met: ledger.p99.median <= 25,
      },
    ],
    data: measured,
  };
}
