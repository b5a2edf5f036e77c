/** Where the CLI writes; tests pass their own to capture output. */
export interface CliIo {
  /** Results: tables or JSON. */
  stdout(text: string): void;
  /** Progress, warnings and errors. */
  stderr(text: string): void;
  /** Whether stderr is a terminal (progress lines redraw in place only then). */
  readonly stderrIsTty: boolean;
}

/** The process's own streams. */
export const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stderrIsTty: Boolean(process.stderr.isTTY),
};
