/**
 * Resolves with the name of the first SIGINT or SIGTERM, for commands that serve until stopped
 * (`mbs emulator start`, `mbs serve`); the handlers are removed once it resolves.
 *
 * @example
 * ```ts
 * const signal = await stopSignal();
 * context.io.stderr(`${signal} received, stopping\n`);
 * ```
 */
export function stopSignal(): Promise<string> {
  return new Promise((resolve) => {
    const onInterrupt = () => stop('SIGINT');
    const onTerminate = () => stop('SIGTERM');
    const stop = (signal: string) => {
      process.off('SIGINT', onInterrupt);
      process.off('SIGTERM', onTerminate);
      resolve(signal);
    };
    process.on('SIGINT', onInterrupt);
    process.on('SIGTERM', onTerminate);
  });
}
