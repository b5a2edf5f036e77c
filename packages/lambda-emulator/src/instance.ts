/** The error payload Lambda returns for a failed invocation (Node.js runtime shape). */
export interface LambdaErrorPayload {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly trace?: readonly string[];
}

/** The context fields Lambda gives a handler (besides the request id and remaining time). */
export interface LambdaContextFields {
  readonly functionName: string;
  readonly functionVersion: string;
  readonly invokedFunctionArn: string;
  /** Memory size as a string, as the Node.js runtime gives it. */
  readonly memoryLimitInMB: string;
  readonly logGroupName: string;
  readonly logStreamName: string;
  readonly clientContext?: unknown;
}

/** The context object a handler receives, as on Lambda's Node.js runtime. */
export interface LambdaContext extends LambdaContextFields {
  readonly awsRequestId: string;
  callbackWaitsForEmptyEventLoop: boolean;
  /** Milliseconds left before the function times out (emulated time). */
  getRemainingTimeInMillis(): number;
}

/** One invocation handed to an instance. */
export interface InstanceInvocation {
  readonly requestId: string;
  /** The event as JSON text (the request payload). */
  readonly payloadText: string;
  /** The function's timeout in emulated milliseconds (for getRemainingTimeInMillis). */
  readonly timeoutMs: number;
  /** Emulated milliseconds per measured millisecond (see cpuScale). */
  readonly scale: number;
  /** Leave the handler's waits for a host core out of its measured time (see excludeHostWait). */
  readonly excludeHostWait: boolean;
  readonly context: LambdaContextFields;
}

/** How an invocation ended on an instance. */
export type InstanceOutcome =
  | {
      readonly kind: 'result';
      /**
       * Measured handler time on this machine, in milliseconds: wall time, less its waits for a
       * host core when the invocation asked for that and the platform reports them.
       */
      readonly handlerMs: number;
      /** The handler's return value as JSON text. */
      readonly payload: string;
      readonly maxMemoryUsedMb: number;
    }
  | {
      readonly kind: 'error';
      readonly handlerMs: number;
      readonly error: LambdaErrorPayload;
      readonly maxMemoryUsedMb: number;
    }
  | { readonly kind: 'timeout'; readonly maxMemoryUsedMb: number }
  | {
      readonly kind: 'exit';
      readonly reason: string;
      readonly maxMemoryUsedMb: number;
      /** Set when the instance died before it started the invocation. */
      readonly unstarted?: true;
    };

/** Receives an instance's log lines (already formatted) with their timestamps. */
export type InstanceLogSink = (timestampMs: number, message: string) => void;

/** An execution environment: runs one invocation at a time until it is killed. */
export interface FunctionInstance {
  readonly logStreamName: string;
  /** False once the instance was killed or exited. */
  readonly alive: boolean;
  /**
   * Runs one invocation. After `realTimeoutMs` of real time the instance is killed and the
   * outcome is `timeout`. `onStart` is called when the instance has started the invocation
   * (before any line the handler logs).
   */
  invoke(
    invocation: InstanceInvocation,
    realTimeoutMs: number,
    onStart: () => void,
  ): Promise<InstanceOutcome>;
  /** Ends the instance at once (recycling, crash injection); a running invocation ends `exit`. */
  kill(): void;
}

/** A started instance, or why its init phase failed. */
export interface StartedInstance {
  readonly instance: FunctionInstance;
  /** Measured init duration in milliseconds. */
  readonly initDurationMs: number;
  /** Set when init failed; the instance is then dead. */
  readonly initError?: LambdaErrorPayload;
}

/** Describes a thrown value as Lambda's Node.js runtime does. */
export function describeThrown(error: unknown): LambdaErrorPayload {
  if (typeof error === 'object' && error !== null && 'message' in error) {
    const candidate = error as { name?: unknown; message?: unknown; stack?: unknown };
    return {
      errorType: String(candidate.name ?? 'Error'),
      errorMessage: String(candidate.message),
      trace: typeof candidate.stack === 'string' ? candidate.stack.split('\n') : [],
    };
  }
  return { errorType: typeof error, errorMessage: String(error), trace: [] };
}

/** The log line Lambda's Node.js runtime writes for a failed invocation. */
export function invokeErrorMessage(error: LambdaErrorPayload): string {
  return `Invoke Error \t${JSON.stringify({
    errorType: error.errorType,
    errorMessage: error.errorMessage,
    stack: error.trace ?? [],
  })}`;
}

/** Megabytes, rounded, from bytes. */
export function bytesToMegabytes(bytes: number): number {
  return Math.max(1, Math.round(bytes / 1_048_576));
}
