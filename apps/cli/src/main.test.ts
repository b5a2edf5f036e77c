import { captureIo } from '@mbs/test-utils';
import { describe, expect, it } from 'vitest';
import { EXIT_OK, EXIT_USAGE } from './exit-codes.js';
import { main } from './main.js';

describe('mbs', () => {
  it('exits 2 with a hint on an unknown command', async () => {
    const io = captureIo();
    expect(await main(['no-such-command'], io)).toBe(EXIT_USAGE);
    expect(io.err()).toContain('no-such-command');
    expect(io.err()).toContain('mbs --help');
  });

  it('exits 2 when no command is given', async () => {
    const io = captureIo();
    expect(await main([], io)).toBe(EXIT_USAGE);
    expect(io.err()).toContain('Name a command');
  });

  it('exits 2 on an unknown option, naming it', async () => {
    const io = captureIo();
    expect(await main(['plugins', '--bogus-option'], io)).toBe(EXIT_USAGE);
    expect(io.err()).toContain('bogus-option');
  });

  it('reports usage errors as JSON under --json', async () => {
    const io = captureIo();
    expect(await main(['no-such-command', '--json'], io)).toBe(EXIT_USAGE);
    expect(JSON.parse(io.out()).error.code).toBe('USAGE');
  });

  it('lists registered plugins as JSON', async () => {
    const io = captureIo();
    expect(await main(['plugins', '--json'], io)).toBe(EXIT_OK);
    const plugins = JSON.parse(io.out()) as { kind: string; name: string }[];
    expect(Array.isArray(plugins)).toBe(true);
    for (const plugin of plugins) expect(plugin.name).toMatch(/^[a-z0-9-]+$/);
  });
});
