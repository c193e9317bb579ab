import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { TEST_ADMIN_KEY } from './credentials';
import { sendRequest, type HttpAnswer, type HttpClient } from './http-client';
import { checkAnswer, serveDocument } from './openapi-conformance';

export const REPO_ROOT = join(__dirname, '..', '..');
export const SERVER_ENTRY = join(REPO_ROOT, 'dist', 'apps', 'api', 'src', 'main.js');
export const PROJECTOR_ENTRY = join(REPO_ROOT, 'dist', 'apps', 'projector', 'src', 'main.js');

const SOURCE_FOLDERS = ['apps', 'libs', 'projections'];
const BUILD_INPUTS = [
  'tsconfig.json',
  'tsconfig.build.json',
  'package.json',
  join('apps', 'dashboard', 'build.mjs'),
];

function newestMtime(path: string, include: (file: string) => boolean): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return include(path) ? stat.mtimeMs : 0;
  let newest = 0;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry === 'test' || entry === 'testing') continue;
    newest = Math.max(newest, newestMtime(join(path, entry), include));
  }
  return newest;
}

/** TypeScript outside tests, and the dashboard's page and stylesheet, which the build copies. */
const isBuiltSource = (file: string) =>
  (file.endsWith('.ts') && !file.endsWith('.spec.ts')) ||
  file.endsWith('.html') ||
  file.endsWith('.css');

/** Builds the server unless dist holds a build newer than every source it comes from. */
export function ensureServerBuilt(): void {
  const sources = Math.max(
    ...SOURCE_FOLDERS.map((folder) => newestMtime(join(REPO_ROOT, folder), isBuiltSource)),
    ...BUILD_INPUTS.map((file) => statSync(join(REPO_ROOT, file)).mtimeMs),
  );
  const built = existsSync(SERVER_ENTRY)
    ? newestMtime(join(REPO_ROOT, 'dist'), (file) => file.endsWith('.js'))
    : 0;
  if (built > sources) return;
  try {
    execFileSync('npm', ['run', 'build'], { cwd: REPO_ROOT, stdio: 'pipe' });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`npm run build failed:\n${String(stdout ?? '')}${String(stderr ?? '')}`);
  }
}

/** A port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** The built API running as a child process on its own port and data folder. */
export class ApiProcess implements HttpClient {
  private output = '';
  private readonly exited: Promise<void>;

  private constructor(
    private readonly child: ChildProcess,
    readonly baseUrl: string,
  ) {
    child.stdout?.on('data', (chunk) => (this.output += String(chunk)));
    child.stderr?.on('data', (chunk) => (this.output += String(chunk)));
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
  }

  static async start(dataDir: string, env: Record<string, string> = {}): Promise<ApiProcess> {
    const port = await freePort();
    const child = spawn(process.execPath, [SERVER_ENTRY], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        PORT: String(port),
        DATA_DIR: dataDir,
        ADMIN_KEY: TEST_ADMIN_KEY,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const api = new ApiProcess(child, `http://127.0.0.1:${port}`);
    await api.waitUntilHealthy();
    const document = (await api.unchecked('GET', '/docs/openapi.json')).body;
    serveDocument(api.baseUrl, () => document);
    return api;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** What the process printed, for failure messages. */
  get log(): string {
    return this.output;
  }

  request<T = any>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<HttpAnswer<T>> {
    return sendRequest(this.baseUrl, method, path, body, headers, {
      timeoutMs: 15_000,
      check: (answer) => checkAnswer(this.baseUrl, answer),
    });
  }

  /** A request whose answer is not checked: before the process's document is known. */
  private unchecked(method: string, path: string): Promise<HttpAnswer> {
    return sendRequest(this.baseUrl, method, path, undefined, {}, { timeoutMs: 15_000 });
  }

  /** Asks the process to stop, as a service manager does, and waits for it to be gone. */
  async terminate(): Promise<void> {
    if (this.alive) this.child.kill('SIGTERM');
    await this.exited;
  }

  /** Stops every thread of the process where it is (SIGSTOP, Linux) until `resume()`. */
  async pause(): Promise<void> {
    this.child.kill('SIGSTOP');
    const threads = `/proc/${this.child.pid}/task`;
    const stopped = (tid: string) => {
      try {
        const stat = readFileSync(join(threads, tid, 'stat'), 'utf8');
        // The state follows the command's name, which is in parentheses.
        return stat.slice(stat.lastIndexOf(')') + 2).startsWith('T');
      } catch {
        return true; // the thread has ended
      }
    };
    while (this.alive && !readdirSync(threads).every(stopped)) {
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }

  resume(): void {
    this.child.kill('SIGCONT');
  }

  /** The processes this one has started and that still run (Linux). */
  childPids(): number[] {
    return readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry))
      .filter((pid) => {
        try {
          const stat = readFileSync(join('/proc', pid, 'stat'), 'utf8');
          // The parent's id is the second field after the command's name, which is in parentheses.
          return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === this.child.pid;
        } catch {
          return false; // ended meanwhile
        }
      })
      .map(Number);
  }

  /**
   * Kills the process without warning and waits for it to be gone. What it
   * wrote stays in the page cache, unlike after a power cut (see PowerCut).
   */
  async kill(): Promise<void> {
    if (this.alive) this.child.kill('SIGKILL');
    await this.exited;
  }

  private async waitUntilHealthy(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (!this.alive) throw new Error(`The API exited while starting:\n${this.output}`);
      try {
        if ((await this.unchecked('GET', '/health')).status === 200) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) {
        await this.kill();
        throw new Error(`The API did not become healthy in ${timeoutMs} ms:\n${this.output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
