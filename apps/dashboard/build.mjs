/* global process, console */
// Builds the dashboard's assets with esbuild: one script, one stylesheet and the
// page, into dist/dashboard (or the folder given), where the API serves them from.
import { build } from 'esbuild';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const outDir = process.argv[2] ?? join(here, '..', '..', 'dist', 'dashboard');

const bundled = await build({
  entryPoints: { app: join(here, 'src', 'main.ts') },
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['chrome109', 'firefox115', 'safari16'],
  outdir: outDir,
  write: false,
  logLevel: 'warning',
});

/** Each file written beside its place and renamed over it: a server reading it never sees half a file. */
async function publish(name, contents) {
  const target = join(outDir, name);
  const partial = `${target}.${process.pid}.partial`;
  await writeFile(partial, contents);
  await rename(partial, target);
}

await mkdir(outDir, { recursive: true });
for (const file of bundled.outputFiles) await publish(basename(file.path), file.contents);
await publish('index.html', await readFile(join(here, 'src', 'index.html')));
// On stderr: `npm run -s ledger -- export … > file` builds first, and its output is the file.
console.error(`Dashboard assets built in ${outDir}`);
