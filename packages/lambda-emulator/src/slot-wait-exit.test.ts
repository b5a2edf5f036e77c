import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Idle instances do not keep the emulator's process alive. When an invocation needs the slot of
// an idle instance of another function, that instance is shut down and the invocation waits for
// it to be gone: nothing else may be pending then (a script, `mbs profile` moving to its next
// memory), so the instance being shut down must keep the process alive until it exits. Run in a
// separate process: inside vitest the worker's own handles would hide the problem.

const source = (file: string) => fileURLToPath(new URL(file, import.meta.url));

describe('an invocation waiting for the slot of a retired instance', () => {
  it('is answered in a process with nothing else pending', () => {
    const directory = mkdtempSync(join(tmpdir(), 'mbs-slot-wait-'));
    try {
      const script = join(directory, 'slot-wait.mts');
      writeFileSync(
        script,
        `import { createEmulator } from ${JSON.stringify(source('./emulator.ts'))};
import { testFunctionsZip } from ${JSON.stringify(source('./testing/test-functions.ts'))};
const zipFile = testFunctionsZip();
const emulator = createEmulator({ maxInstances: 1 });
for (const functionName of ['a', 'b']) {
  emulator.createFunction({ functionName, code: { zipFile }, handler: 'index.sleep', runtime: 'nodejs20.x' });
}
const event = new TextEncoder().encode('{"sleepMs":1}');
await emulator.invoke('a', event);
await emulator.invoke('b', event);
process.stdout.write('both answered');
await emulator.dispose();
`,
      );
      const run = spawnSync(process.execPath, ['--import', 'tsx', script], {
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(run.stderr).toBe('');
      expect(run.stdout).toBe('both answered');
      expect(run.status).toBe(0);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  }, 90_000);
});
