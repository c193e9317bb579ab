import { performance } from 'node:perf_hooks';
import { APPENDS_PER_STREAM } from './workload.mjs';

/**
 * `appenders` loops run at once, each awaiting its own appends to its own
 * streams until the deadline; appends in flight at the deadline are awaited
 * and counted, and the elapsed time runs until the last one settles.
 */
export async function driveAppenders({ append, appenders, durationMs, workload }) {
  const latenciesMs = [];
  let appends = 0;
  const started = performance.now();
  const deadline = started + durationMs;
  const loop = async (appender) => {
    let n = appender;
    while (performance.now() < deadline) {
      const streamId = workload.newStreamId();
      for (let version = 0; version < APPENDS_PER_STREAM; version++) {
        const before = performance.now();
        if (before >= deadline) break;
        await append(streamId, workload.event(n, version), version);
        latenciesMs.push(performance.now() - before);
        appends += 1;
        n += appenders;
      }
    }
  };
  await Promise.all(Array.from({ length: appenders }, (_, appender) => loop(appender)));
  return { appends, seconds: (performance.now() - started) / 1000, latenciesMs };
}

/**
 * The batched ceiling: no promises, no queue, each transaction holding the
 * next append of every appender, as perfect group commit would.
 */
export function driveBatches({ appendBatch, appenders, durationMs, workload }) {
  const latenciesMs = [];
  const streams = Array.from({ length: appenders }, () => ({
    id: '',
    version: APPENDS_PER_STREAM,
  }));
  const batch = Array.from({ length: appenders }, () => ({
    streamId: '',
    event: null,
    version: 0,
  }));
  let appends = 0;
  let n = 0;
  const started = performance.now();
  const deadline = started + durationMs;
  for (let before = started; before < deadline; before = performance.now()) {
    for (let appender = 0; appender < appenders; appender++) {
      const stream = streams[appender];
      if (stream.version === APPENDS_PER_STREAM) {
        stream.id = workload.newStreamId();
        stream.version = 0;
      }
      const entry = batch[appender];
      entry.streamId = stream.id;
      entry.event = workload.event(n++, stream.version);
      entry.version = stream.version;
      stream.version += 1;
    }
    appendBatch(batch);
    // Every append of the batch waited for the whole transaction.
    const latency = performance.now() - before;
    for (let appender = 0; appender < appenders; appender++) latenciesMs.push(latency);
    appends += appenders;
  }
  return { appends, seconds: (performance.now() - started) / 1000, latenciesMs };
}
