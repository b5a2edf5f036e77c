export { DEFAULT_HOLDOUT_CONFIDENCE } from './commands/solve-options.js';
export type { CliIo } from './io.js';
export { type MainOptions, main } from './main.js';
export { defineConfig, type MbsConfig } from './plugin-loading/plugin-module.js';
export { builtinPlugins, createBuiltinRegistry } from './plugins.js';
