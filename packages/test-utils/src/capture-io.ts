/**
 * An io for a command line's `main(args, io)` that keeps what it writes. It has the shape of
 * `CliIo` of `@mbs/cli` without importing it: a structural type keeps this package free of a
 * dependency on the CLI, and TypeScript still checks that it fits where a `CliIo` is expected.
 */
export interface CapturedIo {
  /** Appends to what {@link CapturedIo.out} returns. */
  stdout(text: string): void;
  /** Appends to what {@link CapturedIo.err} returns. */
  stderr(text: string): void;
  /** Always false: progress lines are written one per line, as to a file. */
  readonly stderrIsTty: boolean;
  /** Everything written to stdout so far. */
  out(): string;
  /** Everything written to stderr so far. */
  err(): string;
}

/**
 * A new io that keeps stdout and stderr apart, for asserting on a CLI's output.
 *
 * @example
 * ```ts
 * const io = captureIo();
 * expect(await main(['plugins', '--json'], io)).toBe(0);
 * JSON.parse(io.out());
 * ```
 */
export function captureIo(): CapturedIo {
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
