export {
  createLocalProvider,
  type LocalFunctionSpec,
  type LocalProvider,
  type LocalProviderOptions,
} from './local-provider.js';
