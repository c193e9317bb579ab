import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The committed runs, newest first: every `results/*.json` but `latest.json`, which git ignores. */
export function recordedRuns(resultsDir) {
  return readdirSync(resultsDir)
    .filter((file) => file.endsWith('.json') && file !== 'latest.json')
    .map((file) => ({ file, run: JSON.parse(readFileSync(join(resultsDir, file), 'utf8')) }))
    .sort((a, b) => b.run.machine.date.localeCompare(a.run.machine.date));
}

const cell = (value) => String(value ?? '').replaceAll('|', '\\|');

function markdownTable(rows) {
  if (rows.length === 0) return [];
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  return [
    `| ${columns.map(cell).join(' | ')} |`,
    `| ${columns.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${columns.map((column) => cell(row[column])).join(' | ')} |`),
  ];
}

function machineLine({ date, node, platform, cpuModel, cores, memoryGiB }) {
  return `Run at ${date} on ${cpuModel}, ${cores} cores, ${memoryGiB} GiB, ${platform}, Node ${node}.`;
}

/** The settings a benchmark ran with, when it recorded them: a figure means nothing without them. */
function settingsLine(data) {
  const config = data?.config;
  if (!config || typeof config !== 'object') return [];
  const settings = Object.entries(config).map(
    ([name, value]) => `${name}=${JSON.stringify(value)}`,
  );
  return [`Settings: ${settings.join(', ')}.`, ''];
}

/** One committed run as Markdown: its machine, then each benchmark's table and targets. */
export function runSection({ file, run }) {
  const lines = [`### [\`results/${file}\`](results/${file})`, '', machineLine(run.machine), ''];
  for (const benchmark of Object.values(run.benchmarks)) {
    lines.push(`#### ${benchmark.title}`, '', ...settingsLine(benchmark.data));
    lines.push(...markdownTable(benchmark.rows), '');
    for (const check of benchmark.checks ?? []) {
      lines.push(
        `- ${check.met ? 'met' : '**missed**'}: ${check.name}: ${check.value} (target ${check.target})`,
      );
    }
    if ((benchmark.checks ?? []).length > 0) lines.push('');
  }
  return lines.join('\n');
}
