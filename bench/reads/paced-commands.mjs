import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { APPENDS_PER_STREAM as COMMANDS_PER_TICKET } from '../appends/workload.mjs';
import { openTicket, post } from '../encryption/commands.mjs';

/** The tickets notes go to: the newest opened, each getting about seven notes. */
const OPEN_TICKETS_NOTED = 256;
/** Commands waiting for their answer past which the next ones due are skipped (and counted). */
const MOST_IN_FLIGHT = 256;
const TICK_MS = 5;

/**
 * Commands sent at a steady rate whatever the answers' pace (an open loop, as
 * clients arrive in real life): tickets opened for the workload's customers
 * and notes added to them. `stop()` waits for the answers still due and
 * resolves with what was sent, answered, refused and skipped.
 */
export function paceCommands({ port, ratePerSec, workload }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const tickets = [];
  const counts = { started: 0, answered: 0, failed: 0, skipped: 0 };
  let inFlight = 0;
  let firstFailure;
  const started = performance.now();

  const command = async (n) => {
    if (n % COMMANDS_PER_TICKET === 0 || tickets.length === 0) {
      const { ticketId } = await openTicket(port, agent, workload, n);
      tickets.push(ticketId);
      if (tickets.length > OPEN_TICKETS_NOTED) tickets.shift();
      return;
    }
    const ticketId = tickets[n % tickets.length];
    await post(port, agent, `/v1/tickets/${ticketId}/notes`, {
      body: workload.event(n, 1).data.body,
    });
  };

  const timer = setInterval(() => {
    const due = Math.floor(((performance.now() - started) / 1000) * ratePerSec);
    while (counts.started + counts.skipped < due) {
      if (inFlight >= MOST_IN_FLIGHT) {
        counts.skipped++;
        continue;
      }
      const n = counts.started++;
      inFlight++;
      command(n)
        .then(
          () => counts.answered++,
          (error) => {
            counts.failed++;
            firstFailure ??= error;
          },
        )
        .finally(() => inFlight--);
    }
  }, TICK_MS);

  return {
    async stop() {
      clearInterval(timer);
      const seconds = (performance.now() - started) / 1000;
      // Answered while it ran: those still awaited at the stop do not count.
      const answeredInTime = counts.answered;
      while (inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 10));
      agent.destroy();
      return {
        ...counts,
        seconds,
        answeredPerSec: answeredInTime / seconds,
        firstFailure: firstFailure && String(firstFailure.message ?? firstFailure),
      };
    },
  };
}
