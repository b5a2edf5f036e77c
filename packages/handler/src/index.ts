export { checkBatchEvent, type TensorBatchEvent, type TensorInput } from './batch-event.js';
export {
  type BatchHandler,
  type BatchHandlerOptions,
  type BatchResponse,
  createBatchHandler,
  type HandlerTimings,
  type TensorOutput,
} from './batch-handler.js';
export { type PaddedBatch, padBatch, type TrimmedOutput, trimOutput } from './batch-padding.js';
export {
  BUILTIN_MODEL_NAMES,
  type BuiltinModelName,
  builtinModelDescriptor,
  findPpocrRecognizerPath,
  isBuiltinModelName,
  PPOCR_REC_FILE,
} from './builtin-models.js';
export {
  buildDeploymentPackage,
  type DeploymentPackage,
  type DeploymentPackageOptions,
  LAMBDA_UNZIPPED_LIMIT_BYTES,
  type PackagedFile,
  readModelDescriptor,
} from './deployment-package.js';
export { handler } from './lambda.js';
export { lambdaError } from './lambda-error.js';
export {
  DEFAULT_MODEL_DESCRIPTOR,
  dynamicAxisOf,
  type ModelDescriptor,
  PPOCR_REC_DESCRIPTOR,
  parseModelDescriptor,
  type TensorElementType,
} from './model-descriptor.js';
export {
  type LocatedModel,
  locateModel,
  PACKAGED_DESCRIPTOR_FILE,
  PACKAGED_MODEL_FILE,
} from './model-location.js';
export { buildDefaultModel, DEFAULT_MODEL_SHAPE } from './onnx/default-model.js';
export {
  encodeOnnxModel,
  ONNX_DATA_TYPE,
  type OnnxAttribute,
  type OnnxElementType,
  type OnnxModel,
  type OnnxNode,
  type OnnxTensor,
  type OnnxValueInfo,
} from './onnx/onnx-messages.js';
export { parseRequestTensor, type RequestProblem, type RequestTensor } from './request-tensor.js';
export {
  type RequestDataEncoding,
  readPackagedDescriptor,
  requestLength,
  sampleRequestInput,
} from './sample-request.js';
export { ONNX_THREADS_VARIABLE, onnxThreads } from './session-threads.js';
