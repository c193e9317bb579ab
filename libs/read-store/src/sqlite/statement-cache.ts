import type { Database, Statement } from 'better-sqlite3';
import type { ProjectionName } from '../read-models';

/**
 * Prepared statements per (read model, generation), reused across calls:
 * preparing costs more than running the small statements of a batch.
 */
export class StatementCache {
  private readonly byGeneration = new Map<string, Map<string, Statement>>();

  constructor(private readonly db: Database) {}

  get<Params extends unknown[] = unknown[], Row = unknown>(
    name: ProjectionName,
    generation: number,
    sql: string,
  ): Statement<Params, Row> {
    const key = `${name}:${generation}`;
    let statements = this.byGeneration.get(key);
    if (!statements) {
      statements = new Map();
      this.byGeneration.set(key, statements);
    }
    let statement = statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      statements.set(sql, statement);
    }
    return statement as Statement<Params, Row>;
  }

  /** Forgets a dropped generation's statements. */
  forget(name: ProjectionName, generation: number): void {
    this.byGeneration.delete(`${name}:${generation}`);
  }
}
