import {
  groupKey,
  isWorkedOn,
  KPI_GROUPINGS,
  queuePlaceOf,
  queueSortKey,
  tierRank,
  triggersOf,
  type Priority,
  type SlaMark,
  type SlaTarget,
  type Status,
  type Tier,
} from '@ledger/domain';
import {
  type AlertDocument,
  type ProjectionName,
  type ReadModelDocuments,
  type WorkloadDocument,
} from '../read-models';
import { openDueDates, postMortemStateOf, rootCauseOf } from '../post-mortem-facts';
import {
  decodeEscalationFacts,
  encodeEscalationFacts,
  ESCALATION_FACTS_COLUMNS,
  ESCALATION_FACTS_DOCUMENT_COLUMNS,
} from './escalation-facts-columns';
import type { SqlValue } from './sql-query';
import { groupColumn } from './post-mortem-queries';
import { buildRollupsSql, dropRollupsSql, lastRollupTable } from './escalation-tally-rollups';

export interface ColumnDefinition {
  name: string;
  type: 'TEXT' | 'INTEGER' | 'REAL';
  /** Set when the document is first written and never after: an update leaves it, and its index, alone. */
  immutable?: boolean;
}

/**
 * How one read model is stored: its columns besides `id`, derived from the
 * document on write, and how a document is read back from some of them.
 * A read model whose queries need more than a few of its fields keeps the
 * document as JSON in `doc`; one that is all columns needs no JSON at all.
 */
interface ReadModelTable<Doc> {
  stem: string;
  /** Columns besides `id`, in the order `encode` gives their values. */
  columns: readonly ColumnDefinition[];
  /** The columns `decode` reads, after `id`. */
  documentColumns: readonly string[];
  /** `CREATE INDEX` bodies after `ON <table>`, keyed by a suffix of the index name. */
  indexes: Readonly<Record<string, string>>;
  /** Tables derived from this one inside SQLite, built with its indexes and dropped with it. */
  derived?: DerivedTables;
  encode(id: string, doc: Doc): SqlValue[];
  /** `row` holds the id, then `documentColumns` in order. */
  decode(row: SqlValue[]): Doc;
}

/** Tables a read model's table feeds by triggers (escalation-tally-rollups.ts). */
interface DerivedTables {
  /** Statements to run in one transaction: they build the tables from the rows and install the triggers. */
  build(table: string): string[];
  drop(table: string): string[];
  /** A table that exists once `build` has run. */
  marker(table: string): string;
}

type ReadModelTables = { [N in ProjectionName]: ReadModelTable<ReadModelDocuments[N]> };

/** 1 while the ticket is still worked on: it counts in queues and workloads. */
function activeFlag(status: Status): number {
  return isWorkedOn(status) ? 1 : 0;
}

const JSON_DOCUMENT: ColumnDefinition = { name: 'doc', type: 'TEXT' };

/** A ticket's customer: when a customer is erased, their tickets are found by it. */
const CUSTOMER_ID: ColumnDefinition = { name: 'customer_id', type: 'TEXT', immutable: true };

function parseDocument<Doc>(row: SqlValue[]): Doc {
  return JSON.parse(row[1] as string) as Doc;
}

const READ_MODEL_TABLES: ReadModelTables = {
  'ticket-view': {
    stem: 'ticket_view',
    // The fields a ticket search filters on.
    columns: [
      JSON_DOCUMENT,
      { name: 'tier', type: 'TEXT' },
      { name: 'status', type: 'TEXT' },
      { name: 'priority', type: 'TEXT' },
      { name: 'category', type: 'TEXT' },
      { name: 'channel', type: 'TEXT' },
      { name: 'assignee_id', type: 'TEXT' },
      CUSTOMER_ID,
      { name: 'opened_at', type: 'TEXT' },
      { name: 'escalated', type: 'INTEGER' },
    ],
    documentColumns: ['doc'],
    indexes: {
      // Searches walk the tickets newest first; a customer's or an agent's
      // tickets are few among many, so they have their own.
      opened: '(opened_at, id)',
      customer: '(customer_id, opened_at, id)',
      assignee: '(assignee_id, opened_at, id)',
    },
    encode: (_id, ticket) => [
      JSON.stringify(ticket),
      ticket.tier,
      ticket.status,
      ticket.priority,
      ticket.category,
      ticket.channel,
      ticket.assigneeId,
      ticket.customer.id,
      ticket.openedAt,
      ticket.escalationCount > 0 ? 1 : 0,
    ],
    decode: parseDocument,
  },
  queues: {
    stem: 'queues',
    columns: [
      JSON_DOCUMENT,
      { name: 'tier', type: 'TEXT' },
      { name: 'active', type: 'INTEGER' },
      { name: 'status', type: 'TEXT' },
      { name: 'priority_rank', type: 'INTEGER' },
      { name: 'vip_rank', type: 'INTEGER' },
      { name: 'opened_at', type: 'TEXT' },
      { name: 'assignee_id', type: 'TEXT' },
      CUSTOMER_ID,
    ],
    documentColumns: ['doc'],
    indexes: {
      // Partial: resolved and closed tickets pile up forever but are never queued.
      order: '(tier, priority_rank, vip_rank, opened_at, id, status, assignee_id) WHERE active = 1',
      customer: '(customer_id)',
    },
    encode: (_id, ticket) => {
      const [priorityRank, vipRank, openedAt] = queueSortKey(queuePlaceOf(ticket));
      return [
        JSON.stringify(ticket),
        ticket.tier,
        activeFlag(ticket.status),
        ticket.status,
        priorityRank,
        vipRank,
        openedAt,
        ticket.assigneeId,
        ticket.customer.id,
      ];
    },
    decode: parseDocument,
  },
  'tier-workload': {
    stem: 'tier_workload',
    // Every field of the document is a column the aggregations need anyway.
    columns: [
      { name: 'tier', type: 'TEXT' },
      { name: 'active', type: 'INTEGER' },
      { name: 'status', type: 'TEXT' },
      { name: 'assignee_id', type: 'TEXT' },
      { name: 'opened_at', type: 'TEXT' },
      // NULL when the document's ticketId is the id it is stored under, as it always is.
      { name: 'ticket_id', type: 'TEXT' },
    ],
    documentColumns: ['tier', 'status', 'assignee_id', 'opened_at', 'ticket_id'],
    indexes: {
      // Covers both workload aggregations, so they never read a document.
      load: '(tier, assignee_id, status, opened_at) WHERE active = 1',
    },
    encode: (id, workload) => [
      workload.tier,
      activeFlag(workload.status),
      workload.status,
      workload.assigneeId,
      workload.openedAt,
      workload.ticketId === id ? null : workload.ticketId,
    ],
    decode: (row): WorkloadDocument => ({
      ticketId: (row[5] as string | null) ?? (row[0] as string),
      tier: row[1] as Tier,
      status: row[2] as Status,
      assigneeId: row[3] as string | null,
      openedAt: row[4] as string,
    }),
  },
  'escalation-kpis': {
    stem: 'escalation_kpis',
    columns: ESCALATION_FACTS_COLUMNS,
    documentColumns: ESCALATION_FACTS_DOCUMENT_COLUMNS,
    indexes: {
      opened: '(opened_at, id)',
      // Covering and partial: the two KPI reads that need each ticket read only the few that count.
      to_resolution:
        '(opened_at, escalation_to_resolution_ms, category, channel, priority, kpi_agent, kpi_week) ' +
        'WHERE escalation_to_resolution_ms IS NOT NULL',
      root_cause:
        '(opened_at, kpi_root_cause, kpi_root_cause_escalations, category, channel, priority, kpi_agent, kpi_week) ' +
        'WHERE kpi_root_cause IS NOT NULL',
    },
    derived: { build: buildRollupsSql, drop: dropRollupsSql, marker: lastRollupTable },
    encode: encodeEscalationFacts,
    decode: decodeEscalationFacts,
  },
  agents: {
    stem: 'agents',
    columns: [JSON_DOCUMENT, { name: 'tier_rank', type: 'INTEGER' }],
    documentColumns: ['doc'],
    indexes: {},
    encode: (_id, agent) => [JSON.stringify(agent), tierRank(agent.tier)],
    decode: parseDocument,
  },
  alerts: {
    stem: 'alerts',
    // Every field a column, as for tier-workload: no JSON to write or parse.
    columns: [
      { name: 'active', type: 'INTEGER' },
      { name: 'priority', type: 'TEXT' },
      { name: 'tier', type: 'TEXT' },
      { name: 'status', type: 'TEXT' },
      { name: 'assignee_id', type: 'TEXT' },
      { name: 'last_activity_at', type: 'TEXT' },
      { name: 'sla_mark', type: 'TEXT' },
      { name: 'sla_target', type: 'TEXT' },
      { name: 'sla_at', type: 'TEXT' },
      // NULL when the document's ticketId is the id it is stored under, as it always is.
      { name: 'ticket_id', type: 'TEXT' },
    ],
    documentColumns: [
      'priority',
      'tier',
      'status',
      'assignee_id',
      'last_activity_at',
      'sla_mark',
      'sla_target',
      'sla_at',
      'ticket_id',
    ],
    indexes: {
      idle: '(priority, last_activity_at) WHERE active = 1',
      sla: '(sla_at) WHERE active = 1 AND sla_at IS NOT NULL',
    },
    encode: (id, alert) => [
      activeFlag(alert.status),
      alert.priority,
      alert.tier,
      alert.status,
      alert.assigneeId,
      alert.lastActivityAt,
      alert.sla?.mark ?? null,
      alert.sla?.target ?? null,
      alert.sla?.at ?? null,
      alert.ticketId === id ? null : alert.ticketId,
    ],
    decode: (row): AlertDocument => ({
      ticketId: (row[9] as string | null) ?? (row[0] as string),
      priority: row[1] as Priority,
      tier: row[2] as Tier,
      status: row[3] as Status,
      assigneeId: row[4] as string | null,
      lastActivityAt: row[5] as string,
      sla:
        row[6] === null
          ? null
          : { mark: row[6] as SlaMark, target: row[7] as SlaTarget, at: row[8] as string },
    }),
  },
  'post-mortems': {
    stem: 'post_mortems',
    columns: [
      JSON_DOCUMENT,
      { name: 'escalated', type: 'INTEGER' },
      { name: 'opened_at', type: 'TEXT' },
      // The triggers, one flag each: which ones make a post-mortem required is asked at query time.
      { name: 'management', type: 'INTEGER' },
      { name: 're_escalated', type: 'INTEGER' },
      { name: 'urgent_breach', type: 'INTEGER' },
      { name: 'state', type: 'TEXT' },
      { name: 'ended_at', type: 'TEXT' },
      { name: 'open_dues', type: 'TEXT' },
      { name: 'root_cause', type: 'TEXT' },
      { name: 'completed_at', type: 'TEXT' },
      // What the KPIs count by, so they are counted without reading a document.
      { name: 'last_escalated_at', type: 'TEXT' },
      ...KPI_GROUPINGS.map((grouping) => ({ name: groupColumn(grouping), type: 'TEXT' as const })),
    ],
    documentColumns: ['doc'],
    indexes: {
      // Only escalated tickets are ever asked about: the others are many and never listed.
      state: '(state, id) WHERE escalated = 1',
      opened: '(opened_at, id) WHERE escalated = 1',
      missing: "(ended_at) WHERE escalated = 1 AND state = 'missing'",
      completed: '(root_cause, completed_at) WHERE completed_at IS NOT NULL',
      // Covering for the KPI counts (post-mortem-queries.ts).
      counts:
        '(opened_at, ended_at, management, re_escalated, urgent_breach, state, root_cause, last_escalated_at, ' +
        `${KPI_GROUPINGS.map(groupColumn).join(', ')}) WHERE escalated = 1`,
    },
    encode: (_id, doc) => {
      const dues = openDueDates(doc);
      const triggers = triggersOf(doc);
      const escalated = doc.escalationCount > 0;
      return [
        JSON.stringify(doc),
        escalated ? 1 : 0,
        doc.openedAt,
        triggers.includes('management') ? 1 : 0,
        triggers.includes('re-escalated') ? 1 : 0,
        triggers.includes('urgent-breach') ? 1 : 0,
        postMortemStateOf(doc),
        doc.endedAt,
        dues.length > 0 ? JSON.stringify(dues) : null,
        rootCauseOf(doc),
        doc.postMortem?.completedAt ?? null,
        doc.lastEscalatedAt,
        // Only escalated tickets are counted: the others, most of them, need no keys.
        ...KPI_GROUPINGS.map((grouping) => (escalated ? groupKey(doc, grouping) : null)),
      ];
    },
    decode: parseDocument,
  },
};

export function tableName(name: ProjectionName, generation: number): string {
  if (!Number.isSafeInteger(generation) || generation < 1) {
    throw new Error(`Not a generation number: ${generation}`);
  }
  return `rm_${READ_MODEL_TABLES[name].stem}_g${generation}`;
}

/** The table alone: its secondary indexes come with `createIndexesSql`. */
export function createTableSql(name: ProjectionName, generation: number): string {
  const columnSql = ['id TEXT PRIMARY KEY']
    .concat(READ_MODEL_TABLES[name].columns.map((column) => `${column.name} ${column.type}`))
    .join(', ');
  return `CREATE TABLE ${tableName(name, generation)} (${columnSql})`;
}

/**
 * One statement per secondary index (those named by `suffixes`, when given);
 * each does nothing when its index exists.
 */
export function createIndexesSql(
  name: ProjectionName,
  generation: number,
  suffixes?: readonly string[],
): string[] {
  const table = tableName(name, generation);
  return Object.entries(READ_MODEL_TABLES[name].indexes)
    .filter(([suffix]) => suffixes === undefined || suffixes.includes(suffix))
    .map(([suffix, body]) => `CREATE INDEX IF NOT EXISTS ${table}_${suffix} ON ${table} ${body}`);
}

export function dropTableSql(name: ProjectionName, generation: number): string {
  const table = tableName(name, generation);
  const derived = READ_MODEL_TABLES[name].derived?.drop(table) ?? [];
  return [`DROP TABLE IF EXISTS ${table}`, ...derived].join('; ');
}

/** The statements that build the read model's derived tables, for one transaction; none when it has none. */
export function buildDerivedSql(name: ProjectionName, generation: number): string[] {
  return READ_MODEL_TABLES[name].derived?.build(tableName(name, generation)) ?? [];
}

/** A table that exists once the derived tables are built; undefined when the read model has none. */
export function derivedMarker(name: ProjectionName, generation: number): string | undefined {
  return READ_MODEL_TABLES[name].derived?.marker(tableName(name, generation));
}

/** `SELECT id, <document columns> FROM <table> ` followed by `rest`; rows go to `decodeRow`. */
export function selectDocumentsSql(name: ProjectionName, generation: number, rest: string): string {
  const columns = ['id', ...READ_MODEL_TABLES[name].documentColumns].join(', ');
  return `SELECT ${columns} FROM ${tableName(name, generation)} ${rest}`;
}

export function decodeRow<N extends ProjectionName>(
  name: N,
  row: SqlValue[],
): ReadModelDocuments[N] {
  return (READ_MODEL_TABLES[name] as ReadModelTable<ReadModelDocuments[N]>).decode(row);
}

/** Documents written by one upsert statement: fewer, larger statements cost less per row. */
export function upsertRowsPerStatement(name: ProjectionName): number {
  const parameters = 1 + READ_MODEL_TABLES[name].columns.length;
  return Math.max(1, Math.min(64, Math.floor(2000 / parameters)));
}

/** An upsert of `rows` documents at once. */
export function upsertSql(name: ProjectionName, generation: number, rows: number): string {
  const { columns } = READ_MODEL_TABLES[name];
  const names = ['id', ...columns.map((column) => column.name)];
  const updates = columns
    .filter((column) => !column.immutable)
    .map((column) => `${column.name} = excluded.${column.name}`)
    .join(', ');
  const row = `(${names.map(() => '?').join(', ')})`;
  return (
    `INSERT INTO ${tableName(name, generation)} (${names.join(', ')}) ` +
    `VALUES ${Array.from({ length: rows }, () => row).join(', ')} ` +
    `ON CONFLICT(id) DO UPDATE SET ${updates}`
  );
}

/** Appends the parameters of one document of `upsertSql` to `values`. */
export function pushUpsertValues<N extends ProjectionName>(
  values: SqlValue[],
  name: N,
  id: string,
  doc: ReadModelDocuments[N],
): void {
  const table = READ_MODEL_TABLES[name] as ReadModelTable<ReadModelDocuments[N]>;
  values.push(id);
  for (const value of table.encode(id, doc)) values.push(value);
}
