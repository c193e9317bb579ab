import type Database from 'better-sqlite3';

/**
 * What one connection has learnt of the tables' shape, asked of SQLite once:
 * a table is never altered after it is made, and once it exists it is only
 * ever dropped whole, under a new name's generation.
 */
export class SchemaKnowledge {
  private readonly tables = new Set<string>();
  private readonly columns = new Map<string, boolean>();
  private readonly selectTable: Database.Statement<[string], number>;

  constructor(private readonly db: Database.Database) {
    this.selectTable = db
      .prepare<[string], number>("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")
      .pluck();
  }

  hasTable(table: string): boolean {
    if (this.tables.has(table)) return true;
    const found = this.selectTable.get(table);
    // Only its presence is kept: a missing table may be made by another process.
    if (found !== undefined) this.tables.add(table);
    return found !== undefined;
  }

  hasColumn(table: string, column: string): boolean {
    const key = `${table}.${column}`;
    let known = this.columns.get(key);
    if (known === undefined) {
      const info = this.db.pragma(`table_info(${table})`) as { name: string }[];
      known = info.some((each) => each.name === column);
      this.columns.set(key, known);
    }
    return known;
  }
}
