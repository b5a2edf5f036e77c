import type { CliIo } from '@mbs/cli';
import { captureIo } from '@mbs/test-utils';

/** Runs `main` and returns its exit code and what it printed, with stdout parsed as JSON. */
export async function runCli(
  main: (args: readonly string[], io: CliIo) => Promise<number>,
  args: readonly string[],
): Promise<{ code: number; json: unknown; out: string; err: string }> {
  const io = captureIo();
  const code = await main(args, io);
  let json: unknown;
  try {
    json = JSON.parse(io.out());
  } catch {
    json = undefined;
  }
  return { code, json, out: io.out(), err: io.err() };
}
