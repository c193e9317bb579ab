import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { recordedRuns, runSection } from './lib/results-tables.mjs';

/**
 * Writes the tables of RESULTS.md's "Recorded runs" from the committed run
 * files, so that every figure there can be checked against its data; with
 * `--check`, only says whether RESULTS.md is what they give (exit 1 if not).
 */
const benchDir = dirname(fileURLToPath(import.meta.url));
const resultsFile = join(benchDir, 'RESULTS.md');
const BEGIN = '<!-- recorded runs: written by `npm run bench:report` from results/*.json -->';
const END = '<!-- end of recorded runs -->';

const text = readFileSync(resultsFile, 'utf8');
const start = text.indexOf(BEGIN);
const end = text.indexOf(END);
if (start < 0 || end < start) {
  console.error(`${resultsFile} has no "${BEGIN}" … "${END}" block`);
  process.exit(2);
}
const sections = recordedRuns(join(benchDir, 'results')).map(runSection);
const raw = `${text.slice(0, start)}${BEGIN}\n\n${sections.join('\n')}\n${text.slice(end)}`;
// Formatted as the repository's Prettier would, so that `prettier --check` and this agree.
const written = await prettier.format(raw, {
  ...(await prettier.resolveConfig(resultsFile)),
  filepath: resultsFile,
});
if (process.argv.includes('--check')) {
  if (written !== text) {
    console.error(
      'bench/RESULTS.md does not match bench/results/*.json: run `npm run bench:report`',
    );
    process.exit(1);
  }
} else {
  writeFileSync(resultsFile, written);
}
