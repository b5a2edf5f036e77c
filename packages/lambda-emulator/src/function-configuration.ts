import type { FunctionState } from './emulator-state.js';
import { logGroupName } from './log-format.js';

/** A Lambda FunctionConfiguration, as the API returns it. */
export type LambdaFunctionConfiguration = Readonly<Record<string, unknown>>;

/** The FunctionConfiguration of a function, with the fields Lambda returns for `$LATEST`. */
export function configurationOf(state: FunctionState): LambdaFunctionConfiguration {
  const { settings } = state;
  return {
    FunctionName: state.name,
    FunctionArn: state.arn,
    Runtime: settings.runtime,
    Role: settings.role,
    Handler: settings.handler,
    CodeSize: state.code.sizeBytes,
    Description: settings.description,
    Timeout: settings.timeoutSeconds,
    MemorySize: settings.memoryMb,
    LastModified: state.lastModified,
    CodeSha256: state.code.sha256Base64,
    Version: '$LATEST',
    ...(Object.keys(settings.environment).length > 0
      ? { Environment: { Variables: { ...settings.environment } } }
      : {}),
    TracingConfig: { Mode: 'PassThrough' },
    RevisionId: state.revisionId,
    State: 'Active',
    LastUpdateStatus: 'Successful',
    PackageType: 'Zip',
    Architectures: [settings.architecture],
    EphemeralStorage: { Size: 512 },
    SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
    LoggingConfig: { LogFormat: 'Text', LogGroup: logGroupName(state.name) },
  };
}
