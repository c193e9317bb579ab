import type { EventStore } from '@ledger/event-store';
import { syncFolder } from '@ledger/runtime';
import { randomBytes } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { AutomationView, type AutomationViewState, type LastApplied } from './automation-view';
import { foldFingerprint } from './fold-fingerprint';

/** Bumped when the file's layout changes; the fold's code is told apart by its fingerprint. */
const FORMAT = 2;
/** A half-written save older than this is a leftover of a process that died. */
const LEFTOVER_AGE_MS = 10 * 60_000;
/** Items per line: no line, and so no string, grows with the log. */
const CHUNK = 5000;

type Section = Exclude<keyof AutomationViewState, 'lastApplied'>;
const SECTIONS: readonly Section[] = ['tickets', 'ended', 'agents', 'lastAssignedAt'];

interface Header {
  format: number;
  /** `foldFingerprint()` of the code that made it. */
  fold: string;
  lastApplied: LastApplied;
}

/** The last line: a file without it, or whose sections hold other counts, was cut. */
interface Trailer {
  end: true;
  counts: Record<Section, number>;
}

/** Why a snapshot was not used, or the view it gave. */
export type LoadedSnapshot =
  | { view: AutomationView }
  | {
      view?: undefined;
      reason: 'none' | 'unreadable' | 'another format' | 'another fold' | 'not in the log';
    };

/** A file that is not the snapshot it claims to be. */
class Garbled extends Error {}

/**
 * The automation's view saved in a file, so a start folds only the log after
 * it instead of the whole log (seconds per million events). It is a cache:
 * kept only while the log still holds, at the snapshot's position, the very
 * event it was taken after, and the code folding the log is the code that
 * made it; otherwise (the log restored from an older copy, replaced, a file
 * from elsewhere, cut or garbled, another release) it is ignored and the log
 * folded from its start. It holds ids, tiers, priorities, categories, times,
 * scores, SLA clocks and the agents as registered: none of the customers'
 * names or texts.
 */
export class AutomationSnapshot {
  constructor(
    private readonly file: string,
    private readonly events: EventStore,
  ) {}

  async load(): Promise<LoadedSnapshot> {
    await this.removeLeftovers();
    let content: Buffer;
    try {
      content = await readFile(this.file);
    } catch {
      return { reason: 'none' };
    }
    let parsed: { header: Header; state: AutomationViewState };
    try {
      parsed = parse(content);
    } catch {
      return { reason: 'unreadable' };
    }
    if (parsed.header.format !== FORMAT) return { reason: 'another format' };
    if (parsed.header.fold !== foldFingerprint()) return { reason: 'another fold' };
    if (!(await this.holds(parsed.state))) return { reason: 'not in the log' };
    try {
      return { view: AutomationView.restored(parsed.state) };
    } catch {
      return { reason: 'unreadable' };
    }
  }

  /**
   * Saves the view, whole or not at all (written aside, synced, then renamed
   * into place); false when it cannot be taken now (a ticket to restore).
   */
  async save(view: AutomationView): Promise<boolean> {
    const state = view.state();
    if (!state) return false;
    const fresh = `${this.file}.${randomBytes(6).toString('hex')}.new`;
    const file = await open(fresh, 'wx', 0o600);
    try {
      const header: Header = {
        format: FORMAT,
        fold: foldFingerprint(),
        lastApplied: state.lastApplied,
      };
      await file.write(`${JSON.stringify(header)}\n`);
      for (const section of SECTIONS) {
        const items: unknown[] = state[section];
        for (let start = 0; start < items.length; start += CHUNK) {
          await file.write(`${JSON.stringify([section, items.slice(start, start + CHUNK)])}\n`);
        }
      }
      const counts = Object.fromEntries(
        SECTIONS.map((section) => [section, state[section].length]),
      );
      await file.write(`${JSON.stringify({ end: true, counts })}\n`);
      await file.sync();
    } catch (error) {
      await file.close();
      await unlink(fresh).catch(() => undefined);
      throw error;
    }
    await file.close();
    await rename(fresh, this.file);
    syncFolder(dirname(this.file));
    return true;
  }

  /**
   * Files a save left half-written when its process died. Only old ones: in
   * a DATA_DIR shared by processes, a younger one may be a save under way.
   */
  private async removeLeftovers(): Promise<void> {
    const prefix = `${basename(this.file)}.`;
    let names: string[];
    try {
      names = readdirSync(dirname(this.file));
    } catch {
      return;
    }
    for (const name of names) {
      if (!name.startsWith(prefix) || !name.endsWith('.new')) continue;
      const leftover = join(dirname(this.file), name);
      try {
        if (Date.now() - statSync(leftover).mtimeMs < LEFTOVER_AGE_MS) continue;
        await unlink(leftover);
      } catch {
        // Renamed or removed meanwhile by its process.
      }
    }
  }

  private async holds({ lastApplied }: AutomationViewState): Promise<boolean> {
    const [event] = await this.events.readStream(lastApplied.streamId, {
      after: lastApplied.version - 1,
      limit: 1,
    });
    return (
      event !== undefined &&
      event.version === lastApplied.version &&
      event.position === lastApplied.position &&
      event.metadata.eventId === lastApplied.eventId
    );
  }
}

/** The header and the state a snapshot's lines hold; throws `Garbled` (or a JSON error) when cut or garbled. */
function parse(content: Buffer): { header: Header; state: AutomationViewState } {
  const lines: string[] = [];
  for (let start = 0; start < content.length;) {
    const end = content.indexOf(0x0a, start);
    if (end < 0) throw new Garbled('the last line is cut');
    lines.push(content.toString('utf8', start, end));
    start = end + 1;
  }
  const first = lines.shift();
  const last = lines.pop();
  if (first === undefined || last === undefined) throw new Garbled('no header or no trailer');
  const header = JSON.parse(first) as Header;
  const trailer = JSON.parse(last) as Trailer;
  const lastApplied = header.lastApplied;
  if (typeof lastApplied?.streamId !== 'string' || !Number.isInteger(lastApplied.version)) {
    throw new Garbled('no last event');
  }
  if (trailer.end !== true) throw new Garbled('no trailer');
  const state: AutomationViewState = {
    lastApplied,
    tickets: [],
    ended: [],
    agents: [],
    lastAssignedAt: [],
  };
  for (const line of lines) {
    const [section, items] = JSON.parse(line) as [Section, unknown[]];
    if (!SECTIONS.includes(section) || !Array.isArray(items)) throw new Garbled('not a section');
    (state[section] as unknown[]).push(...items);
  }
  for (const section of SECTIONS) {
    if (state[section].length !== trailer.counts?.[section]) throw new Garbled(`${section} cut`);
  }
  return { header, state };
}
