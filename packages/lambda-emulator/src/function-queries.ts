import { assertOpen, type EmulatorState, lookupFunction } from './emulator-state.js';
import { configurationOf, type LambdaFunctionConfiguration } from './function-configuration.js';
import { invalidParameterValue } from './lambda-errors.js';

/** Functions per ListFunctions page at most, as on Lambda. */
const LIST_PAGE_SIZE = 50;

/** GetFunctionConfiguration. */
export function getFunctionConfiguration(
  emulator: EmulatorState,
  reference: string,
  qualifier?: string,
): LambdaFunctionConfiguration {
  return configurationOf(lookupFunction(emulator, reference, qualifier));
}

/** GetFunction; `codeLocation` maps a zip's SHA-256 (hex) to where it can be downloaded. */
export function getFunction(
  emulator: EmulatorState,
  reference: string,
  codeLocation?: (sha256Hex: string) => string,
): Readonly<Record<string, unknown>> {
  const state = lookupFunction(emulator, reference);
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
}

/** Whether a function of that name exists. */
export function hasFunction(emulator: EmulatorState, reference: string): boolean {
  try {
    lookupFunction(emulator, reference);
    return true;
  } catch {
    return false;
  }
}

/**
 * ListFunctions: functions by name, 50 a page at most; the marker is the last name of the page
 * before, base64url.
 */
export function listFunctions(
  emulator: EmulatorState,
  marker?: string,
  maxItems?: number,
): Readonly<Record<string, unknown>> {
  assertOpen(emulator);
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
  const { functions } = emulator;
  const names = [...functions.keys()].sort().filter((name) => name > after);
  const pageSize = Math.min(maxItems ?? LIST_PAGE_SIZE, LIST_PAGE_SIZE);
  const page = names.slice(0, pageSize);
  return {
    Functions: page.map((name) => configurationOf(functions.get(name)!)),
    ...(names.length > pageSize
      ? { NextMarker: Buffer.from(page.at(-1)!).toString('base64url') }
      : {}),
  };
}

/** The path of a stored deployment zip by its SHA-256 (hex), if the emulator holds it. */
export function codeZipPath(emulator: EmulatorState, sha256Hex: string): string | undefined {
  for (const state of emulator.functions.values()) {
    if (state.code.unpacked?.sha256Hex === sha256Hex) return state.code.unpacked.zipPath;
  }
  return undefined;
}
