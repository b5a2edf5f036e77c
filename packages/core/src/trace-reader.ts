import type { PluginBase } from './plugin.js';
import type { Trace } from './workload.js';

/** Options every trace reader accepts; readers may accept more and must reject unknown keys. */
export interface TraceReadOptions {
  /** Sort arrivals by time instead of refusing a trace whose timestamps go backwards. */
  readonly sort?: boolean;
  /** Column holding timestamps, for column-based formats. */
  readonly timeColumn?: string;
  /** Column holding sizes, for column-based formats. */
  readonly sizeColumn?: string;
  /** Reader-specific options. */
  readonly [option: string]: unknown;
}

/**
 * A trace format (plugin): recognises a source and reads it as a streaming trace.
 *
 * @example
 * ```ts
 * if (await reader.canRead('azure.csv')) for await (const a of reader.read('azure.csv')) ...
 * ```
 */
export interface TraceReader extends PluginBase {
  /** File extensions or source kinds it reads, for help text. */
  readonly formats: readonly string[];
  /** Whether this reader recognises the source (by name and first bytes), without options. */
  canRead(source: string): Promise<boolean>;
  /** The source as a trace. Throws MbsError (TRACE_PARSE, TRACE_ORDER...) naming file:line. */
  read(source: string, options?: TraceReadOptions): Trace;
}
