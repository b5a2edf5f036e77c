// Writes the default model to dist/models/default.onnx (or to the path given as the first
// argument). Run by the package's build step after tsup; the bytes depend only on the code.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDefaultModel } from '../src/onnx/default-model.js';

const packageDirectory = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outFile = resolve(
  process.argv[2] ?? resolve(packageDirectory, 'dist', 'models', 'default.onnx'),
);
const bytes = buildDefaultModel();
await mkdir(dirname(outFile), { recursive: true });
await writeFile(outFile, bytes);
console.log(`@mbs/handler: wrote ${outFile} (${bytes.length} bytes)`);
