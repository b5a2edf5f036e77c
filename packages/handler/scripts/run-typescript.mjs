#!/usr/bin/env node
// Runs a TypeScript script with plain Node.js: esbuild (installed with tsup) bundles the script's
// own sources into a temporary module beside it, leaving packages external, and Node imports it.
// It stands in for tsx, which this repository does not install. Usage:
//   node scripts/run-typescript.mjs <file.ts> [arguments...]
import { rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const [file, ...rest] = process.argv.slice(2);
if (file === undefined) {
  process.stderr.write('usage: node scripts/run-typescript.mjs <file.ts> [arguments...]\n');
  process.exit(2);
}
const source = resolve(file);
// Beside the source, so import.meta.url-relative paths and package resolution stay the same.
const compiled = join(dirname(source), `.${basename(source, '.ts')}.${process.pid}.run.mjs`);
await build({
  entryPoints: [source],
  outfile: compiled,
  bundle: true,
  packages: 'external',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'inline',
  logLevel: 'warning',
});
process.argv = [process.argv[0], source, ...rest];
try {
  await import(pathToFileURL(compiled).href);
} finally {
  await rm(compiled, { force: true });
}
