/** The fields of one Lambda `REPORT` line. */
export interface ReportLine {
  /** The invocation's request id (a lowercase UUID on Lambda). */
  readonly requestId: string;
  /** Handler duration in milliseconds. */
  readonly durationMs: number;
  /** Billed duration in milliseconds, as Lambda reports it (init included since August 2025). */
  readonly billedDurationMs: number;
  /** Configured memory in MB. */
  readonly memorySizeMb: number;
  /** Peak memory used in MB. */
  readonly maxMemoryUsedMb: number;
  /** Init duration in milliseconds; present on cold starts only. */
  readonly initDurationMs?: number;
  /** `Status:` field of newer runtimes (`timeout`, `error`), when present. */
  readonly status?: string;
  /** Fields this parser does not interpret (X-Ray ids, restore durations...), by key. */
  readonly otherFields: Readonly<Record<string, string>>;
}

/** The outcome of {@link parseReportLine}: the fields, or why the line is not a REPORT line. */
export type ReportLineParse =
  | { readonly ok: true; readonly report: ReportLine }
  | { readonly ok: false; readonly problem: string };

// A field is `Key: value` with an optional unit; keys may hold spaces (`Max Memory Used`), so the
// key is matched lazily up to the colon. This works whether fields are separated by tabs (as
// Lambda writes them) or by spaces (as some log shippers rewrite them).
const FIELD = /([A-Za-z][A-Za-z ]*?):[ \t]*(\S+)(?:[ \t](ms|MB))?/g;

const MEASURED_FIELDS: Readonly<Record<string, { key: keyof ReportLine; unit: 'ms' | 'MB' }>> = {
  Duration: { key: 'durationMs', unit: 'ms' },
  'Billed Duration': { key: 'billedDurationMs', unit: 'ms' },
  'Memory Size': { key: 'memorySizeMb', unit: 'MB' },
  'Max Memory Used': { key: 'maxMemoryUsedMb', unit: 'MB' },
  'Init Duration': { key: 'initDurationMs', unit: 'ms' },
};

const REQUIRED_KEYS = ['Duration', 'Billed Duration', 'Memory Size', 'Max Memory Used'] as const;

/**
 * Parses a Lambda `REPORT RequestId: ...` line into its fields, tolerating tabs or spaces,
 * an optional `Init Duration`, an optional `Status` and unknown extra fields.
 *
 * @example
 * ```ts
 * const parsed = parseReportLine(
 *   'REPORT RequestId: 6f1c...\tDuration: 27.55 ms\tBilled Duration: 28 ms\tMemory Size: 1024 MB\tMax Memory Used: 472 MB',
 * );
 * if (parsed.ok) console.log(parsed.report.billedDurationMs); // 28
 * ```
 */
export function parseReportLine(message: string): ReportLineParse {
  const line = message.trim();
  if (!line.startsWith('REPORT ')) return { ok: false, problem: 'does not start with "REPORT "' };
  const numbers: Partial<Record<keyof ReportLine, number>> = {};
  const otherFields: Record<string, string> = {};
  let requestId: string | undefined;
  let status: string | undefined;
  for (const match of line.slice('REPORT '.length).matchAll(FIELD)) {
    const key = match[1]!.trim();
    const value = match[2]!;
    const unit = match[3];
    if (key === 'RequestId') {
      requestId = value;
      continue;
    }
    if (key === 'Status') {
      status = value;
      continue;
    }
    const measured = MEASURED_FIELDS[key];
    if (measured === undefined) {
      otherFields[key] = unit === undefined ? value : `${value} ${unit}`;
      continue;
    }
    const amount = Number(value);
    if (!Number.isFinite(amount) || amount < 0) {
      return { ok: false, problem: `${key} is not a non-negative number: "${value}"` };
    }
    if (unit !== measured.unit) {
      return { ok: false, problem: `${key} must be in ${measured.unit}; got "${unit ?? ''}"` };
    }
    numbers[measured.key] = amount;
  }
  if (requestId === undefined) return { ok: false, problem: 'has no RequestId' };
  const missing = REQUIRED_KEYS.filter((key) => numbers[MEASURED_FIELDS[key]!.key] === undefined);
  if (missing.length > 0) return { ok: false, problem: `lacks ${missing.join(', ')}` };
  const report: ReportLine = {
    requestId,
    durationMs: numbers.durationMs!,
    billedDurationMs: numbers.billedDurationMs!,
    memorySizeMb: numbers.memorySizeMb!,
    maxMemoryUsedMb: numbers.maxMemoryUsedMb!,
    ...(numbers.initDurationMs === undefined ? {} : { initDurationMs: numbers.initDurationMs }),
    ...(status === undefined ? {} : { status }),
    otherFields,
  };
  return { ok: true, report };
}

/**
 * Formats a REPORT line exactly as Lambda writes it (tab-separated, durations with two decimals),
 * the inverse of {@link parseReportLine} for the fields it interprets.
 */
export function formatReportLine(report: Omit<ReportLine, 'otherFields'>): string {
  const fields = [
    `REPORT RequestId: ${report.requestId}`,
    `Duration: ${report.durationMs.toFixed(2)} ms`,
    `Billed Duration: ${report.billedDurationMs} ms`,
    `Memory Size: ${report.memorySizeMb} MB`,
    `Max Memory Used: ${report.maxMemoryUsedMb} MB`,
  ];
  if (report.initDurationMs !== undefined) {
    fields.push(`Init Duration: ${report.initDurationMs.toFixed(2)} ms`);
  }
  if (report.status !== undefined) fields.push(`Status: ${report.status}`);
  return `${fields.join('\t')}\t`;
}
