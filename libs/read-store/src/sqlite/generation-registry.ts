import type { Database, Statement } from 'better-sqlite3';
import type { ProjectionName } from '../read-models';
import type { GenerationInfo, ProjectionRegistration } from '../read-store';

type GenerationState = 'active' | 'building';

interface GenerationRow {
  name: ProjectionName;
  generation: number;
  projection_version: number;
  position: string | null;
  state: GenerationState;
}

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS rm_generations (
    name TEXT NOT NULL,
    generation INTEGER NOT NULL,
    projection_version INTEGER NOT NULL,
    position TEXT,
    state TEXT NOT NULL CHECK (state IN ('active', 'building')),
    PRIMARY KEY (name, generation)
  )`,
  `CREATE UNIQUE INDEX IF NOT EXISTS rm_generations_one_active
    ON rm_generations (name) WHERE state = 'active'`,
  `CREATE UNIQUE INDEX IF NOT EXISTS rm_generations_one_building
    ON rm_generations (name) WHERE state = 'building'`,
  // Generation numbers are never reused, so a writer still holding a discarded
  // generation cannot land in a newer one that happens to get the same number.
  `CREATE TABLE IF NOT EXISTS rm_generation_counters (
    name TEXT PRIMARY KEY,
    last_generation INTEGER NOT NULL
  )`,
];

function toInfo(row: GenerationRow): GenerationInfo {
  return {
    name: row.name,
    generation: row.generation,
    projectionVersion: row.projection_version,
    position: row.position ?? undefined,
  };
}

/** Which generations of each read model exist, which one serves, and how far each got. */
export class GenerationRegistry {
  private readonly byName: Statement<[ProjectionName], GenerationRow>;
  private readonly byGeneration: Statement<[ProjectionName, number], GenerationRow>;
  private readonly activeOf: Statement<[ProjectionName], { generation: number }>;
  private readonly claimNumber: Statement<[ProjectionName, ProjectionName], { generation: number }>;
  private readonly insertBuilding: Statement<[ProjectionName, number, number]>;
  private readonly markActive: Statement<[ProjectionName, number]>;
  private readonly deleteRow: Statement<[ProjectionName, number]>;
  private readonly updatePosition: Statement<[string, ProjectionName, number]>;

  constructor(db: Database) {
    for (const sql of SCHEMA) db.exec(sql);
    this.byName = db.prepare('SELECT * FROM rm_generations WHERE name = ?');
    this.byGeneration = db.prepare(
      'SELECT * FROM rm_generations WHERE name = ? AND generation = ?',
    );
    this.activeOf = db.prepare(
      `SELECT generation FROM rm_generations WHERE name = ? AND state = 'active'`,
    );
    this.claimNumber = db.prepare(
      `INSERT INTO rm_generation_counters (name, last_generation)
       VALUES (?, (SELECT COALESCE(MAX(generation), 0) + 1 FROM rm_generations WHERE name = ?))
       ON CONFLICT(name) DO UPDATE
         SET last_generation = MAX(last_generation + 1, excluded.last_generation)
       RETURNING last_generation AS generation`,
    );
    this.insertBuilding = db.prepare(
      `INSERT INTO rm_generations (name, generation, projection_version, position, state)
       VALUES (?, ?, ?, NULL, 'building')`,
    );
    this.markActive = db.prepare(
      `UPDATE rm_generations SET state = 'active' WHERE name = ? AND generation = ?`,
    );
    this.deleteRow = db.prepare('DELETE FROM rm_generations WHERE name = ? AND generation = ?');
    this.updatePosition = db.prepare(
      'UPDATE rm_generations SET position = ? WHERE name = ? AND generation = ?',
    );
  }

  registration(name: ProjectionName): ProjectionRegistration {
    const rows = this.byName.all(name);
    const inState = (state: GenerationState) => rows.find((row) => row.state === state);
    const active = inState('active');
    const building = inState('building');
    return {
      name,
      active: active && toInfo(active),
      building: building && toInfo(building),
    };
  }

  activeGeneration(name: ProjectionName): number | undefined {
    return this.activeOf.get(name)?.generation;
  }

  stateOf(name: ProjectionName, generation: number): GenerationState | undefined {
    return this.byGeneration.get(name, generation)?.state;
  }

  /** Registers a new building generation under a number never used before for `name`. */
  addBuilding(name: ProjectionName, projectionVersion: number): GenerationInfo {
    if (this.registration(name).building) {
      throw new Error(`Read model ${name} already has a generation being built`);
    }
    const { generation } = this.claimNumber.get(name, name)!;
    this.insertBuilding.run(name, generation, projectionVersion);
    return { name, generation, projectionVersion, position: undefined };
  }

  activate(name: ProjectionName, generation: number): void {
    this.markActive.run(name, generation);
  }

  remove(name: ProjectionName, generation: number): void {
    this.deleteRow.run(name, generation);
  }

  /** Returns false when the generation is not registered. */
  movePosition(name: ProjectionName, generation: number, position: string): boolean {
    return this.updatePosition.run(position, name, generation).changes === 1;
  }
}
