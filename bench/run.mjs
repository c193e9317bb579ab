import { machineContext } from './lib/machine.mjs';
import { printBenchmark, writeResults } from './lib/report.mjs';

/** Each benchmark module exports `run(): Promise<{ title, rows, checks, data }>`. */
const BENCHMARKS = ['http', 'appends', 'encryption', 'rebuild', 'reads', 'restart', 'verify'];

const asked = process.argv.slice(2);
const unknown = asked.filter((name) => !BENCHMARKS.includes(name));
if (unknown.length > 0) {
  console.error(`Unknown benchmark ${unknown.join(', ')}: choose from ${BENCHMARKS.join(', ')}`);
  process.exit(2);
}
const selected = asked.length > 0 ? asked : BENCHMARKS;

console.log('Escalation Ledger benchmarks on', machineContext());
const results = {};
for (const name of selected) {
  const { run } = await import(`./${name}.bench.mjs`);
  const result = await run();
  printBenchmark(result);
  results[name] = result;
}
console.log(`\nResults written to ${writeResults(results)}`);
