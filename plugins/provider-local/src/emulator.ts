import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Architecture, InvocationRecord } from '@mbs/core';
import { billedMilliseconds, MbsError } from '@mbs/core';
import { createRandom } from '@mbs/markov';
import { type UnpackedCode, unpackCode } from './code-store.js';
import { cpuScale } from './cpu-scaling.js';
import { functionArn, parseFunctionReference } from './function-name.js';
import {
  checkArchitecture,
  checkEnvironment,
  checkHandler,
  checkMemoryMb,
  checkRuntime,
  checkTimeoutSeconds,
  type FunctionSettings,
} from './function-settings.js';
import { type InProcessCode, startInProcessInstance } from './in-process-instance.js';
import {
  type FunctionInstance,
  type InstanceOutcome,
  invokeErrorMessage,
  type LambdaErrorPayload,
  type StartedInstance,
} from './instance.js';
import { INSTANCE_BOOTSTRAP_SOURCE } from './instance-bootstrap.js';
import {
  awsError,
  functionNotFound,
  invalidParameterValue,
  requestTooLarge,
  type ThrottleReason,
  tooManyRequests,
} from './lambda-errors.js';
import {
  DEFAULT_MEMORY_MB,
  DEFAULT_TIMEOUT_SECONDS,
  INIT_PHASE_LIMIT_MS,
  LOG_TAIL_BYTES,
  MAXIMUM_EVENT_PAYLOAD_BYTES,
  MAXIMUM_REQUEST_PAYLOAD_BYTES,
  MAXIMUM_RESPONSE_PAYLOAD_BYTES,
  MAXIMUM_UNZIPPED_CODE_BYTES,
  MAXIMUM_ZIPPED_CODE_BYTES,
} from './limits.js';
import {
  applicationLine,
  endLine,
  logGroupName,
  newLogStreamName,
  reportLine,
  startLine,
  timeoutMessage,
} from './log-format.js';
import { LogStore } from './log-store.js';
import {
  type EmulatorOptions,
  type ResolvedEmulatorOptions,
  resolveEmulatorOptions,
} from './options.js';
import { startProcessInstance } from './process-instance.js';

/** A function's code: a deployment zip, or a handler function run in this thread. */
export type FunctionCode = { readonly zipFile: Uint8Array } | { readonly inProcess: InProcessCode };

/** What a function is created with (the emulator's terms; the HTTP API maps Lambda's onto it). */
export interface CreateFunctionInput {
  readonly functionName: string;
  readonly code: FunctionCode;
  /** Default 128. */
  readonly memoryMb?: number;
  /** Default 3. */
  readonly timeoutSeconds?: number;
  /** Required for a zip; default `index.handler` for in-process code. */
  readonly handler?: string;
  /** Required for a zip; default `nodejs20.x` for in-process code. */
  readonly runtime?: string;
  readonly role?: string;
  readonly description?: string;
  readonly architecture?: Architecture;
  readonly environment?: Readonly<Record<string, string>>;
}

/** Changes to a function's configuration (UpdateFunctionConfiguration). */
export interface FunctionConfigurationChanges {
  readonly memoryMb?: number;
  readonly timeoutSeconds?: number;
  readonly handler?: string;
  readonly runtime?: string;
  readonly role?: string;
  readonly description?: string;
  readonly environment?: Readonly<Record<string, string>>;
  /** Only apply when the function's RevisionId is this one (else 412). */
  readonly revisionId?: string;
}

/** Options of one invocation. */
export interface EmulatorInvokeOptions {
  /** Default `RequestResponse`. */
  readonly invocationType?: 'RequestResponse' | 'Event' | 'DryRun';
  /** `Tail` returns the last 4 KB of the invocation's log, base64 (synchronous only). */
  readonly logType?: 'None' | 'Tail';
  /** Decoded client context, handed to the handler as `context.clientContext`. */
  readonly clientContext?: unknown;
  /** Only `$LATEST` exists in the emulator. */
  readonly qualifier?: string;
}

/** What an invocation answers, in Invoke's wire terms. */
export interface EmulatorInvokeOutcome {
  /** 200 (RequestResponse), 202 (Event) or 204 (DryRun). */
  readonly statusCode: 200 | 202 | 204;
  readonly requestId: string;
  readonly payload: Uint8Array;
  readonly executedVersion?: string;
  /** `Unhandled` when the function failed. */
  readonly functionError?: 'Unhandled';
  /** Base64 log tail when asked for. */
  readonly logResult?: string;
  /** The REPORT figures (synchronous invocations only). */
  readonly record?: InvocationRecord;
}

/** A Lambda FunctionConfiguration, as the API returns it. */
export type LambdaFunctionConfiguration = Readonly<Record<string, unknown>>;

/**
 * The emulator: functions, instances, concurrency and logs behind Lambda's operations. The HTTP
 * server and the in-process provider are two faces of one emulator.
 */
export interface Emulator {
  readonly options: ResolvedEmulatorOptions;
  /** CloudWatch Logs of every function. */
  readonly logs: LogStore;
  createFunction(input: CreateFunctionInput): LambdaFunctionConfiguration;
  updateFunctionCode(
    reference: string,
    code: FunctionCode,
    revisionId?: string,
  ): LambdaFunctionConfiguration;
  updateFunctionConfiguration(
    reference: string,
    changes: FunctionConfigurationChanges,
  ): LambdaFunctionConfiguration;
  getFunctionConfiguration(reference: string, qualifier?: string): LambdaFunctionConfiguration;
  /** GetFunction; `codeLocation` is where the zip can be downloaded. */
  getFunction(
    reference: string,
    codeLocation?: (sha256Hex: string) => string,
  ): Readonly<Record<string, unknown>>;
  /** Whether a function of that name exists. */
  hasFunction(reference: string): boolean;
  deleteFunction(reference: string, qualifier?: string): void;
  listFunctions(marker?: string, maxItems?: number): Readonly<Record<string, unknown>>;
  putFunctionConcurrency(reference: string, reserved: unknown): Readonly<Record<string, unknown>>;
  getFunctionConcurrency(reference: string): Readonly<Record<string, unknown>>;
  deleteFunctionConcurrency(reference: string): void;
  getAccountSettings(): Readonly<Record<string, unknown>>;
  invoke(
    reference: string,
    payload: Uint8Array,
    options?: EmulatorInvokeOptions,
  ): Promise<EmulatorInvokeOutcome>;
  /** The path of a stored deployment zip by its SHA-256 (hex), if the emulator holds it. */
  codeZipPath(sha256Hex: string): string | undefined;
  /** Instances alive per function (warm and busy), for tests and monitoring. */
  instanceCount(functionName: string): number;
  /** Kills every instance and removes the emulator's temporary files. */
  dispose(): Promise<void>;
}

interface StoredCode {
  readonly kind: 'zip' | 'in-process';
  readonly sha256Base64: string;
  readonly sizeBytes: number;
  readonly unpacked?: UnpackedCode;
  readonly inProcess?: InProcessCode;
}

interface ManagedInstance {
  readonly instance: FunctionInstance;
  readonly revision: number;
  /** Lines of the invocation running now (for the log tail), if any. */
  capture: string[] | undefined;
  idleTimer?: NodeJS.Timeout;
}

interface FunctionState {
  readonly name: string;
  readonly arn: string;
  settings: FunctionSettings;
  code: StoredCode;
  revision: number;
  revisionId: string;
  lastModified: string;
  reservedConcurrency: number | undefined;
  inflight: number;
  deleted: boolean;
  readonly idle: ManagedInstance[];
  readonly live: Set<ManagedInstance>;
}

interface QueuedEvent {
  readonly functionName: string;
  readonly payloadText: string;
  readonly requestId: string;
  readonly clientContext: unknown;
}

const EMPTY = new Uint8Array(0);
const encoder = new TextEncoder();

function lastModifiedNow(): string {
  return new Date().toISOString().replace('Z', '+0000');
}

function roundToHundredths(value: number): number {
  return Math.round(value * 100) / 100;
}

function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

function storeCode(root: string, code: FunctionCode): StoredCode {
  if ('zipFile' in code) {
    const unpacked = unpackCode(join(root, 'code'), code.zipFile);
    return {
      kind: 'zip',
      sha256Base64: unpacked.sha256Base64,
      sizeBytes: unpacked.sizeBytes,
      unpacked,
    };
  }
  if (typeof code.inProcess?.handler !== 'function') {
    throw invalidParameterValue('Code must hold a ZipFile (or, in-process, a handler function)');
  }
  return {
    kind: 'in-process',
    sha256Base64: Buffer.from(randomUUID()).toString('base64'),
    sizeBytes: 0,
    inProcess: code.inProcess,
  };
}

/**
 * Creates an emulator. Call `dispose()` when done: it kills instances (child processes) and
 * removes the temporary directory holding unzipped code.
 *
 * @example
 * ```ts
 * const emulator = createEmulator({ warmSeconds: 60 });
 * emulator.createFunction({ functionName: 'echo', code: { inProcess: { handler: async (event) => event } } });
 * const outcome = await emulator.invoke('echo', new TextEncoder().encode('{"a":1}'));
 * await emulator.dispose();
 * ```
 */
export function createEmulator(options: EmulatorOptions = {}): Emulator {
  const resolved = resolveEmulatorOptions(options);
  const { region, accountId } = resolved;
  const baseDirectory = resolved.workDirectory ?? tmpdir();
  mkdirSync(baseDirectory, { recursive: true });
  const root = mkdtempSync(join(baseDirectory, 'mbs-emulator-'));
  const bootstrapPath = join(root, 'bootstrap.mjs');
  writeFileSync(bootstrapPath, INSTANCE_BOOTSTRAP_SOURCE);
  const logs = new LogStore(region, accountId);
  const functions = new Map<string, FunctionState>();
  const queuedEvents: QueuedEvent[] = [];
  const random = createRandom(resolved.faults.seed);
  let disposed = false;

  const draw = (rate: number) => rate > 0 && random.next() < rate;

  function assertOpen(): void {
    if (disposed) {
      throw new MbsError(
        'CLOSED',
        '[@mbs/provider-local] the emulator was disposed; create a new one',
      );
    }
  }

  function lookup(reference: string, qualifier?: string): FunctionState {
    assertOpen();
    const parsed = parseFunctionReference(reference);
    const effectiveQualifier = qualifier ?? parsed.qualifier;
    const state = functions.get(parsed.name);
    if (!state || (effectiveQualifier !== undefined && effectiveQualifier !== '$LATEST')) {
      throw functionNotFound(functionArn(region, accountId, parsed.name, effectiveQualifier));
    }
    return state;
  }

  function configurationOf(state: FunctionState): LambdaFunctionConfiguration {
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

  function retireIdle(state: FunctionState): void {
    for (const managed of state.idle.splice(0)) {
      clearTimeout(managed.idleTimer);
      managed.instance.kill();
      state.live.delete(managed);
    }
  }

  function touch(state: FunctionState): void {
    state.revision += 1;
    state.revisionId = randomUUID();
    state.lastModified = lastModifiedNow();
    retireIdle(state);
  }

  function checkRevision(state: FunctionState, revisionId: string | undefined): void {
    if (revisionId !== undefined && revisionId !== state.revisionId) {
      throw awsError({
        statusCode: 412,
        errorType: 'PreconditionFailedException',
        awsMessage:
          'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id',
        retryable: false,
      });
    }
  }

  function reservedTotal(except?: FunctionState): number {
    let total = 0;
    for (const state of functions.values()) {
      if (state !== except) total += state.reservedConcurrency ?? 0;
    }
    return total;
  }

  function throttleReason(state: FunctionState): ThrottleReason | undefined {
    if (state.reservedConcurrency !== undefined) {
      return state.inflight >= state.reservedConcurrency
        ? 'ReservedFunctionConcurrentInvocationLimitExceeded'
        : undefined;
    }
    let unreservedInflight = 0;
    for (const other of functions.values()) {
      if (other.reservedConcurrency === undefined) unreservedInflight += other.inflight;
    }
    return unreservedInflight >= resolved.accountConcurrency - reservedTotal()
      ? 'ConcurrentInvocationLimitExceeded'
      : undefined;
  }

  function instanceEnvironment(
    state: FunctionState,
    logStreamName: string,
    directory: string,
  ): Record<string, string> {
    const { settings } = state;
    return {
      PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
      LANG: 'en_US.UTF-8',
      TZ: ':UTC',
      _HANDLER: settings.handler,
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      AWS_EXECUTION_ENV: `AWS_Lambda_${settings.runtime}`,
      AWS_LAMBDA_FUNCTION_NAME: state.name,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(settings.memoryMb),
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      AWS_LAMBDA_LOG_GROUP_NAME: logGroupName(state.name),
      AWS_LAMBDA_LOG_STREAM_NAME: logStreamName,
      LAMBDA_TASK_ROOT: directory,
      ...settings.environment,
    };
  }

  async function startInstance(
    state: FunctionState,
    capture: string[],
  ): Promise<{
    managed: ManagedInstance;
    started: StartedInstance;
  }> {
    const group = logGroupName(state.name);
    const stream = newLogStreamName(Date.now());
    logs.createStream(group, stream);
    let managedRef: ManagedInstance | undefined;
    const earlyLines: string[] = capture;
    const onLog = (timestampMs: number, message: string) => {
      logs.append(group, stream, timestampMs, message);
      (managedRef ? managedRef.capture : earlyLines)?.push(message);
    };
    const { code } = state;
    const started =
      code.kind === 'zip' && code.unpacked
        ? await startProcessInstance({
            bootstrapPath,
            isolation: resolved.isolation,
            directory: code.unpacked.directory,
            handler: state.settings.handler,
            environment: instanceEnvironment(state, stream, code.unpacked.directory),
            memoryMb: state.settings.memoryMb,
            logStreamName: stream,
            initTimeoutMs: Math.max(INIT_PHASE_LIMIT_MS, state.settings.timeoutSeconds * 1000),
            onLog,
          })
        : await startInProcessInstance(code.inProcess!, stream, onLog);
    const managed: ManagedInstance = {
      instance: started.instance,
      revision: state.revision,
      capture,
    };
    managedRef = managed;
    state.live.add(managed);
    return { managed, started };
  }

  function release(state: FunctionState, managed: ManagedInstance): void {
    managed.capture = undefined;
    const reusable =
      managed.instance.alive &&
      !disposed &&
      !state.deleted &&
      functions.get(state.name) === state &&
      managed.revision === state.revision;
    if (!reusable) {
      managed.instance.kill();
      state.live.delete(managed);
      return;
    }
    managed.idleTimer = setTimeout(() => {
      const index = state.idle.indexOf(managed);
      if (index >= 0) state.idle.splice(index, 1);
      state.live.delete(managed);
      managed.instance.kill();
    }, resolved.warmSeconds * 1000);
    managed.idleTimer.unref();
    state.idle.push(managed);
  }

  interface RunResult {
    readonly payload: Uint8Array;
    readonly functionError?: 'Unhandled';
    readonly tail: string;
    readonly record: InvocationRecord;
  }

  async function run(
    state: FunctionState,
    payloadText: string,
    requestId: string,
    clientContext: unknown,
  ): Promise<RunResult> {
    // Counted before any await, so concurrent admissions see this invocation.
    state.inflight += 1;
    try {
      const settings = state.settings;
      const scale = cpuScale(settings.memoryMb, resolved.cpuScaling);
      const timeoutMs = settings.timeoutSeconds * 1000;
      const group = logGroupName(state.name);
      const lines: string[] = [];
      let managed = state.idle.pop();
      let initDurationMs: number | undefined;
      let initError: LambdaErrorPayload | undefined;
      if (managed) {
        clearTimeout(managed.idleTimer);
        managed.capture = lines;
      } else {
        const cold = await startInstance(state, lines);
        managed = cold.managed;
        initDurationMs = cold.started.initDurationMs;
        initError = cold.started.initError;
      }
      const stream = managed.instance.logStreamName;
      const log = (message: string, timestampMs = Date.now()) => {
        logs.append(group, stream, timestampMs, message);
        lines.push(message);
      };
      if (initError) {
        const now = Date.now();
        log(
          applicationLine(
            now,
            'undefined',
            'ERROR',
            `Uncaught Exception \t${JSON.stringify({
              errorType: initError.errorType,
              errorMessage: initError.errorMessage,
              stack: initError.trace ?? [],
            })}`,
          ),
          now,
        );
        log(
          `INIT_REPORT Init Duration: ${(initDurationMs ?? 0).toFixed(2)} ms\tPhase: init\tStatus: error\tError Type: ${initError.errorType}\n`,
        );
      }
      log(startLine(requestId));
      const startedAt = performance.now();
      let outcome: InstanceOutcome;
      let maxMemoryUsedMb = 1;
      if (initError) {
        outcome = { kind: 'error', handlerMs: 0, error: initError, maxMemoryUsedMb };
      } else if (draw(resolved.faults.crashRate)) {
        managed.instance.kill();
        outcome = { kind: 'exit', reason: 'signal: killed', maxMemoryUsedMb };
      } else {
        outcome = await managed.instance.invoke(
          {
            requestId,
            payloadText,
            timeoutMs,
            scale,
            context: {
              functionName: state.name,
              functionVersion: '$LATEST',
              invokedFunctionArn: state.arn,
              memoryLimitInMB: String(settings.memoryMb),
              logGroupName: group,
              logStreamName: stream,
              ...(clientContext === undefined ? {} : { clientContext }),
            },
          },
          timeoutMs / scale,
        );
      }
      maxMemoryUsedMb = outcome.maxMemoryUsedMb;
      let durationMs: number;
      let payload: string | undefined;
      let error: LambdaErrorPayload | undefined;
      let status: 'timeout' | 'error' | undefined;
      const timedOut =
        outcome.kind === 'timeout' ||
        ((outcome.kind === 'result' || outcome.kind === 'error') &&
          outcome.handlerMs * scale > timeoutMs);
      if (timedOut) {
        managed.instance.kill();
        durationMs = timeoutMs;
        status = 'timeout';
        const now = Date.now();
        log(
          `${new Date(now).toISOString()} ${requestId} ${timeoutMessage(settings.timeoutSeconds)}\n`,
          now,
        );
        error = {
          errorType: 'Sandbox.Timedout',
          errorMessage: `RequestId: ${requestId} Error: ${timeoutMessage(settings.timeoutSeconds)}`,
        };
      } else if (outcome.kind === 'exit') {
        durationMs = performance.now() - startedAt;
        status = 'error';
        const message = `RequestId: ${requestId} Error: Runtime exited with error: ${outcome.reason}`;
        log(`${message}\nRuntime.ExitError\n`);
        error = { errorType: 'Runtime.ExitError', errorMessage: message };
      } else if (outcome.kind === 'error') {
        durationMs = outcome.handlerMs * scale;
        error = outcome.error;
        if (initError) status = 'error';
      } else if (outcome.kind === 'result') {
        durationMs = outcome.handlerMs * scale;
        payload = outcome.payload;
        if (Buffer.byteLength(payload) > MAXIMUM_RESPONSE_PAYLOAD_BYTES) {
          payload = undefined;
          error = {
            errorType: 'Function.ResponseSizeTooLarge',
            errorMessage: `Response payload size exceeded maximum allowed payload size (${MAXIMUM_RESPONSE_PAYLOAD_BYTES} bytes).`,
          };
        }
      } else {
        durationMs = 0;
      }
      if (error === undefined && draw(resolved.faults.errorRate)) {
        payload = undefined;
        error = {
          errorType: 'Emulator.InjectedError',
          errorMessage: 'Injected function error (faults.errorRate)',
        };
        const now = Date.now();
        log(applicationLine(now, requestId, 'ERROR', invokeErrorMessage(error)), now);
      }
      // The instance stays busy for the emulated duration, so callers see Lambda's timing.
      const remainingMs = durationMs - (performance.now() - startedAt);
      if (remainingMs > 1) await sleep(remainingMs);
      log(endLine(requestId));
      const billedDurationMs = billedMilliseconds(
        durationMs + (resolved.billInitPhase && initDurationMs !== undefined ? initDurationMs : 0),
      );
      const record: InvocationRecord = {
        requestId,
        functionName: state.name,
        durationMs: roundToHundredths(durationMs),
        billedDurationMs,
        ...(initDurationMs === undefined
          ? {}
          : { initDurationMs: roundToHundredths(initDurationMs) }),
        memorySizeMb: settings.memoryMb,
        maxMemoryUsedMb,
        ...(error === undefined
          ? {}
          : { error: { type: error.errorType, message: error.errorMessage } }),
      };
      log(
        reportLine({
          requestId,
          durationMs,
          billedDurationMs,
          memorySizeMb: settings.memoryMb,
          maxMemoryUsedMb,
          ...(initDurationMs === undefined ? {} : { initDurationMs }),
          ...(status === undefined ? {} : { status }),
        }),
      );
      release(state, managed);
      if (resolved.faults.extraLatencyMs > 0 && draw(resolved.faults.latencyRate)) {
        await sleep(resolved.faults.extraLatencyMs);
      }
      const body =
        error === undefined
          ? (payload ?? 'null')
          : JSON.stringify({
              errorType: error.errorType,
              errorMessage: error.errorMessage,
              ...(error.trace === undefined ? {} : { trace: error.trace }),
            });
      return {
        payload: encoder.encode(body),
        ...(error === undefined ? {} : { functionError: 'Unhandled' as const }),
        tail: lines.join(''),
        record,
      };
    } finally {
      state.inflight -= 1;
      drainEvents();
    }
  }

  function drainEvents(): void {
    for (let index = 0; index < queuedEvents.length && !disposed; ) {
      const event = queuedEvents[index]!;
      const state = functions.get(event.functionName);
      if (!state) {
        queuedEvents.splice(index, 1);
        continue;
      }
      if (throttleReason(state) !== undefined) {
        index++;
        continue;
      }
      queuedEvents.splice(index, 1);
      run(state, event.payloadText, event.requestId, event.clientContext).catch(() => {
        // An event's failure is in its logs; nobody waits for its answer.
      });
    }
  }

  function tailOf(text: string): string {
    const bytes = Buffer.from(text);
    return bytes.subarray(Math.max(0, bytes.byteLength - LOG_TAIL_BYTES)).toString('base64');
  }

  const emulator: Emulator = {
    options: resolved,
    logs,

    createFunction(input) {
      assertOpen();
      const parsed = parseFunctionReference(input.functionName);
      if (functions.has(parsed.name)) {
        throw awsError({
          statusCode: 409,
          errorType: 'ResourceConflictException',
          awsMessage: `Function already exist: ${parsed.name}`,
          retryable: false,
        });
      }
      const isZip = 'zipFile' in input.code;
      if (isZip && (input.runtime === undefined || input.handler === undefined)) {
        throw invalidParameterValue(
          'Runtime and Handler are mandatory parameters for functions created with deployment packages.',
        );
      }
      const settings: FunctionSettings = {
        memoryMb: checkMemoryMb(input.memoryMb ?? DEFAULT_MEMORY_MB),
        timeoutSeconds: checkTimeoutSeconds(input.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS),
        handler: checkHandler(input.handler ?? 'index.handler'),
        runtime: checkRuntime(input.runtime ?? 'nodejs20.x'),
        role: input.role ?? `arn:aws:iam::${accountId}:role/mbs-emulator`,
        description: input.description ?? '',
        architecture: checkArchitecture(input.architecture ?? 'x86_64'),
        environment: checkEnvironment(input.environment ?? {}),
      };
      const code = storeCode(root, input.code);
      const state: FunctionState = {
        name: parsed.name,
        arn: functionArn(region, accountId, parsed.name),
        settings,
        code,
        revision: 0,
        revisionId: randomUUID(),
        lastModified: lastModifiedNow(),
        reservedConcurrency: undefined,
        inflight: 0,
        deleted: false,
        idle: [],
        live: new Set(),
      };
      functions.set(parsed.name, state);
      return configurationOf(state);
    },

    updateFunctionCode(reference, code, revisionId) {
      const state = lookup(reference);
      checkRevision(state, revisionId);
      state.code = storeCode(root, code);
      touch(state);
      return configurationOf(state);
    },

    updateFunctionConfiguration(reference, changes) {
      const state = lookup(reference);
      checkRevision(state, changes.revisionId);
      const current = state.settings;
      state.settings = {
        memoryMb:
          changes.memoryMb === undefined ? current.memoryMb : checkMemoryMb(changes.memoryMb),
        timeoutSeconds:
          changes.timeoutSeconds === undefined
            ? current.timeoutSeconds
            : checkTimeoutSeconds(changes.timeoutSeconds),
        handler: changes.handler === undefined ? current.handler : checkHandler(changes.handler),
        runtime: changes.runtime === undefined ? current.runtime : checkRuntime(changes.runtime),
        role: changes.role ?? current.role,
        description: changes.description ?? current.description,
        architecture: current.architecture,
        environment:
          changes.environment === undefined
            ? current.environment
            : checkEnvironment(changes.environment),
      };
      touch(state);
      return configurationOf(state);
    },

    getFunctionConfiguration(reference, qualifier) {
      return configurationOf(lookup(reference, qualifier));
    },

    getFunction(reference, codeLocation) {
      const state = lookup(reference);
      const sha256Hex = state.code.unpacked?.sha256Hex;
      return {
        Configuration: configurationOf(state),
        Code: {
          RepositoryType: 'S3',
          ...(sha256Hex !== undefined && codeLocation ? { Location: codeLocation(sha256Hex) } : {}),
        },
        ...(state.reservedConcurrency === undefined
          ? {}
          : { Concurrency: { ReservedConcurrentExecutions: state.reservedConcurrency } }),
        Tags: {},
      };
    },

    hasFunction(reference) {
      try {
        lookup(reference);
        return true;
      } catch {
        return false;
      }
    },

    deleteFunction(reference, qualifier) {
      const state = lookup(reference, qualifier);
      state.deleted = true;
      functions.delete(state.name);
      retireIdle(state);
    },

    listFunctions(marker, maxItems) {
      assertOpen();
      if (
        maxItems !== undefined &&
        (!Number.isInteger(maxItems) || maxItems < 1 || maxItems > 10_000)
      ) {
        throw invalidParameterValue(
          `1 validation error detected: Value '${maxItems}' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 10000`,
        );
      }
      let after = '';
      if (marker !== undefined) {
        after = Buffer.from(marker, 'base64url').toString('utf8');
        if (!after) throw invalidParameterValue(`Invalid Marker: ${marker}`);
      }
      const names = [...functions.keys()].sort().filter((name) => name > after);
      const pageSize = Math.min(maxItems ?? 50, 50);
      const page = names.slice(0, pageSize);
      return {
        Functions: page.map((name) => configurationOf(functions.get(name)!)),
        ...(names.length > pageSize
          ? { NextMarker: Buffer.from(page.at(-1)!).toString('base64url') }
          : {}),
      };
    },

    putFunctionConcurrency(reference, reserved) {
      const state = lookup(reference);
      if (typeof reserved !== 'number' || !Number.isInteger(reserved) || reserved < 0) {
        throw invalidParameterValue(
          `1 validation error detected: Value '${String(reserved)}' at 'reservedConcurrentExecutions' failed to satisfy constraint: Member must have value greater than or equal to 0`,
        );
      }
      const unreserved = resolved.accountConcurrency - reservedTotal(state) - reserved;
      if (unreserved < resolved.minimumUnreservedConcurrency) {
        throw invalidParameterValue(
          `Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [${resolved.minimumUnreservedConcurrency}].`,
        );
      }
      state.reservedConcurrency = reserved;
      return { ReservedConcurrentExecutions: reserved };
    },

    getFunctionConcurrency(reference) {
      const state = lookup(reference);
      return state.reservedConcurrency === undefined
        ? {}
        : { ReservedConcurrentExecutions: state.reservedConcurrency };
    },

    deleteFunctionConcurrency(reference) {
      lookup(reference).reservedConcurrency = undefined;
    },

    getAccountSettings() {
      assertOpen();
      let totalCodeSize = 0;
      for (const state of functions.values()) totalCodeSize += state.code.sizeBytes;
      return {
        AccountLimit: {
          TotalCodeSize: 80_530_636_800,
          CodeSizeUnzipped: MAXIMUM_UNZIPPED_CODE_BYTES,
          CodeSizeZipped: MAXIMUM_ZIPPED_CODE_BYTES,
          ConcurrentExecutions: resolved.accountConcurrency,
          UnreservedConcurrentExecutions: resolved.accountConcurrency - reservedTotal(),
        },
        AccountUsage: { TotalCodeSize: totalCodeSize, FunctionCount: functions.size },
      };
    },

    async invoke(reference, payload, invokeOptions = {}) {
      assertOpen();
      const invocationType = invokeOptions.invocationType ?? 'RequestResponse';
      if (!['RequestResponse', 'Event', 'DryRun'].includes(invocationType)) {
        throw invalidParameterValue(
          `1 validation error detected: Value '${invocationType}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]`,
        );
      }
      const limit =
        invocationType === 'Event' ? MAXIMUM_EVENT_PAYLOAD_BYTES : MAXIMUM_REQUEST_PAYLOAD_BYTES;
      if (payload.byteLength > limit) throw requestTooLarge(limit, 'InvokeFunction');
      const state = lookup(reference, invokeOptions.qualifier);
      const text = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString(
        'utf8',
      );
      const payloadText = text.trim() === '' ? '{}' : text;
      try {
        JSON.parse(payloadText);
      } catch (error) {
        throw awsError({
          statusCode: 400,
          errorType: 'InvalidRequestContentException',
          awsMessage: `Could not parse request body into json: Could not parse payload into json: ${(error as Error).message}`,
          retryable: false,
        });
      }
      const requestId = randomUUID();
      if (invocationType === 'DryRun') return { statusCode: 204, requestId, payload: EMPTY };
      if (invocationType === 'Event') {
        queuedEvents.push({
          functionName: state.name,
          payloadText,
          requestId,
          clientContext: invokeOptions.clientContext,
        });
        drainEvents();
        return { statusCode: 202, requestId, payload: EMPTY };
      }
      if (draw(resolved.faults.throttleRate))
        throw tooManyRequests('ConcurrentInvocationLimitExceeded');
      const reason = throttleReason(state);
      if (reason !== undefined) throw tooManyRequests(reason);
      const result = await run(state, payloadText, requestId, invokeOptions.clientContext);
      return {
        statusCode: 200,
        requestId,
        payload: result.payload,
        executedVersion: '$LATEST',
        ...(result.functionError === undefined ? {} : { functionError: result.functionError }),
        ...(invokeOptions.logType === 'Tail' ? { logResult: tailOf(result.tail) } : {}),
        record: result.record,
      };
    },

    codeZipPath(sha256Hex) {
      for (const state of functions.values()) {
        if (state.code.unpacked?.sha256Hex === sha256Hex) return state.code.unpacked.zipPath;
      }
      return undefined;
    },

    instanceCount(functionName) {
      return functions.get(functionName)?.live.size ?? 0;
    },

    async dispose() {
      if (disposed) return;
      disposed = true;
      queuedEvents.length = 0;
      for (const state of functions.values()) {
        retireIdle(state);
        for (const managed of state.live) managed.instance.kill();
        state.live.clear();
      }
      functions.clear();
      rmSync(root, { recursive: true, force: true });
    },
  };
  return emulator;
}
