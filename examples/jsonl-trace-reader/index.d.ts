import type { TraceReader } from '@mbs/core';

/** A trace reader `jsonl`: one `{"t": seconds, "size": n}` object per line. */
export declare function createJsonLinesTraceReader(): TraceReader;
