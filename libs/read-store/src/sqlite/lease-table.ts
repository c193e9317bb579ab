import type { Database, Statement } from 'better-sqlite3';

const SCHEMA = `CREATE TABLE IF NOT EXISTS rm_leases (
  lease TEXT PRIMARY KEY,
  holder TEXT NOT NULL,
  expires_at INTEGER NOT NULL
)`;

/** Leases by name: one holder each, until it expires unless renewed. Times in epoch milliseconds. */
export class LeaseTable {
  private readonly claimStatement: Statement<[string, string, number, number]>;
  private readonly releaseStatement: Statement<[string, string]>;
  private readonly holdsStatement: Statement<[string, string, number], number>;

  constructor(db: Database) {
    db.exec(SCHEMA);
    // Taken when free, expired, or already this holder's (a renewal).
    this.claimStatement = db.prepare(
      `INSERT INTO rm_leases (lease, holder, expires_at) VALUES (?, ?, ?)
       ON CONFLICT (lease) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
       WHERE rm_leases.holder = excluded.holder OR rm_leases.expires_at <= ?`,
    );
    this.releaseStatement = db.prepare('DELETE FROM rm_leases WHERE lease = ? AND holder = ?');
    this.holdsStatement = db
      .prepare<[string, string, number], number>(
        'SELECT 1 FROM rm_leases WHERE lease = ? AND holder = ? AND expires_at > ?',
      )
      .pluck();
  }

  claim(lease: string, holder: string, ttlMs: number, now: number): boolean {
    return this.claimStatement.run(lease, holder, now + ttlMs, now).changes === 1;
  }

  release(lease: string, holder: string): void {
    this.releaseStatement.run(lease, holder);
  }

  holds(lease: string, holder: string, now: number): boolean {
    return this.holdsStatement.get(lease, holder, now) !== undefined;
  }
}
