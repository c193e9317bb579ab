import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machineContext } from './machine.mjs';

const resultsDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'results');

/**
 * A benchmark's outcome: `rows` for the printed table (label and figures),
 * `checks` for the targets (figure, target, met).
 */
export function printBenchmark({ title, rows, checks = [] }) {
  console.log(`\n## ${title}`);
  console.table(rows);
  for (const check of checks) {
    console.log(
      `${check.met ? 'MET ' : 'MISS'}  ${check.name}: ${check.value} (target ${check.target})`,
    );
  }
}

export function writeResults(benchmarks) {
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, 'latest.json');
  writeFileSync(file, `${JSON.stringify({ machine: machineContext(), benchmarks }, null, 2)}\n`);
  return file;
}
