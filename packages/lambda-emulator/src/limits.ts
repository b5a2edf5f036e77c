import {
  LAMBDA_MAX_VCPUS,
  LAMBDA_MEMORY_MB_PER_VCPU,
  LAMBDA_REQUEST_PAYLOAD_LIMIT_BYTES,
  LAMBDA_RUNTIMES,
} from '@mbs/core';

/** Smallest memory size Lambda accepts, in MB. */
export const MINIMUM_MEMORY_MB = 128;
/** Largest memory size Lambda accepts, in MB. */
export const MAXIMUM_MEMORY_MB = 10_240;
/** Memory size a function gets when none is given, in MB. */
export const DEFAULT_MEMORY_MB = 128;
/** Shortest function timeout, in seconds. */
export const MINIMUM_TIMEOUT_SECONDS = 1;
/** Longest function timeout, in seconds. */
export const MAXIMUM_TIMEOUT_SECONDS = 900;
/** Timeout a function gets when none is given, in seconds. */
export const DEFAULT_TIMEOUT_SECONDS = 3;
/** Memory that buys one full vCPU on Lambda, in MB. */
export const MEMORY_MB_PER_VCPU = LAMBDA_MEMORY_MB_PER_VCPU;
/** Most vCPUs a Lambda function gets (at 10,240 MB). */
export const MAXIMUM_VCPU = LAMBDA_MAX_VCPUS;
/** Largest synchronous Invoke request payload, in bytes. */
export const MAXIMUM_REQUEST_PAYLOAD_BYTES = LAMBDA_REQUEST_PAYLOAD_LIMIT_BYTES;
/** Largest asynchronous (Event) Invoke request payload, in bytes. */
export const MAXIMUM_EVENT_PAYLOAD_BYTES = 262_144;
/** Largest synchronous Invoke response payload, in bytes. */
export const MAXIMUM_RESPONSE_PAYLOAD_BYTES = 6_291_556;
/** Largest CreateFunction / UpdateFunctionCode request body (a base64 zip of 50 MB), in bytes. */
export const MAXIMUM_CODE_REQUEST_BYTES = 69_905_067;
/** Largest unzipped deployment package, in bytes. */
export const MAXIMUM_UNZIPPED_CODE_BYTES = 262_144_000;
/** Largest zipped deployment package uploaded directly, in bytes. */
export const MAXIMUM_ZIPPED_CODE_BYTES = 52_428_800;
/** How much of the execution log `LogType: Tail` returns, in bytes. */
export const LOG_TAIL_BYTES = 4096;
/** Account concurrency Lambda gives by default, per region. */
export const DEFAULT_ACCOUNT_CONCURRENCY = 1000;
/** Concurrency Lambda keeps unreserved for functions without a reservation. */
export const MINIMUM_UNRESERVED_CONCURRENCY = 100;
/** Longest init phase before Lambda gives up on a new instance, in milliseconds. */
export const INIT_PHASE_LIMIT_MS = 10_000;
/**
 * Runtimes the emulator accepts: the ones `mbs package` and `mbs deploy` accept (instances run
 * on this machine's Node whichever is named).
 */
export const SUPPORTED_RUNTIMES = LAMBDA_RUNTIMES;
/**
 * Largest log event message, in UTF-8 bytes: CloudWatch Logs takes events up to 256 KB, counting
 * 26 bytes of overhead per event; longer messages are cut.
 */
export const MAXIMUM_LOG_EVENT_BYTES = 262_118;
/** Per-event overhead CloudWatch Logs counts on top of the message's UTF-8 bytes. */
export const LOG_EVENT_OVERHEAD_BYTES = 26;
