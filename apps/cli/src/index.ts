export type { CliIo } from './io.js';
export { main } from './main.js';
export { builtinPlugins, createBuiltinRegistry } from './plugins.js';
