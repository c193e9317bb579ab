import type Database from 'better-sqlite3';

/**
 * What one connection has learnt of the tables' shape, asked of SQLite once:
 * a table is never altered after it is made, and once it exists it is only
 * ever dropped whole, under a new name's generation.
 */
export class SchemaKnowledge {
  /** `<type> <name>` of the tables and indexes found: a missing one may be made by another process. */
  private readonly present = new Set<string>();
  private readonly columns = new Map<string, boolean>();
  private readonly selectEntry: Database.Statement<[string, string], number>;

  constructor(private readonly db: Database.Database) {
    this.selectEntry = db
      .prepare<[string, string], number>('SELECT 1 FROM sqlite_master WHERE type = ? AND name = ?')
      .pluck();
  }

  hasTable(table: string): boolean {
    return this.has('table', table);
  }

  hasIndex(index: string): boolean {
    return this.has('index', index);
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

  private has(type: 'table' | 'index', name: string): boolean {
    const key = `${type} ${name}`;
    if (this.present.has(key)) return true;
    const found = this.selectEntry.get(type, name) !== undefined;
    if (found) this.present.add(key);
    return found;
  }
}
