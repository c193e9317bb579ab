import { TALLY_NUMBER_PATHS, type KpiGrouping } from '@ledger/domain';
import { shareColumn } from './escalation-facts-columns';

/**
 * The escalation facts' tally shares summed per opening day and group key, in
 * tables beside the facts, so a KPI read adds up a few thousand day rows
 * instead of every ticket of the cohort. Triggers on the facts table keep
 * each sum in step in the transaction that writes the facts: the sums are
 * derived, never a second truth.
 *
 * `days` serves the totals and the category, channel, priority, day and week
 * groupings (the week is a function of the day); `agents` the agent grouping,
 * which alone would multiply the keys of `days` by the number of agents.
 */
interface Rollup {
  suffix: string;
  /** Key columns, each with its expression over a facts row (`{row}` stands for NEW, OLD or the table). */
  keys: readonly { name: string; of: string }[];
}

const DAY = { name: 'day', of: 'substr({row}.opened_at, 1, 10)' };
const column = (name: string) => ({ name, of: `{row}.${name}` });

const DAYS: Rollup = {
  suffix: 'days',
  keys: [DAY, column('category'), column('channel'), column('priority'), column('kpi_week')],
};
const AGENTS: Rollup = { suffix: 'agent_days', keys: [DAY, column('kpi_agent')] };
const ROLLUPS = [DAYS, AGENTS];

const SHARES = TALLY_NUMBER_PATHS.map(shareColumn);
/** Every ticket adds 1 to it: a group whose sum is 0 holds no ticket. */
export const TICKETS_SHARE = shareColumn('ticketsOpened');

export function rollupTable(factsTable: string, grouping: KpiGrouping | undefined): string {
  return `${factsTable}_${grouping === 'agent' ? AGENTS.suffix : DAYS.suffix}`;
}

/** The columns a rollup row holds, after its keys: what a facts row gives for them is in `factsRowColumns`. */
export function rollupColumns(grouping: KpiGrouping | undefined): string[] {
  const rollup = grouping === 'agent' ? AGENTS : DAYS;
  return [...rollup.keys.map((key) => key.name), ...SHARES];
}

/** The same columns read from the facts table itself, for the tickets of days not whole in the cohort. */
export function factsRowColumns(grouping: KpiGrouping | undefined): string[] {
  const rollup = grouping === 'agent' ? AGENTS : DAYS;
  return [...rollup.keys.map((key) => `${key.of.replace('{row}.', '')} AS ${key.name}`), ...SHARES];
}

const keysOf = (rollup: Rollup, row: string) =>
  rollup.keys.map((key) => key.of.replace('{row}', row));

/** Adds to the rollup row under `keys` the share values `shareOf` gives, creating the row if need be. */
function addSql(
  table: string,
  rollup: Rollup,
  keys: readonly string[],
  shareOf: (share: string) => string,
): string {
  const keyNames = rollup.keys.map((key) => key.name);
  const sums = SHARES.map((share) => `${share} = ${share} + excluded.${share}`);
  return (
    `INSERT INTO ${table} (${[...keyNames, ...SHARES].join(', ')}) ` +
    `VALUES (${[...keys, ...SHARES.map(shareOf)].join(', ')}) ` +
    `ON CONFLICT (${keyNames.join(', ')}) DO UPDATE SET ${sums.join(', ')};`
  );
}

const TRIGGER_EVENTS = ['insert', 'update', 'move', 'delete'] as const;

/**
 * The statements that (re)build every rollup of `factsTable` from its rows
 * and install the triggers that keep them in step; run them in one
 * transaction, so no write of the facts falls between the sums and the triggers.
 */
export function buildRollupsSql(factsTable: string): string[] {
  return ROLLUPS.flatMap((rollup) => {
    const table = `${factsTable}_${rollup.suffix}`;
    const trigger = (event: (typeof TRIGGER_EVENTS)[number]) => `${table}_on_${event}`;
    const keyNames = rollup.keys.map((key) => key.name);
    const add = (row: 'NEW' | 'OLD', sign: '' | '-') =>
      addSql(table, rollup, keysOf(rollup, row), (share) => `${sign}ifnull(${row}.${share}, 0)`);
    const oldKeys = keysOf(rollup, 'OLD');
    const newKeys = keysOf(rollup, 'NEW');
    const sameKeys = oldKeys.map((key, index) => `${key} IS ${newKeys[index]}`).join(' AND ');
    const sharesChanged = SHARES.map((share) => `OLD.${share} IS NOT NEW.${share}`).join(' OR ');
    // The usual update keeps the ticket in its group: one row gets the difference.
    const addDifference = addSql(
      table,
      rollup,
      newKeys,
      (share) => `ifnull(NEW.${share}, 0) - ifnull(OLD.${share}, 0)`,
    );
    return [
      ...TRIGGER_EVENTS.map((event) => `DROP TRIGGER IF EXISTS ${trigger(event)}`),
      `DROP TABLE IF EXISTS ${table}`,
      // A rowid table with a unique key, not WITHOUT ROWID: a NULL key must
      // never fail the facts' write; it only gets a row of its own.
      `CREATE TABLE ${table} (${[...keyNames.map((name) => `${name} TEXT`), ...SHARES.map((share) => `${share} INTEGER NOT NULL`)].join(', ')})`,
      `CREATE UNIQUE INDEX ${table}_key ON ${table} (${keyNames.join(', ')})`,
      `INSERT INTO ${table} SELECT ${[...keysOf(rollup, factsTable), ...SHARES.map((share) => `ifnull(SUM(${share}), 0)`)].join(', ')} ` +
        `FROM ${factsTable} GROUP BY ${keyNames.map((_, index) => index + 1).join(', ')}`,
      `CREATE TRIGGER ${trigger('insert')} AFTER INSERT ON ${factsTable} BEGIN ${add('NEW', '')} END`,
      `CREATE TRIGGER ${trigger('update')} AFTER UPDATE ON ${factsTable} ` +
        `WHEN ${sameKeys} AND (${sharesChanged}) BEGIN ${addDifference} END`,
      `CREATE TRIGGER ${trigger('move')} AFTER UPDATE ON ${factsTable} ` +
        `WHEN NOT (${sameKeys}) BEGIN ${add('OLD', '-')} ${add('NEW', '')} END`,
      `CREATE TRIGGER ${trigger('delete')} AFTER DELETE ON ${factsTable} BEGIN ${add('OLD', '-')} END`,
    ];
  });
}

/** Dropping the facts table drops its triggers; its rollups go with these. */
export function dropRollupsSql(factsTable: string): string[] {
  return ROLLUPS.map((rollup) => `DROP TABLE IF EXISTS ${factsTable}_${rollup.suffix}`);
}

/** The last table `buildRollupsSql` creates: when it exists, the rollups and their triggers do. */
export function lastRollupTable(factsTable: string): string {
  return `${factsTable}_${ROLLUPS.at(-1)!.suffix}`;
}
