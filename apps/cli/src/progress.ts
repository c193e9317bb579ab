import { SingleBar } from 'cli-progress';

/** What a long command reports its progress to. */
export interface Progress {
  /** `value`: done so far; `total`: to do, when it became known. */
  update(value: number, total?: number): void;
  stop(): void;
}

const silent: Progress = { update: () => undefined, stop: () => undefined };

/**
 * A progress bar on stderr while someone watches (stdout is a terminal);
 * nothing in scripts and pipes. Without a total, it counts and shows the rate.
 */
export function progress(label: string, unit: string, total?: number): Progress {
  if (!process.stdout.isTTY || !process.stderr.isTTY) return silent;
  const started = Date.now();
  const format =
    total !== undefined
      ? `${label} {bar} {percentage}% | {value}/{total} ${unit} | {rate} ${unit}/s | {eta_formatted}`
      : `${label} {value} ${unit} | {rate} ${unit}/s | {duration_formatted}`;
  const bar = new SingleBar({ format, hideCursor: true, clearOnComplete: true });
  bar.start(total ?? 0, 0, { rate: 0 });
  return {
    update(value, newTotal) {
      if (newTotal !== undefined) bar.setTotal(newTotal);
      const seconds = (Date.now() - started) / 1000;
      bar.update(value, { rate: seconds > 0 ? Math.round(value / seconds) : 0 });
    },
    stop: () => bar.stop(),
  };
}
