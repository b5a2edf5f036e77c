import { VALIDATION_TOLERANCES, type ValidationRow } from './validate-against-replay.js';

const percent = (value: number) => `${value >= 0 ? '+' : ''}${(value * 100).toFixed(2)}%`;
const milliseconds = (seconds: number) => (seconds * 1000).toFixed(1);

/** The validation rows as a fixed-width text table (one line per case). */
export function formatValidationTable(rows: readonly ValidationRow[]): string {
  const header = [
    'workload',
    'buf',
    'B',
    'T ms',
    'replay p50/p95/p99 ms',
    'exact err p50',
    'p95',
    'p99',
    'cost',
    'mbs err p50',
    'p95',
    'p99',
    'cost',
    'ok',
  ];
  const lines = rows.map((row) => [
    row.workload,
    String(row.bufferCount),
    String(row.batchSize),
    milliseconds(row.timeoutSeconds),
    `${milliseconds(row.replay.p50Seconds)}/${milliseconds(row.replay.p95Seconds)}/${milliseconds(row.replay.p99Seconds)}`,
    percent(row.exact.errors.p50),
    percent(row.exact.errors.p95),
    percent(row.exact.errors.p99),
    percent(row.exact.errors.cost),
    percent(row.mbs.errors.p50),
    percent(row.mbs.errors.p95),
    percent(row.mbs.errors.p99),
    percent(row.mbs.errors.cost),
    row.passed ? 'yes' : 'NO',
  ]);
  const widths = header.map((cell, column) =>
    Math.max(cell.length, ...lines.map((line) => line[column]!.length)),
  );
  const format = (cells: readonly string[]) =>
    cells
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!),
      )
      .join('  ');
  const passed = rows.filter((row) => row.passed).length;
  const worst = (pick: (row: ValidationRow) => number) =>
    rows.reduce((largest, row) => Math.max(largest, Math.abs(pick(row))), 0);
  const summary = [
    `${passed}/${rows.length} configurations within ${VALIDATION_TOLERANCES.latency * 100} % (p50, p95, p99) and ${VALIDATION_TOLERANCES.cost * 100} % (cost).`,
    `Largest |error| exact: p50 ${percent(worst((r) => r.exact.errors.p50))}, p95 ${percent(worst((r) => r.exact.errors.p95))}, p99 ${percent(worst((r) => r.exact.errors.p99))}, cost ${percent(worst((r) => r.exact.errors.cost))}`,
    `Largest |error| mbs:   p50 ${percent(worst((r) => r.mbs.errors.p50))}, p95 ${percent(worst((r) => r.mbs.errors.p95))}, p99 ${percent(worst((r) => r.mbs.errors.p99))}, cost ${percent(worst((r) => r.mbs.errors.cost))}`,
  ];
  return `${[format(header), widths.map((width) => '-'.repeat(width)).join('  '), ...lines.map(format), '', ...summary].join('\n')}\n`;
}
