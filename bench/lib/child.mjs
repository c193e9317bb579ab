import { spawn } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Runs `contender` on `file` in a child process of the benchmark module
 * `moduleUrl`, so its peak RSS is its own; resolves with the JSON line it
 * printed last.
 */
export function inChild(moduleUrl, contender, file) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fileURLToPath(moduleUrl), '--child', contender, file], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`${contender} child exited with ${code}`));
      resolve(JSON.parse(stdout.trim().split('\n').pop()));
    });
  });
}

/**
 * In a benchmark module started by `inChild`: runs the contender it names,
 * one of `contenders` (name → function of the file), and prints its outcome
 * with the process's peak RSS. Does nothing when the module was imported.
 */
export async function runIfChild(moduleUrl, contenders) {
  if (!process.argv[1] || moduleUrl !== pathToFileURL(process.argv[1]).href) return;
  const [flag, contender, file] = process.argv.slice(2);
  if (flag !== '--child') throw new Error('Run the benchmarks through bench/run.mjs');
  const outcome = await contenders[contender](file);
  console.log(JSON.stringify({ ...outcome, maxRssKb: process.resourceUsage().maxRSS }));
}

/**
 * A table row for a contender measured in children over rounds: events/s
 * (median, range, spread), seconds, peak RSS, and its ratio to the ceiling.
 */
export function throughputRow(name, measured, ratioToCeiling) {
  return {
    contender: name,
    'events/s': measured.eventsPerSecond.median,
    'min events/s': measured.eventsPerSecond.min,
    'max events/s': measured.eventsPerSecond.max,
    'spread %': measured.eventsPerSecond.spreadPct,
    seconds: measured.seconds.median,
    'peak RSS MB (max)': measured.peakRssMb.max,
    'x scan': ratioToCeiling,
  };
}
