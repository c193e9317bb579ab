import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { PostMortemTrigger, Priority } from '@ledger/domain';
import {
  PROJECTION_NAMES,
  type AgentDocument,
  type AlertDocument,
  type EscalationFacts,
  type PostMortemDocument,
  type ProjectionName,
  type ReadModelDocuments,
  type TicketDocument,
  type TicketReadModel,
} from '../read-models';
import { PostMortemCounter, type PostMortemCountsOfGroup } from '../post-mortem-facts';
import type {
  CohortRange,
  DocumentChange,
  GenerationInfo,
  LeaseHold,
  OverdueActions,
  PostMortemSearch,
  ProjectionRegistration,
  QueueQuery,
  ReadStore,
  TicketSearch,
  TierWorkload,
} from '../read-store';
import { LeaseLostError, UnknownGenerationError } from '../read-store';
import {
  emptyTally,
  talliesOfGroups,
  type EscalationTallies,
  type EscalationTally,
  type KpiGrouping,
} from '@ledger/domain';
import { cohortConditions, whereClause } from './cohort-condition';
import { escalationFactsQuery } from './escalation-facts-query';
import {
  rootCauseQuery,
  tallyOf,
  rolledUpTallySumsQuery,
  tallySumsQuery,
  toResolutionQuery,
} from './escalation-tallies-query';
import { GenerationRegistry } from './generation-registry';
import { LeaseTable } from './lease-table';
import { queueQuery } from './queue-query';
import { ticketSearchQuery } from './ticket-search-query';
import {
  createIndexesSql,
  createTableSql,
  decodeRow,
  dropTableSql,
  buildDerivedSql,
  derivedMarker,
  pushUpsertValues,
  selectDocumentsSql,
  tableName,
  upsertRowsPerStatement,
  upsertSql,
} from './read-model-tables';
import type { SqlQuery, SqlValue } from './sql-query';
import { StatementCache } from './statement-cache';
import { SchemaKnowledge } from './schema-knowledge';
import { inKeyOrder } from './key-order';
import { tierWorkloads, type AgentLoadRow, type TierTotalsRow } from '../tier-workloads';
import { agentLoadsSql, tierTotalsSql } from './workload-query';
import {
  agentsSql,
  IDLE_TICKETS_WHERE,
  openTicketsOfAgentsSql,
  SLA_ALERTS_WHERE,
} from './agent-alert-queries';
import {
  missingPostMortemsSql,
  overdueActionsSql,
  postMortemCompletionsSql,
  postMortemCountsQuery,
  postMortemSearchSql,
} from './post-mortem-queries';

interface DocRow {
  doc: string;
}

/**
 * Read models in a SQLite file, one table per read model and generation
 * (`rm_<model>_g<generation>`), registered in `rm_generations`. The file may
 * be shared with the event log, which writes through its own connection.
 */
export class SqliteReadStore implements ReadStore {
  private readonly registry: GenerationRegistry;
  private readonly leases: LeaseTable;
  private readonly statements: StatementCache;
  private readonly schema: SchemaKnowledge;
  private readonly inTransaction: Database.Transaction<(work: () => unknown) => unknown>;

  private constructor(private readonly db: Database.Database) {
    db.exec('CREATE TABLE IF NOT EXISTS rm_secrets (name TEXT PRIMARY KEY, value TEXT NOT NULL)');
    this.registry = new GenerationRegistry(db);
    this.leases = new LeaseTable(db);
    this.statements = new StatementCache(db);
    this.schema = new SchemaKnowledge(db);
    this.inTransaction = db.transaction((work: () => unknown) => work());
  }

  static open(filePath: string): SqliteReadStore {
    mkdirSync(dirname(filePath), { recursive: true });
    const db = new Database(filePath);
    db.pragma('journal_mode = WAL');
    // Read models are rebuilt from the log, and each checkpoint commits with its
    // documents: a power cut may only roll both back together, and the
    // projection re-applies those events. So no fsync of its own per batch; the
    // log's connection syncs the shared WAL with FULL on every append.
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    // A rewritten or dropped document's bytes are zeroed, not left in free space.
    db.pragma('secure_delete = ON');
    const store = new SqliteReadStore(db);
    store.completeActiveGenerations();
    return store;
  }

  async registration(name: ProjectionName): Promise<ProjectionRegistration> {
    return this.registry.registration(name);
  }

  /**
   * The table comes without its secondary indexes: filled from the whole log,
   * it is written far faster without them, and they are built once, sorted,
   * when it is activated. Until then only its id is indexed.
   */
  async createGeneration(name: ProjectionName, projectionVersion: number): Promise<GenerationInfo> {
    return this.write(() => {
      const info = this.registry.addBuilding(name, projectionVersion);
      this.db.exec(createTableSql(name, info.generation));
      return info;
    });
  }

  async activateGeneration(
    name: ProjectionName,
    generation: number,
    hold?: LeaseHold,
  ): Promise<void> {
    // One index per transaction, with a turn of the event loop between: the
    // log's appends, which share the file, and the requests of this process
    // wait for one index at a time rather than for all of them.
    for (const sql of createIndexesSql(name, generation)) {
      this.createIndex(name, generation, sql);
      await nextTurn();
    }
    this.buildDerived(name, generation);
    const replaced = this.write(() => {
      this.assertHeld(hold);
      const state = this.registry.stateOf(name, generation);
      if (state === undefined) throw new UnknownGenerationError(name, generation);
      if (state === 'active') return undefined;
      const previous = this.registry.activeGeneration(name);
      if (previous !== undefined) {
        this.db.exec(dropTableSql(name, previous));
        this.registry.remove(name, previous);
      }
      this.registry.activate(name, generation);
      return previous;
    });
    if (replaced !== undefined) this.statements.forget(name, replaced);
  }

  async discardGeneration(name: ProjectionName, generation: number): Promise<void> {
    this.write(() => {
      const state = this.registry.stateOf(name, generation);
      if (state === undefined) return;
      if (state === 'active') {
        throw new Error(`Generation ${generation} of ${name} is active and cannot be discarded`);
      }
      this.db.exec(dropTableSql(name, generation));
      this.registry.remove(name, generation);
    });
    this.statements.forget(name, generation);
  }

  async loadDocuments<N extends ProjectionName>(
    name: N,
    generation: number,
    ids: readonly string[],
  ): Promise<Map<string, ReadModelDocuments[N]>> {
    const documents = new Map<string, ReadModelDocuments[N]>();
    if (ids.length === 0) return documents;
    // One statement per batch: the ids travel as one JSON array parameter.
    const rows = this.statements
      .get<[string], SqlValue[]>(
        name,
        generation,
        selectDocumentsSql(name, generation, 'WHERE id IN (SELECT value FROM json_each(?))'),
      )
      .raw()
      .all(JSON.stringify(ids));
    for (const row of rows) documents.set(row[0] as string, decodeRow(name, row));
    return documents;
  }

  async ticketIdsOfCustomer(
    name: TicketReadModel,
    generation: number,
    customerId: string,
  ): Promise<string[]> {
    // A generation being built has no secondary index yet: the one this
    // needs is made at its first erasure, not left to a scan at every one.
    if (!this.schema.hasIndex(`${tableName(name, generation)}_customer`)) {
      this.write(() =>
        createIndexesSql(name, generation, ['customer']).forEach((sql) => this.db.exec(sql)),
      );
    }
    return this.statements
      .get<[string], string>(
        name,
        generation,
        `SELECT id FROM ${tableName(name, generation)} WHERE customer_id = ?`,
      )
      .pluck()
      .all(customerId);
  }

  async commit<N extends ProjectionName>(
    name: N,
    generation: number,
    changes: readonly DocumentChange<ReadModelDocuments[N]>[],
    position: string,
    hold?: LeaseHold,
  ): Promise<void> {
    // The checkpoint moves in the same transaction as the documents: after a
    // crash the projection resumes exactly after the last batch it stored.
    this.write(() => {
      this.assertHeld(hold);
      if (!this.registry.movePosition(name, generation, position)) {
        throw new UnknownGenerationError(name, generation);
      }
      const remove = this.statements.get<[string]>(
        name,
        generation,
        `DELETE FROM ${tableName(name, generation)} WHERE id = ?`,
      );
      const perStatement = upsertRowsPerStatement(name);
      const values: SqlValue[] = [];
      let rows = 0;
      const flush = () => {
        if (rows === 0) return;
        this.statements
          .get<[SqlValue[]]>(name, generation, upsertSql(name, generation, rows))
          .run(values);
        values.length = 0;
        rows = 0;
      };
      // In key order: consecutive writes land on the same index pages, which
      // matters when a catch-up commits tens of thousands of documents at once.
      // Several documents per statement: the per-statement cost is most of a small write.
      for (const change of inKeyOrder(changes)) {
        if (change.doc === null) {
          flush();
          remove.run(change.id);
          continue;
        }
        pushUpsertValues(values, name, change.id, change.doc);
        if (++rows === perStatement) flush();
      }
      flush();
    });
  }

  async getTicket(ticketId: string): Promise<TicketDocument | undefined> {
    return this.readActive('ticket-view', undefined, (generation) => {
      const row = this.statements
        .get<[string], SqlValue[]>(
          'ticket-view',
          generation,
          selectDocumentsSql('ticket-view', generation, 'WHERE id = ?'),
        )
        .raw()
        .get(ticketId);
      return row && decodeRow('ticket-view', row);
    });
  }

  async queue(query: QueueQuery): Promise<TicketDocument[]> {
    return this.ticketPage('queues', (table) => queueQuery(table, query));
  }

  async searchTickets(search: TicketSearch): Promise<TicketDocument[]> {
    return this.ticketPage('ticket-view', (table) => ticketSearchQuery(table, search));
  }

  /** The tickets a query of a table holding them as `doc` selects. */
  private ticketPage(
    name: 'queues' | 'ticket-view',
    query: (table: string) => SqlQuery,
  ): TicketDocument[] {
    return this.readActive(name, [], (generation) => {
      const { sql, params } = query(tableName(name, generation));
      return this.statements
        .get<SqlValue[], DocRow>(name, generation, sql)
        .all(...params)
        .map((row) => JSON.parse(row.doc) as TicketDocument);
    });
  }

  async workloads(): Promise<TierWorkload[]> {
    return this.readActive('tier-workload', tierWorkloads([], []), (generation) => {
      const table = tableName('tier-workload', generation);
      const totals = this.statements
        .get<[], TierTotalsRow>('tier-workload', generation, tierTotalsSql(table))
        .all();
      const agents = this.statements
        .get<[], AgentLoadRow>('tier-workload', generation, agentLoadsSql(table))
        .all();
      return tierWorkloads(totals, agents);
    });
  }

  async escalationFacts(range: CohortRange): Promise<EscalationFacts[]> {
    return this.readActive('escalation-kpis', [], (generation) => {
      const { sql, params } = escalationFactsQuery(range);
      return this.statements
        .get<SqlValue[], SqlValue[]>(
          'escalation-kpis',
          generation,
          selectDocumentsSql('escalation-kpis', generation, sql),
        )
        .raw()
        .all(...params)
        .map((row) => decodeRow('escalation-kpis', row));
    });
  }

  async escalationTallies(range: CohortRange, grouping?: KpiGrouping): Promise<EscalationTallies> {
    const empty = { totals: emptyTally(), groups: [] };
    return this.readActive('escalation-kpis', empty, (generation) => {
      const table = tableName('escalation-kpis', generation);
      const sums = this.hasDerived('escalation-kpis', generation)
        ? rolledUpTallySumsQuery(table, range, grouping)
        : tallySumsQuery(table, range, grouping);
      const query = (sql: SqlQuery) =>
        this.statements
          .get<SqlValue[], SqlValue[]>('escalation-kpis', generation, sql.sql)
          .raw()
          .all(...sql.params);
      const byKey = new Map<string | null, EscalationTally>();
      for (const row of query(sums)) {
        byKey.set(row[0] as string | null, tallyOf(row));
      }
      for (const [key, ms] of query(toResolutionQuery(table, range, grouping))) {
        byKey.get(key as string | null)!.escalationToResolutionMs.push(ms as number);
      }
      for (const [key, rootCause, escalations] of query(rootCauseQuery(table, range, grouping))) {
        byKey.get(key as string | null)!.escalationsByRootCause[rootCause as string] =
          escalations as number;
      }
      return talliesOfGroups(byKey, grouping);
    });
  }

  async agents(): Promise<AgentDocument[]> {
    return this.readActive('agents', [], (generation) =>
      this.statements
        .get<[], DocRow>('agents', generation, agentsSql(tableName('agents', generation)))
        .all()
        .map((row) => JSON.parse(row.doc) as AgentDocument),
    );
  }

  async openTicketsByAgent(agentIds: readonly string[]): Promise<Map<string, string[]>> {
    const byAgent = new Map<string, string[]>(agentIds.map((agentId) => [agentId, []]));
    return this.readActive('tier-workload', byAgent, (generation) => {
      const rows = this.statements
        .get<[string], { agent_id: string; id: string }>(
          'tier-workload',
          generation,
          openTicketsOfAgentsSql(tableName('tier-workload', generation)),
        )
        .all(JSON.stringify(agentIds));
      for (const row of rows) byAgent.get(row.agent_id)!.push(row.id);
      return byAgent;
    });
  }

  async idleTickets(priority: Priority, before: string, limit: number): Promise<AlertDocument[]> {
    return this.readActive('alerts', [], (generation) =>
      this.statements
        .get<[string, string, number], SqlValue[]>(
          'alerts',
          generation,
          selectDocumentsSql('alerts', generation, IDLE_TICKETS_WHERE),
        )
        .raw()
        .all(priority, before, limit)
        .map((row) => decodeRow('alerts', row)),
    );
  }

  async slaAlerts(limit: number): Promise<AlertDocument[]> {
    return this.readActive('alerts', [], (generation) =>
      this.statements
        .get<[number], SqlValue[]>(
          'alerts',
          generation,
          selectDocumentsSql('alerts', generation, SLA_ALERTS_WHERE),
        )
        .raw()
        .all(limit)
        .map((row) => decodeRow('alerts', row)),
    );
  }

  async postMortems(search: PostMortemSearch): Promise<PostMortemDocument[]> {
    const { sql, params } = postMortemSearchSql(search);
    return this.readPostMortems(sql, params);
  }

  async missingPostMortems(
    requiredBy: readonly PostMortemTrigger[],
    endedBy: string,
    limit: number,
  ): Promise<PostMortemDocument[]> {
    return this.readPostMortems(missingPostMortemsSql(requiredBy), [endedBy, limit]);
  }

  async overdueActions(dueBefore: string, limit: number): Promise<OverdueActions[]> {
    return this.readActive('post-mortems', [], (generation) =>
      this.statements
        .get<[string, number], [string, string]>(
          'post-mortems',
          generation,
          overdueActionsSql(tableName('post-mortems', generation)),
        )
        .raw()
        .all(dueBefore, limit)
        .map(([doc, dueDate]) => ({ doc: JSON.parse(doc) as PostMortemDocument, dueDate })),
    );
  }

  async postMortemCompletions(): Promise<Map<string, string>> {
    return this.readActive('post-mortems', new Map<string, string>(), (generation) => {
      return this.completionsOf(generation);
    });
  }

  private completionsOf(generation: number): Map<string, string> {
    const sql = postMortemCompletionsSql(tableName('post-mortems', generation));
    return new Map(
      this.statements.get<[], [string, string]>('post-mortems', generation, sql).raw().all(),
    );
  }

  async postMortemCounts(
    range: CohortRange,
    grouping: KpiGrouping | undefined,
    requiredBy: readonly PostMortemTrigger[],
  ): Promise<PostMortemCountsOfGroup[]> {
    return this.readActive('post-mortems', [], (generation) => {
      const table = tableName('post-mortems', generation);
      if (!this.schema.hasColumn(table, 'last_escalated_at')) {
        return this.countPostMortemsInMemory(generation, range, grouping, requiredBy);
      }
      const { sql, params } = postMortemCountsQuery(table, range, grouping, requiredBy);
      return this.statements
        .get<SqlValue[], [string | null, number, number, number]>('post-mortems', generation, sql)
        .raw()
        .all(...params)
        .map(([key, required, covered, repeatEscalations]) => ({
          key,
          required,
          covered,
          repeatEscalations,
        }));
    });
  }

  /**
   * For a table written by an earlier version of the projection, which lacks
   * the columns the counts need, until its projector replaces it: counted from
   * the documents, as a store that cannot count them does.
   */
  private countPostMortemsInMemory(
    generation: number,
    range: CohortRange,
    grouping: KpiGrouping | undefined,
    requiredBy: readonly PostMortemTrigger[],
  ): PostMortemCountsOfGroup[] {
    const counter = new PostMortemCounter(grouping, requiredBy, this.completionsOf(generation));
    const cohort = cohortConditions(range);
    const where = whereClause(['escalated = 1', ...cohort.conditions]);
    const docs = this.statements
      .get<SqlValue[], string>(
        'post-mortems',
        generation,
        `SELECT doc FROM ${tableName('post-mortems', generation)} ${where}`,
      )
      .pluck();
    for (const doc of docs.iterate(...cohort.params)) {
      counter.add(JSON.parse(doc) as PostMortemDocument);
    }
    return counter.counts();
  }

  private readPostMortems(rest: string, params: SqlValue[]): PostMortemDocument[] {
    return this.readActive('post-mortems', [], (generation) =>
      this.statements
        .get<SqlValue[], SqlValue[]>(
          'post-mortems',
          generation,
          selectDocumentsSql('post-mortems', generation, rest),
        )
        .raw()
        .all(...params)
        .map((row) => decodeRow('post-mortems', row)),
    );
  }

  async secret(name: string): Promise<string> {
    return this.write(() => {
      this.db
        .prepare('INSERT INTO rm_secrets (name, value) VALUES (?, ?) ON CONFLICT(name) DO NOTHING')
        .run(name, randomBytes(32).toString('base64url'));
      return this.db
        .prepare<[string], string>('SELECT value FROM rm_secrets WHERE name = ?')
        .pluck()
        .get(name)!;
    });
  }

  async claimLease(lease: string, holder: string, ttlMs: number): Promise<boolean> {
    return this.write(() => this.leases.claim(lease, holder, ttlMs, Date.now()));
  }

  async releaseLease(lease: string, holder: string): Promise<void> {
    this.write(() => this.leases.release(lease, holder));
  }

  private assertHeld(hold: LeaseHold | undefined): void {
    if (hold && !this.leases.holds(hold.lease, hold.holder, Date.now())) {
      throw new LeaseLostError(hold);
    }
  }

  async close(): Promise<void> {
    if (!this.db.open) return;
    // The WAL keeps old versions of rewritten documents until it is checkpointed.
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.db.close();
  }

  /**
   * Builds the read model's derived tables (the KPI rollups) unless they
   * exist. One transaction: no write of the table falls between the sums and
   * the triggers that keep them.
   */
  private buildDerived(name: ProjectionName, generation: number): void {
    const statements = buildDerivedSql(name, generation);
    if (statements.length === 0 || this.hasDerived(name, generation)) return;
    this.write(() => {
      if (this.registry.stateOf(name, generation) === undefined) {
        throw new UnknownGenerationError(name, generation);
      }
      // Another process may have built them since the look above.
      if (this.hasDerived(name, generation)) return;
      for (const sql of statements) this.db.exec(sql);
    });
  }

  /**
   * Gives the active generations what this version of the store keeps beside
   * them and an earlier one did not make (the KPI rollups and the indexes
   * their reads use): built once, from their rows, by the first process that
   * opens the file, before it reads or writes them. A generation replaced
   * meanwhile is left alone; with the file busy beyond the timeout, reads do
   * without them until the next open.
   */
  private completeActiveGenerations(): void {
    for (const name of PROJECTION_NAMES) {
      const generation = this.registry.activeGeneration(name);
      if (generation === undefined || derivedMarker(name, generation) === undefined) continue;
      if (this.hasDerived(name, generation)) continue;
      try {
        for (const sql of createIndexesSql(name, generation))
          this.createIndex(name, generation, sql);
        this.buildDerived(name, generation);
      } catch (error) {
        if (error instanceof UnknownGenerationError) continue;
        if ((error as { code?: string }).code === 'SQLITE_BUSY') continue;
        throw error;
      }
    }
  }

  private createIndex(name: ProjectionName, generation: number, sql: string): void {
    this.write(() => {
      if (this.registry.stateOf(name, generation) === undefined) {
        throw new UnknownGenerationError(name, generation);
      }
      this.db.exec(sql);
    });
  }

  private hasDerived(name: ProjectionName, generation: number): boolean {
    const marker = derivedMarker(name, generation);
    return marker !== undefined && this.schema.hasTable(marker);
  }

  /**
   * IMMEDIATE takes the write lock up front, so a transaction that reads
   * before writing waits (busy_timeout) for the event log's connection
   * instead of failing when that connection committed in between.
   */
  private write<T>(work: () => T): T {
    return this.inTransaction.immediate(work) as T;
  }

  /**
   * Finds the active generation and reads it in one snapshot, so another
   * process activating a new generation (and dropping this one) in between
   * cannot make the read fail or mix generations.
   */
  private readActive<T>(name: ProjectionName, empty: T, read: (generation: number) => T): T {
    return this.inTransaction.deferred(() => {
      const generation = this.registry.activeGeneration(name);
      return generation === undefined ? empty : read(generation);
    }) as T;
  }
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
