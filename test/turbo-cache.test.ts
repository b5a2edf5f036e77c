import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { repositoryRoot } from './support/workspaces.js';

// turbo's build task declares its inputs and outputs; a second build with no change must be
// served entirely from the cache.
describe('turbo build cache', () => {
  it('serves an unchanged second build from cache', () => {
    const build = () =>
      execFileSync('npx', ['turbo', 'run', 'build', '--filter=@mbs/cli...', '--output-logs=none'], {
        cwd: repositoryRoot,
        encoding: 'utf8',
        env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', FORCE_COLOR: '0', NO_COLOR: '1' },
      });
    build();
    const second = build();
    const match = /Cached:\s+(\d+) cached, (\d+) total/.exec(second);
    expect(match).not.toBeNull();
    expect(match![1]).toBe(match![2]);
    expect(second).toContain('FULL TURBO');
  });
});
