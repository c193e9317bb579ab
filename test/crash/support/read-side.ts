import { TIERS } from '@ledger/domain';
import { KPI_GROUPINGS } from '@ledger/projections';
import type { ApiProcess } from '../../support/api-process';

/** Everything the read models answer over HTTP for the given tickets. */
export interface ReadSide {
  queues: Record<string, unknown[]>;
  workloads: unknown;
  kpis: Record<string, unknown>;
  tickets: Record<string, unknown>;
  agents: unknown;
  alerts: unknown;
  postMortems: Record<string, unknown>;
}

const POST_MORTEM_STATES = ['missing', 'open', 'complete'] as const;

async function ok(api: ApiProcess, path: string): Promise<any> {
  const answer = await api.request('GET', path);
  if (answer.status !== 200) {
    throw new Error(`GET ${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  }
  return answer.body;
}

/** Every page of a tier's queue, followed through nextCursor. */
async function wholeQueue(api: ApiProcess, tier: string): Promise<unknown[]> {
  const items: unknown[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const page = await ok(api, `/v1/queues/${tier}?limit=500${query}`);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

/** Every page of one post-mortem list, without the instant each page was answered at. */
async function wholePostMortemList(api: ApiProcess, state: string): Promise<unknown[]> {
  const items: unknown[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor ? `&cursor=${cursor}` : '';
    const page = await ok(api, `/v1/post-mortems?state=${state}&limit=500${query}`);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

export async function readSide(api: ApiProcess, ticketIds: readonly string[]): Promise<ReadSide> {
  const queues: ReadSide['queues'] = {};
  for (const tier of TIERS) queues[tier] = await wholeQueue(api, tier);
  const kpis: ReadSide['kpis'] = { totals: await ok(api, '/v1/kpis/escalations') };
  for (const grouping of KPI_GROUPINGS) {
    kpis[grouping] = await ok(api, `/v1/kpis/escalations?groupBy=${grouping}`);
  }
  const tickets: ReadSide['tickets'] = {};
  for (const id of ticketIds) tickets[id] = await ok(api, `/v1/tickets/${id}`);
  const postMortems: ReadSide['postMortems'] = {};
  for (const state of POST_MORTEM_STATES)
    postMortems[state] = await wholePostMortemList(api, state);
  // Without the instant the answer was given at.
  const alerts = await ok(api, '/v1/alerts?limit=500');
  delete alerts.at;
  return {
    queues,
    workloads: await ok(api, '/v1/workloads'),
    kpis,
    tickets,
    agents: await ok(api, '/v1/agents'),
    alerts,
    postMortems,
  };
}

export interface ProjectionState {
  name: string;
  position: string | null;
  status: string;
  error?: string;
}

/**
 * Waits until every projection is live at `head` or beyond. A failed
 * projection ends the wait at once: it is what the test is looking for.
 */
export async function projectionsAt(
  api: ApiProcess,
  head: string,
  timeoutMs = 60_000,
): Promise<ProjectionState[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const projections: ProjectionState[] = await ok(api, '/v1/projections');
    const failed = projections.filter((projection) => projection.status === 'failed');
    if (failed.length > 0) throw new Error(`Failed projections: ${JSON.stringify(failed)}`);
    const done = projections.every(
      (projection) =>
        projection.status === 'live' &&
        projection.position !== null &&
        BigInt(projection.position) >= BigInt(head),
    );
    if (done) return projections;
    if (Date.now() > deadline) {
      throw new Error(`Projections not live at ${head}: ${JSON.stringify(projections)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
