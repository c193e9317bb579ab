import type { Command } from 'commander';
import { once } from 'node:events';
import { createWriteStream, renameSync, rmSync } from 'node:fs';
import type { Writable } from 'node:stream';
import type { RecordedEvent } from '@ledger/event-store';
import { UsageError } from '../cli-error';
import { withStores } from '../cli-stores';
import { print } from '../options';
import { progress, type Progress } from '../progress';

/** Events read at once: what the export holds in memory, whatever the log's size. */
const PAGE = 1000;

/** One line of the export: the event, its place in the log, and its metadata. */
export function exportLine(event: RecordedEvent): string {
  return `${JSON.stringify({
    type: event.type,
    streamId: event.streamId,
    version: event.version,
    position: event.position,
    occurredAt: event.metadata.occurredAt,
    metadata: event.metadata,
    data: event.data,
  })}\n`;
}

/** Resolves once `out` has taken `text`, waiting for it to drain when its buffer is full. */
async function write(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

interface ExportEventsOptions {
  from?: string;
  out?: string;
}

export function registerExportEvents(exportCommand: Command): void {
  exportCommand
    .command('events')
    .description('the log as NDJSON, one event a line, in log order')
    .option(
      '--from <position>',
      'only the events after this log position (a previous export’s last)',
    )
    .option('--out <file>', 'write to this file (replaced once complete) instead of stdout')
    .action(async (options: ExportEventsOptions) => {
      const exported = await withStores({ existing: true }, async ({ events }) => {
        if (options.from !== undefined && !events.isValidPosition(options.from)) {
          throw new UsageError(`--from ${options.from} is not a position of this log`);
        }
        // Written beside the file and renamed when complete: an export cut short leaves no file that looks whole.
        const partial = options.out && `${options.out}.partial`;
        const out = partial ? createWriteStream(partial) : process.stdout;
        const failed = partial
          ? once(out, 'error').then(([error]) => Promise.reject(error))
          : undefined;
        const bar = partial ? progress('export', 'events') : undefined;
        try {
          const count = await Promise.race([
            exportPages(events.readAll.bind(events), options.from, out, bar),
            ...(failed ? [failed] : []),
          ]);
          if (partial) {
            out.end();
            await once(out, 'finish');
            renameSync(partial, options.out!);
          }
          return count;
        } catch (error) {
          if (partial) {
            out.destroy();
            rmSync(partial, { force: true });
          }
          throw error;
        } finally {
          bar?.stop();
        }
      });
      if (options.out) await print(`${exported} events written to ${options.out}\n`);
    });
}

async function exportPages(
  readAll: (options: { after?: string; limit: number }) => Promise<RecordedEvent[]>,
  from: string | undefined,
  out: Writable,
  bar: Progress | undefined,
): Promise<number> {
  let after = from;
  let count = 0;
  for (;;) {
    const page = await readAll({ after, limit: PAGE });
    if (page.length > 0) await write(out, page.map(exportLine).join(''));
    count += page.length;
    bar?.update(count);
    const last = page.at(-1);
    if (!last || page.length < PAGE) return count;
    after = last.position;
  }
}
