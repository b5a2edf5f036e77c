import type { CliIo } from '@mbs/cli';

/** A CLI io that keeps what `main` writes, for assertions and for printing figures. */
export function captureIo(): CliIo & { readonly out: () => string; readonly err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: (text) => {
      out += text;
    },
    stderr: (text) => {
      err += text;
    },
    stderrIsTty: false,
    out: () => out,
    err: () => err,
  };
}

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
