import { randomBytes } from 'node:crypto';
import {
  MongoClient,
  MongoServerError,
  type ClientSession,
  type Collection,
  type Db,
  type Document,
} from 'mongodb';
import { emptyTally, type EscalationTallies, type KpiGrouping } from '@ledger/domain';
import {
  type AgentDocument,
  type AlertDocument,
  type EscalationFacts,
  type PostMortemDocument,
  type ProjectionName,
  type ReadModelDocuments,
  type TicketDocument,
  type TicketReadModel,
} from '../read-models';
import type { PostMortemTrigger, Priority } from '@ledger/domain';
import {
  LeaseLostError,
  UnknownGenerationError,
  type CohortRange,
  type DocumentChange,
  type GenerationInfo,
  type LeaseHold,
  type OverdueActions,
  type PostMortemSearch,
  type ProjectionRegistration,
  type QueueQuery,
  type ReadStore,
  type TicketSearch,
  type TierWorkload,
} from '../read-store';
import { PostMortemCounter, type PostMortemCountsOfGroup } from '../post-mortem-facts';
import { tierWorkloads, type AgentLoadRow, type TierTotalsRow } from '../tier-workloads';
import {
  collectionName,
  encodeDocument,
  generationOfCollection,
  indexesOf,
  type StoredDocument,
} from './mongo-documents';
import { NoTransactionsError, whyNoTransactions } from './mongo-deployment';
import { claimCommand, heldFilter, type LeaseDocument } from './mongo-leases';
import { postMortemFilter } from './mongo-post-mortem-filter';
import { QUEUE_ORDER, queueFilter } from './mongo-queue-filter';
import { SEARCH_ORDER, ticketSearchFilter } from './mongo-ticket-search';
import {
  cohortFilter,
  durationsQuery,
  rootCausePipeline,
  talliesOf,
  tallyPipeline,
} from './mongo-tallies';

interface RegistrationDocument {
  _id: string;
  name: ProjectionName;
  generation: number;
  projectionVersion: number;
  position: string | null;
  state: 'active' | 'building';
}

interface CounterDocument {
  _id: string;
  last: number;
}

interface SecretDocument {
  _id: string;
  value: string;
}

export interface MongoReadStoreOptions {
  /** The database holding the read models. */
  database: string;
  /** How long to look for a server before an operation fails. */
  serverSelectionTimeoutMs?: number;
}

const DUPLICATE_KEY = 11000;

function isDuplicateKey(error: unknown): boolean {
  return error instanceof MongoServerError && error.code === DUPLICATE_KEY;
}

function toInfo(row: RegistrationDocument): GenerationInfo {
  return {
    name: row.name,
    generation: row.generation,
    projectionVersion: row.projectionVersion,
    position: row.position ?? undefined,
  };
}

/**
 * Read models in MongoDB, one collection per read model and generation
 * (`rm_<model>_g<generation>`), registered in `rm_generations`. A batch's
 * documents and its checkpoint are written in one transaction, so MongoDB
 * must run as a replica set (one node is enough).
 */
export class MongoReadStore implements ReadStore {
  private readonly generations: Collection<RegistrationDocument>;
  private readonly counters: Collection<CounterDocument>;
  private readonly leases: Collection<LeaseDocument>;
  private readonly secrets: Collection<SecretDocument>;

  private constructor(
    private readonly client: MongoClient,
    private readonly db: Db,
  ) {
    this.generations = db.collection('rm_generations');
    this.counters = db.collection('rm_generation_counters');
    this.leases = db.collection('rm_leases');
    this.secrets = db.collection('rm_secrets');
  }

  /**
   * Connects to `url` and prepares the registry; fails if no server answers,
   * and with a NoTransactionsError if the server runs no transactions.
   */
  static async connect(url: string, options: MongoReadStoreOptions): Promise<MongoReadStore> {
    const client = new MongoClient(url, {
      serverSelectionTimeoutMS: options.serverSelectionTimeoutMs ?? 10_000,
      // Documents read back as they were written, as JSON would: no field set to null.
      ignoreUndefined: true,
    });
    await client.connect();
    try {
      const problem = whyNoTransactions(await client.db('admin').command({ hello: 1 }));
      if (problem) throw new NoTransactionsError(problem);
      const store = new MongoReadStore(client, client.db(options.database));
      await store.prepare();
      return store;
    } catch (error) {
      await client.close();
      throw error;
    }
  }

  private async prepare(): Promise<void> {
    await this.generations.createIndexes([
      {
        key: { name: 1 },
        name: 'one_active',
        unique: true,
        partialFilterExpression: { state: 'active' },
      },
      {
        key: { name: 1 },
        name: 'one_building',
        unique: true,
        partialFilterExpression: { state: 'building' },
      },
    ]);
  }

  async registration(name: ProjectionName): Promise<ProjectionRegistration> {
    const rows = await this.generations.find({ name }).toArray();
    const active = rows.find((row) => row.state === 'active');
    const building = rows.find((row) => row.state === 'building');
    return {
      name,
      active: active && toInfo(active),
      building: building && toInfo(building),
    };
  }

  async createGeneration(name: ProjectionName, projectionVersion: number): Promise<GenerationInfo> {
    await this.dropUnregisteredCollections(name);
    // Generation numbers are never reused, so a writer still holding a
    // discarded generation cannot land in a newer one with the same number.
    const counter = await this.counters.findOneAndUpdate(
      { _id: name },
      { $inc: { last: 1 } },
      { upsert: true, returnDocument: 'after' },
    );
    const generation = counter!.last;
    const row: RegistrationDocument = {
      _id: `${name}:${generation}`,
      name,
      generation,
      projectionVersion,
      position: null,
      state: 'building',
    };
    await this.generations.insertOne(row);
    try {
      const collection = await this.db.createCollection(collectionName(name, generation));
      for (const { key, partial } of indexesOf(name)) {
        await collection.createIndex(key, partial ? { partialFilterExpression: partial } : {});
      }
    } catch (error) {
      await this.generations.deleteOne({ _id: row._id });
      throw error;
    }
    return toInfo(row);
  }

  async activateGeneration(
    name: ProjectionName,
    generation: number,
    hold?: LeaseHold,
  ): Promise<void> {
    // The swap is one transaction: queries find either the old generation or
    // the new one. The old collection is dropped later (next createGeneration),
    // so a query that found it just before the swap can still finish reading it.
    await this.inTransaction(async (session) => {
      await this.assertHeld(hold, session);
      const row = await this.generations.findOne({ name, generation }, { session });
      if (!row) throw new UnknownGenerationError(name, generation);
      if (row.state === 'active') return;
      await this.generations.deleteOne({ name, state: 'active' }, { session });
      await this.generations.updateOne(
        { _id: row._id },
        { $set: { state: 'active' } },
        { session },
      );
    });
  }

  async discardGeneration(name: ProjectionName, generation: number): Promise<void> {
    const row = await this.generations.findOne({ name, generation });
    if (!row) return;
    if (row.state === 'active') {
      throw new Error(`Generation ${generation} of ${name} is active and cannot be discarded`);
    }
    await this.generations.deleteOne({ _id: row._id, state: 'building' });
    await this.dropCollection(collectionName(name, generation));
  }

  async loadDocuments<N extends ProjectionName>(
    name: N,
    generation: number,
    ids: readonly string[],
  ): Promise<Map<string, ReadModelDocuments[N]>> {
    const documents = new Map<string, ReadModelDocuments[N]>();
    if (ids.length === 0) return documents;
    const stored = await this.documents(name, generation)
      .find({ _id: { $in: [...ids] } }, { projection: { doc: 1 } })
      .toArray();
    for (const row of stored) documents.set(row._id, row.doc as ReadModelDocuments[N]);
    return documents;
  }

  async ticketIdsOfCustomer(
    name: TicketReadModel,
    generation: number,
    customerId: string,
  ): Promise<string[]> {
    const found = await this.documents(name, generation)
      .find({ 'doc.customer.id': customerId }, { projection: { _id: 1 } })
      .toArray();
    return found.map((row) => row._id);
  }

  async commit<N extends ProjectionName>(
    name: N,
    generation: number,
    changes: readonly DocumentChange<ReadModelDocuments[N]>[],
    position: string,
    hold?: LeaseHold,
  ): Promise<void> {
    const writes = changes.map((change) =>
      change.doc === null
        ? { deleteOne: { filter: { _id: change.id } } }
        : {
            replaceOne: {
              filter: { _id: change.id },
              replacement: encodeDocument(name, change.id, change.doc),
              upsert: true,
            },
          },
    );
    // The checkpoint moves in the same transaction as the documents: after a
    // crash the projection resumes exactly after the last batch it stored.
    // The driver may run this more than once (transient errors): every write
    // in it sets a whole value, so running it again changes nothing.
    await this.inTransaction(async (session) => {
      await this.assertHeld(hold, session);
      const moved = await this.generations.updateOne(
        { name, generation },
        { $set: { position } },
        { session },
      );
      if (moved.matchedCount === 0) throw new UnknownGenerationError(name, generation);
      if (writes.length > 0) {
        await this.documents(name, generation).bulkWrite(writes, { session, ordered: true });
      }
    });
  }

  async getTicket(ticketId: string): Promise<TicketDocument | undefined> {
    return this.readActive('ticket-view', undefined, async (documents) => {
      const row = await documents.findOne({ _id: ticketId });
      return (row?.doc as TicketDocument | undefined) ?? undefined;
    });
  }

  async queue(query: QueueQuery): Promise<TicketDocument[]> {
    return this.ticketPage('queues', queueFilter(query), QUEUE_ORDER, query.limit);
  }

  async searchTickets(search: TicketSearch): Promise<TicketDocument[]> {
    return this.ticketPage('ticket-view', ticketSearchFilter(search), SEARCH_ORDER, search.limit);
  }

  /** The tickets of a read model holding them as `doc` that `filter` finds, in `order`. */
  private async ticketPage(
    name: 'queues' | 'ticket-view',
    filter: Document,
    order: Record<string, 1 | -1>,
    limit: number,
  ): Promise<TicketDocument[]> {
    return this.readActive(name, [], async (documents) => {
      const rows = await documents
        .find(filter, { projection: { doc: 1 } })
        .sort(order)
        .limit(limit)
        .toArray();
      return rows.map((row) => row.doc as TicketDocument);
    });
  }

  async workloads(): Promise<TierWorkload[]> {
    return this.readActive('tier-workload', tierWorkloads([], []), async (documents) => {
      const totals = await documents
        .aggregate<TierTotalsRow>([
          { $match: { active: true } },
          {
            $group: {
              _id: '$tier',
              open: { $sum: 1 },
              unassigned: { $sum: { $cond: [{ $eq: ['$assigneeId', null] }, 1, 0] } },
              pending: { $sum: { $cond: [{ $eq: ['$status', 'pending'] }, 1, 0] } },
              oldest_opened_at: { $min: '$openedAt' },
            },
          },
          {
            $project: {
              _id: 0,
              tier: '$_id',
              open: 1,
              unassigned: 1,
              pending: 1,
              oldest_opened_at: 1,
            },
          },
        ])
        .toArray();
      const agents = await documents
        .aggregate<AgentLoadRow>([
          { $match: { active: true, assigneeId: { $ne: null } } },
          { $group: { _id: { tier: '$tier', agent: '$assigneeId' }, open: { $sum: 1 } } },
          { $project: { _id: 0, tier: '$_id.tier', agent_id: '$_id.agent', open: 1 } },
          { $sort: { tier: 1, open: -1, agent_id: 1 } },
        ])
        .toArray();
      return tierWorkloads(totals, agents);
    });
  }

  async escalationFacts(range: CohortRange): Promise<EscalationFacts[]> {
    return this.readActive('escalation-kpis', [], async (documents) => {
      const rows = await documents
        .find(cohortFilter(range), { projection: { doc: 1 } })
        .sort({ openedAt: 1, _id: 1 })
        .toArray();
      return rows.map((row) => row.doc as EscalationFacts);
    });
  }

  async escalationTallies(range: CohortRange, grouping?: KpiGrouping): Promise<EscalationTallies> {
    const empty = { totals: emptyTally(), groups: [] };
    return this.readActive('escalation-kpis', empty, async (documents) => {
      const sums = await documents
        .aggregate(tallyPipeline(range, grouping), { allowDiskUse: true })
        .toArray();
      const rootCauses = await documents
        .aggregate(rootCausePipeline(range, grouping), { allowDiskUse: true })
        .toArray();
      const { filter, projection } = durationsQuery(range, grouping);
      return talliesOf(sums, rootCauses, documents.find(filter, { projection }), grouping);
    });
  }

  async secret(name: string): Promise<string> {
    const row = await this.secrets.findOneAndUpdate(
      { _id: name },
      { $setOnInsert: { value: randomBytes(32).toString('base64url') } },
      { upsert: true, returnDocument: 'after' },
    );
    return row!.value;
  }

  async claimLease(lease: string, holder: string, ttlMs: number): Promise<boolean> {
    const { filter, update } = claimCommand(lease, holder, ttlMs);
    try {
      const after = await this.leases.findOneAndUpdate(filter, update, {
        upsert: true,
        returnDocument: 'after',
        projection: { holder: 1 },
      });
      return after?.holder === holder;
    } catch (error) {
      // Two first claims at once: the one whose insert lost sees the other's lease.
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  async releaseLease(lease: string, holder: string): Promise<void> {
    await this.leases.deleteOne({ _id: lease, holder });
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  /**
   * Writes the lease inside the transaction: a concurrent claim by another
   * holder then conflicts with it, so the two cannot both succeed.
   */
  private async assertHeld(hold: LeaseHold | undefined, session: ClientSession): Promise<void> {
    if (!hold) return;
    const held = await this.leases.updateOne(heldFilter(hold), { $inc: { fence: 1 } }, { session });
    if (held.matchedCount === 0) throw new LeaseLostError(hold);
  }

  private documents(name: ProjectionName, generation: number): Collection<StoredDocument> {
    return this.db.collection<StoredDocument>(collectionName(name, generation));
  }

  async agents(): Promise<AgentDocument[]> {
    return this.readActive('agents', [], async (documents) => {
      const rows = await documents.find({}).sort({ tierRank: 1, _id: 1 }).toArray();
      return rows.map((row) => row.doc as AgentDocument);
    });
  }

  async openTicketsByAgent(agentIds: readonly string[]): Promise<Map<string, string[]>> {
    const byAgent = new Map<string, string[]>(agentIds.map((agentId) => [agentId, []]));
    return this.readActive('tier-workload', byAgent, async (documents) => {
      const rows = await documents
        .find(
          { active: true, assigneeId: { $in: [...agentIds] } },
          { projection: { assigneeId: 1 } },
        )
        .sort({ assigneeId: 1, openedAt: 1, _id: 1 })
        .toArray();
      for (const row of rows) byAgent.get(row.assigneeId as string)!.push(row._id);
      return byAgent;
    });
  }

  async idleTickets(priority: Priority, before: string, limit: number): Promise<AlertDocument[]> {
    return this.readActive('alerts', [], async (documents) => {
      const rows = await documents
        .find({ active: true, priority, lastActivityAt: { $lt: before } })
        .sort({ lastActivityAt: -1, _id: 1 })
        .limit(limit)
        .toArray();
      return rows.map((row) => row.doc as AlertDocument);
    });
  }

  async postMortems(search: PostMortemSearch): Promise<PostMortemDocument[]> {
    return this.readActive('post-mortems', [], async (documents) => {
      const rows = await documents
        .find(postMortemFilter(search))
        .sort({ _id: 1 })
        .limit(search.limit)
        .toArray();
      return rows.map((row) => row.doc as PostMortemDocument);
    });
  }

  async missingPostMortems(
    requiredBy: readonly PostMortemTrigger[],
    endedBy: string,
    limit: number,
  ): Promise<PostMortemDocument[]> {
    return this.readActive('post-mortems', [], async (documents) => {
      const rows = await documents
        .find({
          ...postMortemFilter({ state: 'missing', requiredBy, limit }),
          endedAt: { $ne: null, $lte: endedBy },
        })
        .sort({ endedAt: -1, _id: 1 })
        .limit(limit)
        .toArray();
      return rows.map((row) => row.doc as PostMortemDocument);
    });
  }

  async overdueActions(dueBefore: string, limit: number): Promise<OverdueActions[]> {
    return this.readActive('post-mortems', [], async (documents) => {
      const rows = await documents
        .aggregate([
          { $match: { hasOpenActions: true, openDues: { $lt: dueBefore } } },
          { $unwind: '$openDues' },
          { $match: { openDues: { $lt: dueBefore } } },
          { $sort: { openDues: -1, _id: 1 } },
          { $limit: limit },
          { $project: { doc: 1, openDues: 1 } },
        ])
        .toArray();
      return rows.map((row) => ({
        doc: row.doc as PostMortemDocument,
        dueDate: row.openDues as string,
      }));
    });
  }

  async postMortemCompletions(): Promise<Map<string, string>> {
    return this.readActive('post-mortems', new Map<string, string>(), completionsOf);
  }

  /**
   * Counted here from the documents, as the KPIs counted them before stores
   * could: one cursor over the cohort's escalated tickets, one at a time in
   * memory. The completions come from the same generation.
   */
  async postMortemCounts(
    range: CohortRange,
    grouping: KpiGrouping | undefined,
    requiredBy: readonly PostMortemTrigger[],
  ): Promise<PostMortemCountsOfGroup[]> {
    return this.readActive('post-mortems', [], async (documents) => {
      const counter = new PostMortemCounter(grouping, requiredBy, await completionsOf(documents));
      const filter = postMortemFilter({ openedFrom: range.from, openedTo: range.to, limit: 0 });
      for await (const row of documents.find(filter, { projection: { doc: 1 } })) {
        counter.add(row.doc as PostMortemDocument);
      }
      return counter.counts();
    });
  }

  async slaAlerts(limit: number): Promise<AlertDocument[]> {
    return this.readActive('alerts', [], async (documents) => {
      const rows = await documents
        .find({ active: true, slaAt: { $exists: true } })
        .sort({ slaAt: -1, _id: 1 })
        .limit(limit)
        .toArray();
      return rows.map((row) => row.doc as AlertDocument);
    });
  }

  private async readActive<T>(
    name: ProjectionName,
    empty: T,
    read: (documents: Collection<StoredDocument>) => Promise<T>,
  ): Promise<T> {
    const active = await this.generations.findOne({ name, state: 'active' });
    return active ? read(this.documents(name, active.generation)) : empty;
  }

  private async inTransaction<T>(work: (session: ClientSession) => Promise<T>): Promise<T> {
    const session = this.client.startSession();
    try {
      return await session.withTransaction(() => work(session), {
        readConcern: { level: 'snapshot' },
        writeConcern: { w: 'majority' },
      });
    } finally {
      await session.endSession();
    }
  }

  /** Collections left by generations that were replaced or discarded. */
  private async dropUnregisteredCollections(name: ProjectionName): Promise<void> {
    const registered = new Set(
      (await this.generations.find({ name }).toArray()).map((row) => row.generation),
    );
    const collections = await this.db.listCollections({}, { nameOnly: true }).toArray();
    for (const { name: collection } of collections) {
      const generation = generationOfCollection(name, collection);
      if (generation !== undefined && !registered.has(generation)) {
        await this.dropCollection(collection);
      }
    }
  }

  private async dropCollection(collection: string): Promise<void> {
    await this.db.dropCollection(collection).catch((error: unknown) => {
      // Already gone (another process dropped it): nothing to do.
      if (!(error instanceof MongoServerError && error.codeName === 'NamespaceNotFound'))
        throw error;
    });
  }
}

/** Per root cause, the earliest completion of a complete post-mortem naming it. */
async function completionsOf(documents: Collection<StoredDocument>): Promise<Map<string, string>> {
  const rows = await documents
    .aggregate([
      { $match: { state: 'complete', rootCause: { $ne: null } } },
      { $group: { _id: '$rootCause', first: { $min: '$completedAt' } } },
    ])
    .toArray();
  return new Map(rows.map((row) => [row._id as string, row.first as string]));
}
