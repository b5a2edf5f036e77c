import {
  assertOpen,
  type EmulatorState,
  type FunctionState,
  lookupFunction,
} from './emulator-state.js';
import { invalidParameterValue, type ThrottleReason } from './lambda-errors.js';
import { MAXIMUM_UNZIPPED_CODE_BYTES, MAXIMUM_ZIPPED_CODE_BYTES } from './limits.js';

/** Concurrency reserved by every function but `except`. */
export function reservedTotal(emulator: EmulatorState, except?: FunctionState): number {
  let total = 0;
  for (const state of emulator.functions.values()) {
    if (state !== except) total += state.reservedConcurrency ?? 0;
  }
  return total;
}

/**
 * Why an invocation of the function would be throttled now, or `undefined` when it may run: a
 * function with reserved concurrency is held to it; the others share what the account has left.
 */
export function throttleReason(
  emulator: EmulatorState,
  state: FunctionState,
): ThrottleReason | undefined {
  if (state.reservedConcurrency !== undefined) {
    return state.inflight >= state.reservedConcurrency
      ? 'ReservedFunctionConcurrentInvocationLimitExceeded'
      : undefined;
  }
  let unreservedInflight = 0;
  for (const other of emulator.functions.values()) {
    if (other.reservedConcurrency === undefined) unreservedInflight += other.inflight;
  }
  return unreservedInflight >= emulator.options.accountConcurrency - reservedTotal(emulator)
    ? 'ConcurrentInvocationLimitExceeded'
    : undefined;
}

/**
 * PutFunctionConcurrency: reserves concurrency for a function, refusing a reservation that would
 * leave the account less unreserved concurrency than its minimum.
 */
export function putFunctionConcurrency(
  emulator: EmulatorState,
  reference: string,
  reserved: unknown,
): Readonly<Record<string, unknown>> {
  const state = lookupFunction(emulator, reference);
  if (typeof reserved !== 'number' || !Number.isInteger(reserved) || reserved < 0) {
    throw invalidParameterValue(
      `1 validation error detected: Value '${String(reserved)}' at 'reservedConcurrentExecutions' failed to satisfy constraint: Member must have value greater than or equal to 0`,
    );
  }
  const { accountConcurrency, minimumUnreservedConcurrency } = emulator.options;
  const unreserved = accountConcurrency - reservedTotal(emulator, state) - reserved;
  if (unreserved < minimumUnreservedConcurrency) {
    throw invalidParameterValue(
      `Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [${minimumUnreservedConcurrency}].`,
    );
  }
  state.reservedConcurrency = reserved;
  return { ReservedConcurrentExecutions: reserved };
}

/** GetFunctionConcurrency: the reservation, or an empty object when there is none. */
export function getFunctionConcurrency(
  emulator: EmulatorState,
  reference: string,
): Readonly<Record<string, unknown>> {
  const state = lookupFunction(emulator, reference);
  return state.reservedConcurrency === undefined
    ? {}
    : { ReservedConcurrentExecutions: state.reservedConcurrency };
}

/** DeleteFunctionConcurrency: removes the reservation; the function shares the account's again. */
export function deleteFunctionConcurrency(emulator: EmulatorState, reference: string): void {
  lookupFunction(emulator, reference).reservedConcurrency = undefined;
}

/** GetAccountSettings: the account's limits and usage. */
export function getAccountSettings(emulator: EmulatorState): Readonly<Record<string, unknown>> {
  assertOpen(emulator);
  const { functions, options } = emulator;
  let totalCodeSize = 0;
  for (const state of functions.values()) totalCodeSize += state.code.sizeBytes;
  return {
    AccountLimit: {
      TotalCodeSize: 80_530_636_800,
      CodeSizeUnzipped: MAXIMUM_UNZIPPED_CODE_BYTES,
      CodeSizeZipped: MAXIMUM_ZIPPED_CODE_BYTES,
      ConcurrentExecutions: options.accountConcurrency,
      UnreservedConcurrentExecutions: options.accountConcurrency - reservedTotal(emulator),
    },
    AccountUsage: { TotalCodeSize: totalCodeSize, FunctionCount: functions.size },
  };
}
