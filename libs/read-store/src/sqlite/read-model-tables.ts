import { priorityRank, type Status } from '@ledger/domain';
import type { ProjectionName, ReadModelDocuments } from '../read-models';
import type { SqlValue } from './sql-query';

interface ColumnDefinition {
  name: string;
  type: 'TEXT' | 'INTEGER';
}

/**
 * How one read model is stored: the document as JSON in `doc`, plus the
 * columns its queries filter and sort on, derived from the document on write.
 */
interface ReadModelTable<Doc> {
  stem: string;
  /** Columns besides `id` and `doc`, in the order `values` returns them. */
  columns: readonly ColumnDefinition[];
  /** `CREATE INDEX` bodies after `ON <table>`, keyed by a suffix of the index name. */
  indexes: Readonly<Record<string, string>>;
  values(doc: Doc): SqlValue[];
}

type ReadModelTables = { [N in ProjectionName]: ReadModelTable<ReadModelDocuments[N]> };

/** 1 while the ticket is still worked on: it counts in queues and workloads. */
function activeFlag(status: Status): number {
  return status === 'resolved' || status === 'closed' ? 0 : 1;
}

const READ_MODEL_TABLES: ReadModelTables = {
  'ticket-view': {
    stem: 'ticket_view',
    columns: [],
    indexes: {},
    values: () => [],
  },
  queues: {
    stem: 'queues',
    columns: [
      { name: 'tier', type: 'TEXT' },
      { name: 'active', type: 'INTEGER' },
      { name: 'status', type: 'TEXT' },
      { name: 'priority_rank', type: 'INTEGER' },
      { name: 'vip_rank', type: 'INTEGER' },
      { name: 'opened_at', type: 'TEXT' },
      { name: 'assignee_id', type: 'TEXT' },
    ],
    indexes: {
      // Partial: resolved and closed tickets pile up forever but are never queued.
      order: '(tier, priority_rank, vip_rank, opened_at, id, status, assignee_id) WHERE active = 1',
    },
    values: (ticket) => [
      ticket.tier,
      activeFlag(ticket.status),
      ticket.status,
      priorityRank(ticket.priority),
      ticket.customer.tier === 'vip' ? 0 : 1,
      ticket.openedAt,
      ticket.assigneeId,
    ],
  },
  'tier-workload': {
    stem: 'tier_workload',
    columns: [
      { name: 'tier', type: 'TEXT' },
      { name: 'active', type: 'INTEGER' },
      { name: 'status', type: 'TEXT' },
      { name: 'assignee_id', type: 'TEXT' },
      { name: 'opened_at', type: 'TEXT' },
    ],
    indexes: {
      // Covers both workload aggregations, so they never read a document.
      load: '(tier, assignee_id, status, opened_at) WHERE active = 1',
    },
    values: (workload) => [
      workload.tier,
      activeFlag(workload.status),
      workload.status,
      workload.assigneeId,
      workload.openedAt,
    ],
  },
  'escalation-kpis': {
    stem: 'escalation_kpis',
    columns: [{ name: 'opened_at', type: 'TEXT' }],
    indexes: { opened: '(opened_at, id)' },
    values: (facts) => [facts.openedAt],
  },
};

export function tableName(name: ProjectionName, generation: number): string {
  if (!Number.isSafeInteger(generation) || generation < 1) {
    throw new Error(`Not a generation number: ${generation}`);
  }
  return `rm_${READ_MODEL_TABLES[name].stem}_g${generation}`;
}

export function createTableSql(name: ProjectionName, generation: number): string[] {
  const table = tableName(name, generation);
  const { columns, indexes } = READ_MODEL_TABLES[name];
  const columnSql = ['id TEXT PRIMARY KEY', 'doc TEXT NOT NULL']
    .concat(columns.map((column) => `${column.name} ${column.type}`))
    .join(', ');
  return [
    `CREATE TABLE ${table} (${columnSql})`,
    ...Object.entries(indexes).map(
      ([suffix, body]) => `CREATE INDEX ${table}_${suffix} ON ${table} ${body}`,
    ),
  ];
}

export function dropTableSql(name: ProjectionName, generation: number): string {
  return `DROP TABLE IF EXISTS ${tableName(name, generation)}`;
}

export function upsertSql(name: ProjectionName, generation: number): string {
  const names = ['id', 'doc', ...READ_MODEL_TABLES[name].columns.map((column) => column.name)];
  const updates = names
    .slice(1)
    .map((column) => `${column} = excluded.${column}`)
    .join(', ');
  return (
    `INSERT INTO ${tableName(name, generation)} (${names.join(', ')}) ` +
    `VALUES (${names.map(() => '?').join(', ')}) ON CONFLICT(id) DO UPDATE SET ${updates}`
  );
}

/** The parameters of `upsertSql` for one document. */
export function upsertValues<N extends ProjectionName>(
  name: N,
  id: string,
  doc: ReadModelDocuments[N],
): SqlValue[] {
  const table = READ_MODEL_TABLES[name] as ReadModelTable<ReadModelDocuments[N]>;
  return [id, JSON.stringify(doc), ...table.values(doc)];
}
