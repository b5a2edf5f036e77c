/** A column of {@link formatTable}. */
export interface Column<Row> {
  readonly header: string;
  readonly value: (row: Row) => string;
  /** Right-align (numbers); default left. */
  readonly align?: 'left' | 'right';
}

/**
 * Rows as a plain-text table with a header and a rule, columns padded to their widest cell.
 *
 * @example
 * ```ts
 * formatTable([{ n: 'a', v: 1 }], [{ header: 'name', value: (r) => r.n }]);
 * ```
 */
export function formatTable<Row>(rows: readonly Row[], columns: readonly Column<Row>[]): string {
  const cells = rows.map((row) => columns.map((column) => column.value(row)));
  const widths = columns.map((column, index) =>
    Math.max(column.header.length, ...cells.map((line) => line[index]!.length)),
  );
  const render = (line: readonly string[]) =>
    line
      .map((cell, index) =>
        columns[index]!.align === 'right'
          ? cell.padStart(widths[index]!)
          : cell.padEnd(widths[index]!),
      )
      .join('  ')
      .trimEnd();
  const header = render(columns.map((column) => column.header));
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return `${[header, rule, ...cells.map(render)].join('\n')}\n`;
}
