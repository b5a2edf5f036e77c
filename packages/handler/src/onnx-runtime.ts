import type * as OnnxRuntime from 'onnxruntime-node';

/** The onnxruntime-node module. */
export type OnnxRuntimeModule = typeof OnnxRuntime;

let runtime: Promise<OnnxRuntimeModule> | undefined;

/**
 * Loads onnxruntime-node on first use, so importing this package (to build a deployment package,
 * say) does not load the native library. ONNX Runtime's telemetry is turned off first
 * (`ORT_DISABLE_TELEMETRY=1`, read when the native library starts, unless the environment already
 * sets it): otherwise each process writes a debug log (`mat-debug-<pid>.log`) and a session file
 * to the temporary directory and a telemetry database under `~/.cache/Microsoft/DeveloperTools`,
 * and tries to upload events, from every Lambda instance.
 */
export function loadOnnxRuntime(): Promise<OnnxRuntimeModule> {
  process.env.ORT_DISABLE_TELEMETRY ??= '1';
  runtime ??= import('onnxruntime-node').then(
    // A CommonJS module imported from ESM: its exports sit on `default` in some loaders.
    (module) =>
      (module as unknown as { default?: OnnxRuntimeModule }).default ??
      (module as unknown as OnnxRuntimeModule),
  );
  return runtime;
}
