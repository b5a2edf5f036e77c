import type { CliIo } from './io.js';

/** An io that keeps what the CLI writes, for tests. */
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
