/**
 * The promise, or a rejection with the signal's reason as soon as the signal aborts (at once when
 * it already has). The work behind the promise is not stopped: only the wait for it is. Used by
 * providers to honour `InvokeOptions.signal`.
 *
 * @example
 * ```ts
 * const result = await abortable(emulator.invoke(name, payload), options.signal);
 * ```
 */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
