import { writeFile } from 'node:fs/promises';
import type { CliIo } from '@mbs/cli';
import { runCli } from './capture-io.js';

/**
 * Writes a sized CSV trace (`timeSeconds,size`): `count` arrivals `gapSeconds` apart, the size of
 * arrival `index` from `sizeOf`.
 */
export async function writeSizedTrace(
  path: string,
  count: number,
  gapSeconds: number,
  sizeOf: (index: number) => number,
): Promise<void> {
  const lines = ['timeSeconds,size'];
  for (let index = 0; index < count; index++) {
    lines.push(`${(index * gapSeconds).toFixed(2)},${sizeOf(index)}`);
  }
  await writeFile(path, `${lines.join('\n')}\n`);
}

/** Files and flags of one `mbs deploy` followed by one `mbs run`. */
export interface DeployAndRunOptions {
  readonly configPath: string;
  readonly zipPath: string;
  readonly tracePath: string;
  readonly runDirectory: string;
  /** Where the functions live: `--provider`, `--endpoint`, `--prefix`. */
  readonly connection: readonly string[];
  /** Extra `mbs run` flags, e.g. `['--speed', '4']`. */
  readonly runFlags?: readonly string[];
}

/**
 * Runs `mbs deploy --config --zip` and then `mbs run --config --trace ... --out --json` through
 * `main`, and returns both results for the caller to check (the run is attempted either way).
 */
export async function deployAndRun(
  main: (args: readonly string[], io: CliIo) => Promise<number>,
  options: DeployAndRunOptions,
) {
  const { configPath, zipPath, tracePath, runDirectory, connection, runFlags = [] } = options;
  const deployed = await runCli(main, [
    'deploy',
    '--config',
    configPath,
    '--zip',
    zipPath,
    ...connection,
  ]);
  const ran = await runCli(main, [
    'run',
    '--config',
    configPath,
    '--trace',
    tracePath,
    ...runFlags,
    ...connection,
    '--out',
    runDirectory,
    '--json',
  ]);
  return { deployed, ran };
}
