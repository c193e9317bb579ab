import type { EventStore } from '@ledger/event-store';
import { open, readFile, rename } from 'node:fs/promises';
import { AutomationView, type AutomationViewState, type LastApplied } from './automation-view';

/** Bumped when the view's state changes shape: an older snapshot is then folded anew. */
const FORMAT = 1;
/** Items per line: no line, and so no string, grows with the log. */
const CHUNK = 5000;

type Section = Exclude<keyof AutomationViewState, 'lastApplied'>;
const SECTIONS: readonly Section[] = ['tickets', 'ended', 'agents', 'lastAssignedAt'];

interface Header {
  format: number;
  lastApplied: LastApplied;
}

/** Why a snapshot was not used, or the view it gave. */
export type LoadedSnapshot =
  | { view: AutomationView }
  | { view?: undefined; reason: 'none' | 'unreadable' | 'another format' | 'not in the log' };

/**
 * The automation's view saved in a file, so a start folds only the log after
 * it instead of the whole log (seconds per million events). It is a cache:
 * kept only while the log still holds, at the snapshot's position, the very
 * event it was taken after; otherwise (the log restored from an older copy,
 * replaced, or a file from elsewhere) it is ignored and the log folded from
 * its start. It holds ids, tiers, priorities, times and SLA clocks: none of
 * the customers' names or texts.
 */
export class AutomationSnapshot {
  constructor(
    private readonly file: string,
    private readonly events: EventStore,
  ) {}

  async load(): Promise<LoadedSnapshot> {
    let content: Buffer;
    try {
      content = await readFile(this.file);
    } catch {
      return { reason: 'none' };
    }
    let state: AutomationViewState | undefined;
    try {
      state = parse(content);
    } catch {
      return { reason: 'unreadable' };
    }
    if (!state) return { reason: 'another format' };
    if (!(await this.holds(state))) return { reason: 'not in the log' };
    return { view: AutomationView.restored(state) };
  }

  /** Saves the view, whole or not at all; false when it cannot be taken now (a ticket to restore). */
  async save(view: AutomationView): Promise<boolean> {
    const state = view.state();
    if (!state) return false;
    const fresh = `${this.file}.${process.pid}.new`;
    const file = await open(fresh, 'w', 0o600);
    try {
      await file.write(
        `${JSON.stringify({ format: FORMAT, lastApplied: state.lastApplied } satisfies Header)}\n`,
      );
      for (const section of SECTIONS) {
        const items: unknown[] = state[section];
        for (let start = 0; start < items.length; start += CHUNK) {
          await file.write(`${JSON.stringify([section, items.slice(start, start + CHUNK)])}\n`);
        }
      }
    } finally {
      await file.close();
    }
    await rename(fresh, this.file);
    return true;
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

/** The state a snapshot's lines hold, or undefined when written in another format; throws when garbled. */
function parse(content: Buffer): AutomationViewState | undefined {
  const lines: string[] = [];
  for (let start = 0; start < content.length;) {
    const end = content.indexOf(0x0a, start);
    if (end < 0) throw new Error('the last line is cut');
    lines.push(content.toString('utf8', start, end));
    start = end + 1;
  }
  const [first, ...rest] = lines;
  if (first === undefined) throw new Error('empty');
  const header = JSON.parse(first) as Header;
  if (header.format !== FORMAT) return undefined;
  const last = header.lastApplied;
  if (typeof last?.streamId !== 'string' || !Number.isInteger(last.version)) {
    throw new Error('no last event');
  }
  const state: AutomationViewState = {
    lastApplied: header.lastApplied,
    tickets: [],
    ended: [],
    agents: [],
    lastAssignedAt: [],
  };
  for (const line of rest) {
    const [section, items] = JSON.parse(line) as [Section, unknown[]];
    if (!SECTIONS.includes(section) || !Array.isArray(items)) throw new Error('not a section');
    (state[section] as unknown[]).push(...items);
  }
  return state;
}
