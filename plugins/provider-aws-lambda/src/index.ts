export {
  type AwsLambdaProvider,
  createAwsLambdaProvider,
} from './create-aws-lambda-provider.js';
export { type DeploymentResult, type DeployOptions, deploy } from './deploy.js';
export {
  applyFunctionSpec,
  DEFAULT_HANDLER,
  DEFAULT_RUNTIME,
  diffFunction,
  type FunctionAction,
  type FunctionChange,
} from './deploy-function.js';
export {
  DEFAULT_FUNCTION_TIMEOUT_SECONDS,
  type DeploymentPlan,
  type DeploymentSettings,
  defaultFunctionName,
  formatDeploymentPlan,
  MAX_FUNCTION_TIMEOUT_SECONDS,
  type PlanDeploymentOptions,
  type PlannedFunction,
  planDeployment,
} from './deployment-plan.js';
export {
  codeSha256Of,
  type FunctionState,
  readFunctionState,
  waitForFunctionReady,
} from './function-state.js';
export { invocationResultOf, reportFromLogTail } from './invocation-response.js';
export { INVOKE_REQUEST_LIMIT_BYTES, toProviderError } from './lambda-errors.js';
export {
  type AwsClientSettings,
  type AwsLambdaProviderOptions,
  type AwsRetryMode,
  buildLambdaClient,
} from './provider-options.js';
