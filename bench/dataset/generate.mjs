import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { QUICK } from '../lib/quick.mjs';
import { Random } from './prng.mjs';
import { DIST, domain, eventStore, projectToHead } from './product.mjs';
import { planTicket } from './ticket-life.mjs';

export const DATA_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '.data');
export const DATABASE_FILE = 'ledger.sqlite';

const DAY = 86_400_000;
const SIMULATED_DAYS = 90;
const SIMULATION_START = Date.parse('2025-01-06T00:00:00.000Z');
/** Appends issued before waiting: group commit writes each window in one transaction. */
const APPEND_WINDOW = 4000;
const SAMPLE_IDS = 2000;

/** 200,000 tickets (~1M events); `BENCH_QUICK=1` makes it 20,000 for smoke runs. */
export function defaultTickets() {
  return QUICK ? 20_000 : 200_000;
}

function log(message) {
  console.log(`[dataset] ${message}`);
}

/** What a generated data set's folder holds besides its database: its size, sample ids, and how it was made. */
export function readManifest(dir) {
  return JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
}

/**
 * The folder of a generated log (`ledger.sqlite` plus `manifest.json`),
 * generated on first use and cached under `bench/.data/` by size and seed.
 * `projected: true` gives a copy whose read models are caught up with the log,
 * re-projected whenever the compiled projection or read-store code changes.
 */
/**
 * Raised when what the generator writes changes, so a cached log is not
 * reused (2: openings carry SLA terms; 3: events carry their chain hash).
 */
const LOG_FORMAT = 3;

export async function ensureDataset({
  tickets = defaultTickets(),
  seed = 42,
  projected = false,
} = {}) {
  const name = `tickets-${tickets}-seed-${seed}-format-${LOG_FORMAT}`;
  const raw = join(DATA_ROOT, name);
  if (!existsSync(join(raw, 'manifest.json'))) {
    await build(raw, (partial) => generateLog(partial, { tickets, seed }));
  }
  if (!projected) return raw;

  const fingerprint = projectionFingerprint();
  const dir = join(DATA_ROOT, `${name}-projected`);
  const manifestFile = join(dir, 'manifest.json');
  if (existsSync(manifestFile)) {
    const manifest = readManifest(dir);
    if (manifest.projectionFingerprint === fingerprint) return dir;
    log(`${name}: the projection code changed since it was projected; projecting again`);
    rmSync(dir, { recursive: true, force: true });
  }
  await build(dir, async (partial) => {
    cpSync(join(raw, DATABASE_FILE), join(partial, DATABASE_FILE));
    const manifest = readManifest(raw);
    const projection = await projectWithProgress(join(partial, DATABASE_FILE));
    return { ...manifest, projection, projectionFingerprint: fingerprint };
  });
  return dir;
}

/** Fills `<dir>.partial`, then renames it: an interrupted run leaves no half data set behind. */
async function build(dir, fill) {
  const partial = `${dir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  const manifest = await fill(partial);
  writeFileSync(join(partial, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  rmSync(dir, { recursive: true, force: true });
  renameSync(partial, dir);
  const size = statSync(join(dir, DATABASE_FILE)).size;
  log(`${relative(process.cwd(), dir)} ready (${Math.round(size / 2 ** 20)} MiB)`);
}

/** Changes when anything that decides what the stored read models look like changes. */
function projectionFingerprint() {
  const hash = createHash('sha256');
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.js'))
        hash.update(path.slice(DIST.length)).update(readFileSync(path));
    }
  };
  for (const dir of ['projections', 'libs/read-store/src', 'libs/domain/src'])
    walk(join(DIST, dir));
  return hash.digest('hex').slice(0, 16);
}

/** Which tickets stay open: exactly `count`, later tickets likelier (a backlog is recent). */
function chooseOpenTickets(tickets, count, seed) {
  const r = new Random(seed ^ 0x9e3779b9);
  // Efraimidis–Spirakis weighted sampling without replacement: the `count` largest u^(1/w).
  const keys = new Float64Array(tickets);
  for (let i = 0; i < tickets; i++) keys[i] = Math.pow(r.next(), 1 / (0.35 + (1.3 * i) / tickets));
  const order = Array.from({ length: tickets }, (_, i) => i).sort((a, b) => keys[b] - keys[a]);
  const open = new Uint8Array(tickets);
  for (let i = 0; i < count; i++) open[order[i]] = 1;
  return open;
}

/** A min-heap of tickets by the instant of their next command. */
class Agenda {
  items = [];

  get size() {
    return this.items.length;
  }

  peek() {
    return this.items[0];
  }

  static before(a, b) {
    return a.at < b.at || (a.at === b.at && a.ordinal < b.ordinal);
  }

  push(item) {
    const items = this.items;
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!Agenda.before(items[i], items[parent])) break;
      [items[i], items[parent]] = [items[parent], items[i]];
      i = parent;
    }
  }

  pop() {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < items.length && Agenda.before(items[left], items[smallest])) smallest = left;
        if (right < items.length && Agenda.before(items[right], items[smallest])) smallest = right;
        if (smallest === i) break;
        [items[i], items[smallest]] = [items[smallest], items[i]];
        i = smallest;
      }
    }
    return top;
  }
}

/**
 * Simulates ~90 days of a support desk: tickets arrive, and every command of
 * every ticket's plan is sent at its instant, in time order across tickets,
 * through the real decider, and appended to the real SqliteEventStore.
 */
async function generateLog(dir, { tickets, seed }) {
  const { createTicketDecider, ticketStreamId } = domain();
  const { SqliteEventStore } = eventStore();
  const started = Date.now();
  const decider = createTicketDecider();
  const store = SqliteEventStore.open(join(dir, DATABASE_FILE));
  const r = new Random(seed);
  const endsOpen = chooseOpenTickets(tickets, Math.floor(tickets / 2), seed);
  const meanGap = (SIMULATED_DAYS * DAY) / tickets;
  const agenda = new Agenda();
  const ids = [];
  const eventsByType = {};
  const finalStatus = {};
  let events = 0;
  let refused = 0;
  let noChange = 0;
  let arrived = 0;
  let nextArrival = SIMULATION_START + r.exponential(meanGap);
  let pending = [];
  let lastAt = 0;
  let reported = 0;

  log(`generating ${tickets} tickets (seed ${seed}) into ${relative(process.cwd(), dir)}`);
  const send = (ticket, { at, actor, command }) => {
    let decided;
    try {
      decided = decider.decide(command, ticket.state);
    } catch (error) {
      refused++;
      if (refused <= 5) log(`refused ${command.type}: ${error.message}`);
      return;
    }
    if (decided.length === 0) {
      noChange++;
      return;
    }
    const occurredAt = new Date(at).toISOString();
    const correlationId = r.uuid();
    const causationId = r.uuid();
    const expected = ticket.state ? ticket.state.version : 'no_stream';
    const newEvents = decided.map((event) => ({
      type: event.type,
      data: event.data,
      metadata: {
        eventId: r.uuid(),
        occurredAt,
        actor,
        correlationId,
        causationId,
        // Appended below the layer that seals personal data: in the clear, as schema 1 was.
        schemaVersion: 1,
      },
    }));
    for (const event of decided) {
      ticket.state = decider.evolve(ticket.state, { ...event, occurredAt });
      eventsByType[event.type] = (eventsByType[event.type] ?? 0) + 1;
    }
    events += decided.length;
    lastAt = at;
    // Not awaited: the whole window joins one group-committed transaction.
    pending.push(store.append(ticket.streamId, newEvents, expected));
  };

  while (arrived < tickets || agenda.size > 0) {
    if (arrived < tickets && (agenda.size === 0 || nextArrival <= agenda.peek().at)) {
      const ticketId = r.uuid();
      const steps = planTicket(r, ticketId, Math.round(nextArrival), endsOpen[arrived] === 1);
      ids.push(ticketId);
      agenda.push({
        streamId: ticketStreamId(ticketId),
        state: null,
        steps,
        next: 0,
        ordinal: arrived,
        at: steps[0].at,
      });
      arrived++;
      nextArrival += r.exponential(meanGap);
      continue;
    }
    const ticket = agenda.pop();
    send(ticket, ticket.steps[ticket.next++]);
    if (ticket.next < ticket.steps.length) {
      ticket.at = ticket.steps[ticket.next].at;
      agenda.push(ticket);
    } else if (ticket.state) {
      finalStatus[ticket.state.status] = (finalStatus[ticket.state.status] ?? 0) + 1;
    }
    if (pending.length >= APPEND_WINDOW) {
      await Promise.all(pending);
      pending = [];
      if (events - reported >= 100_000) {
        reported = events;
        const seconds = (Date.now() - started) / 1000;
        log(
          `${events} events, ${arrived}/${tickets} tickets, simulated ${new Date(lastAt).toISOString().slice(0, 10)}, ${Math.round(events / seconds)} events/s`,
        );
      }
    }
  }
  await Promise.all(pending);
  const { transactions, appends } = store.stats;
  await store.close();

  const open =
    (finalStatus.open ?? 0) + (finalStatus.in_progress ?? 0) + (finalStatus.pending ?? 0);
  if (refused > 0 || open !== Math.floor(tickets / 2)) {
    throw new Error(`Generation went wrong: ${refused} commands refused, ${open} tickets open`);
  }
  const sampler = new Random(seed ^ 0x2545f491);
  const sampleTicketIds = Array.from({ length: Math.min(SAMPLE_IDS, ids.length) }, () =>
    sampler.pick(ids),
  );
  const generatedInMs = Date.now() - started;
  log(
    `${events} events for ${tickets} tickets in ${(generatedInMs / 1000).toFixed(1)} s ` +
      `(${appends} appends in ${transactions} transactions)`,
  );
  return {
    tickets,
    seed,
    events,
    openTickets: open,
    finalStatus,
    eventsByType,
    commandsWithoutEvents: noChange,
    firstOccurredAt: new Date(SIMULATION_START).toISOString(),
    lastOccurredAt: new Date(lastAt).toISOString(),
    generatedInMs,
    appendTransactions: transactions,
    sampleTicketIds,
  };
}

/** Projects the copy of the log in `file` to its head, logging progress. */
async function projectWithProgress(file) {
  log(`projecting the log in ${relative(process.cwd(), file)} with every projection`);
  const { head, ms } = await projectToHead(file, {
    onProgress: (report) =>
      log(`  ${report.map((p) => `${p.name} ${p.position ?? 0}`).join(', ')}`),
  });
  log(`projected ${head} events in ${(ms / 1000).toFixed(1)} s`);
  return { head, projectedInMs: Math.round(ms) };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const option = (name, fallback) => {
    const at = args.indexOf(`--${name}`);
    return at === -1 ? fallback : Number(args[at + 1]);
  };
  const dir = await ensureDataset({
    tickets: option('tickets', defaultTickets()),
    seed: option('seed', 42),
    projected: args.includes('--projected'),
  });
  console.log(dir);
}
