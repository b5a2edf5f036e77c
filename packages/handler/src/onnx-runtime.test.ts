import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { loadOnnxRuntime } from './onnx-runtime.js';

const SOURCE = dirname(fileURLToPath(import.meta.url));
const ORT_URL = pathToFileURL(createRequire(import.meta.url).resolve('onnxruntime-node')).href;
const scratch = mkdtempSync(join(tmpdir(), 'mbs-handler-ort-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/**
 * Creates one ONNX Runtime session in a fresh process whose HOME and TMPDIR are an empty
 * directory, loading ORT through `loadOnnxRuntime` or directly, and lists every file left there.
 */
async function filesLeftBySession(via: 'loadOnnxRuntime' | 'direct import'): Promise<string[]> {
  const sandbox = mkdtempSync(join(scratch, 'sandbox-'));
  const url = (file: string) => pathToFileURL(join(SOURCE, file)).href;
  const probe = join(scratch, `probe-${readdirSync(scratch).length}.mts`);
  writeFileSync(
    probe,
    `import { buildDefaultModel } from '${url('onnx/default-model.ts')}';
import { loadOnnxRuntime } from '${url('onnx-runtime.ts')}';
const ort = ${via === 'direct import' ? `await import('${ORT_URL}').then((module) => module.default ?? module)` : 'await loadOnnxRuntime()'};
const session = await ort.InferenceSession.create(buildDefaultModel());
await session.release();
`,
  );
  // DO_NOT_TRACK (set by CI) also turns ORT's telemetry off: the control run must not inherit it.
  const {
    ORT_DISABLE_TELEMETRY: _inherited,
    DO_NOT_TRACK: _doNotTrack,
    ...inherited
  } = process.env;
  const environment = { ...inherited, HOME: sandbox, TMPDIR: sandbox };
  await promisify(execFile)(process.execPath, ['--import', 'tsx', probe], {
    env: environment,
    cwd: SOURCE,
  });
  // tsx, which runs the probe, keeps its own cache there.
  return readdirSync(sandbox, { recursive: true })
    .map(String)
    .filter((file) => !file.startsWith('tsx-'));
}

describe('ONNX Runtime telemetry', () => {
  it('leaves no debug log or telemetry database when loaded through loadOnnxRuntime', async () => {
    expect(await filesLeftBySession('loadOnnxRuntime')).toEqual([]);
  }, 60_000);

  it('would leave them without the setting (control, where ORT writes them here)', async (context) => {
    // ORT 1.30 writes mat-debug-<pid>.log and .ses to the temporary directory and a telemetry
    // database under ~/.cache, but not on every run: its telemetry keeps state outside the
    // sandbox and stays quiet for a while after reporting. When this run wrote nothing, the
    // control proves nothing either way, so it is skipped rather than failed.
    const direct = await filesLeftBySession('direct import');
    if (direct.length === 0) {
      context.skip('ORT wrote no telemetry files in this run (it rate-limits its reports)');
    }
    expect(direct.some((file) => file.startsWith('mat-debug-'))).toBe(true);
  }, 60_000);

  it('sets ORT_DISABLE_TELEMETRY before loading the native library, unless already set', async () => {
    const { ORT_DISABLE_TELEMETRY: saved } = process.env;
    try {
      delete process.env.ORT_DISABLE_TELEMETRY;
      await loadOnnxRuntime();
      expect(process.env.ORT_DISABLE_TELEMETRY).toBe('1');
    } finally {
      if (saved === undefined) delete process.env.ORT_DISABLE_TELEMETRY;
      else process.env.ORT_DISABLE_TELEMETRY = saved;
    }
  });
});
