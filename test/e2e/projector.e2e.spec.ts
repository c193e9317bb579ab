import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECTION_NAMES } from '@ledger/read-store';
import { ApiProcess, ensureServerBuilt, PROJECTOR_ENTRY, REPO_ROOT } from '../support/api-process';
import { nth } from '../support/elements';

/** A projector process on `dataDir`, with what it printed. */
class ProjectorProcess {
  output = '';
  private readonly exited: Promise<void>;

  private constructor(private readonly child: ChildProcess) {
    child.stdout?.on('data', (chunk) => (this.output += String(chunk)));
    child.stderr?.on('data', (chunk) => (this.output += String(chunk)));
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
  }

  static async start(dataDir: string): Promise<ProjectorProcess> {
    const child = spawn(process.execPath, [PROJECTOR_ENTRY], {
      cwd: REPO_ROOT,
      env: { ...process.env, DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const projector = new ProjectorProcess(child);
    const deadline = Date.now() + 30_000;
    while (!projector.output.includes('running')) {
      if (child.exitCode !== null || Date.now() > deadline) {
        throw new Error(`The projector did not start:\n${projector.output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return projector;
  }

  /** The read models it writes now, from its own lines. */
  get writes(): string[] {
    const held = new Set<string>();
    for (const line of this.output.split('\n')) {
      const [, taken] = / writes (\S+)$/.exec(line) ?? [];
      const [, given] = / no longer writes (\S+)$/.exec(line) ?? [];
      if (taken !== undefined) held.add(taken);
      if (given !== undefined) held.delete(given);
    }
    return [...held].sort();
  }

  async kill(): Promise<void> {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
    await this.exited;
  }
}

/** Every read model, sorted as the writers are compared. */
const READ_MODELS = [...PROJECTION_NAMES].sort();

describe('projections in projector processes', () => {
  let dataDir: string;
  let api: ApiProcess;
  const projectors: ProjectorProcess[] = [];

  beforeAll(async () => {
    ensureServerBuilt();
    dataDir = mkdtempSync(join(tmpdir(), 'ledger-projector-'));
    api = await ApiProcess.start(dataDir, { PROJECTIONS: 'off' });
    projectors.push(await ProjectorProcess.start(dataDir));
    projectors.push(await ProjectorProcess.start(dataDir));
  }, 120_000);

  afterAll(async () => {
    await Promise.all([api?.kill(), ...projectors.map((projector) => projector.kill())]);
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function openTicket(): Promise<{ ticketId: string; position: string }> {
    const answer = await api.request('POST', '/v1/tickets', {
      ticketId: randomUUID(),
      subject: 'Export fails',
      channel: 'email',
      customer: { id: 'c-1' },
      category: 'billing',
    });
    expect(answer.status).toBe(201);
    return answer.body;
  }

  /** Reads the ticket once its view has the position, retrying past 504s for up to `ms`. */
  async function readWhenProjected(ticketId: string, position: string, ms: number) {
    const deadline = Date.now() + ms;
    for (;;) {
      const answer = await api.request('GET', `/v1/tickets/${ticketId}?after=${position}`);
      if (answer.status === 200 || Date.now() > deadline) return answer;
    }
  }

  it('has exactly one projector write each read model', () => {
    const first = nth(projectors, 0);
    const second = nth(projectors, 1);

    expect([...first.writes, ...second.writes].sort()).toEqual(READ_MODELS);
  });

  it('serves what the API appended, projected by the projector', async () => {
    const { ticketId, position } = await openTicket();

    const answer = await readWhenProjected(ticketId, position, 10_000);

    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ ticketId, status: 'open', version: 1 });
  });

  it('lets the other projector take over within seconds when the writer dies', async () => {
    const writer = projectors.find((projector) => projector.writes.length > 0)!;
    const standby = projectors.find((projector) => projector !== writer)!;
    await writer.kill();
    const { ticketId, position } = await openTicket();

    const answer = await readWhenProjected(ticketId, position, 20_000);

    expect(answer.status).toBe(200);
    expect(standby.writes).toEqual(READ_MODELS);
  }, 30_000);
});
