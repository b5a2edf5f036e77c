import type * as OnnxRuntime from 'onnxruntime-node';

/** The onnxruntime-node module. */
export type OnnxRuntimeModule = typeof OnnxRuntime;

let runtime: Promise<OnnxRuntimeModule> | undefined;

/**
 * Loads onnxruntime-node on first use, so importing this package (to build a deployment package,
 * say) does not load the native library.
 */
export function loadOnnxRuntime(): Promise<OnnxRuntimeModule> {
  runtime ??= import('onnxruntime-node').then(
    // A CommonJS module imported from ESM: its exports sit on `default` in some loaders.
    (module) =>
      (module as unknown as { default?: OnnxRuntimeModule }).default ??
      (module as unknown as OnnxRuntimeModule),
  );
  return runtime;
}
