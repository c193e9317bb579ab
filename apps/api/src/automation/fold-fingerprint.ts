import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** This folder, the domain's and the upcasters', wherever the code runs from (built or not). */
const ROOT = join(__dirname, '..', '..', '..', '..');
const FOLD_CODE = [
  join(ROOT, 'libs', 'domain', 'src'),
  join(ROOT, 'libs', 'personal-data', 'src', 'upcasters'),
  join(__dirname, 'automation-view'),
  join(__dirname, 'deadline-heap'),
  join(__dirname, 'fold-log'),
];

const isCode = (name: string) =>
  /\.(js|ts)$/.test(name) && !/\.(spec|d)\.ts$/.test(name) && !name.endsWith('.spec.js');

function filesUnder(path: string): string[] {
  let entries;
  try {
    entries = readdirSync(path, { withFileTypes: true });
  } catch {
    // A file, named without its extension.
    return ['.js', '.ts'].map((extension) => path + extension).filter((file) => existsSync(file));
  }
  return entries.flatMap((entry) => {
    const full = join(path, entry.name);
    if (entry.isDirectory()) return filesUnder(full);
    return isCode(entry.name) ? [full] : [];
  });
}

let fingerprint: string | undefined;

/**
 * A hash of the code that folds the log into the automation's view (the
 * domain's rules, the upcasters, the view): a snapshot taken by other code
 * than this is folded anew, so a change of rule (an SLA clock's, say) never
 * meets state computed by the old one.
 */
export function foldFingerprint(): string {
  if (fingerprint) return fingerprint;
  const hash = createHash('sha256');
  const files = FOLD_CODE.flatMap(filesUnder).sort();
  for (const file of files) {
    hash.update(`${relative(ROOT, file)}\n`);
    hash.update(readFileSync(file));
  }
  fingerprint = hash.digest('hex');
  return fingerprint;
}
