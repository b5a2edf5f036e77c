/** Header names (lower case) taken as the time column when `timeColumn` is not given. */
export const TIME_COLUMN_NAMES: readonly string[] = [
  'timestamp',
  'time',
  'timeseconds',
  'time_seconds',
  'arrival_time',
  'arrivaltime',
];

/** Header names (lower case) taken as the size column when `sizeColumn` is not given. */
export const SIZE_COLUMN_NAMES: readonly string[] = [
  'contexttokens',
  'size',
  'input_tokens',
  'inputtokens',
  'tokens',
  'bytes',
  'size_bytes',
];

/** A CSV field without surrounding spaces and double quotes. */
export function cleanField(field: string): string {
  const trimmed = field.trim();
  return trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"')
    ? trimmed.slice(1, -1)
    : trimmed;
}

/** The index of a column by exact name, else case-insensitively; -1 when absent. */
export function findColumn(header: readonly string[], name: string): number {
  const exact = header.indexOf(name);
  if (exact !== -1) return exact;
  const lower = name.toLowerCase();
  return header.findIndex((column) => column.toLowerCase() === lower);
}

/** The first header column whose lower-case name is in `names`; -1 when none is. */
export function findKnownColumn(header: readonly string[], names: readonly string[]): number {
  for (const name of names) {
    const index = header.findIndex((column) => column.toLowerCase() === name);
    if (index !== -1) return index;
  }
  return -1;
}

/** The unit a size column's name implies (`ContextTokens` -> `tokens`), if any. */
export function sizeUnitOfColumn(name: string): string | undefined {
  const lower = name.toLowerCase();
  if (lower.includes('token')) return 'tokens';
  if (lower.includes('byte')) return 'bytes';
  return undefined;
}

/** Whether the header is the Azure LLM inference trace's (`TIMESTAMP,ContextTokens,...`). */
export function isAzureHeader(header: readonly string[]): boolean {
  return header[0] === 'TIMESTAMP' && header[1] === 'ContextTokens';
}
