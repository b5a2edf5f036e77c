import { isMbsError } from '@mbs/core';
import { describe, expect, it } from 'vitest';
import { createCsvTraceReader } from './csv-trace-reader.js';
import { collect, writeTemporaryFile } from './testing/trace-files.js';

const AZURE = [
  'TIMESTAMP,ContextTokens,GeneratedTokens',
  '2023-11-16 18:15:46.6805900,374,44',
  '2023-11-16 18:15:50.9951690,396,109',
  '',
  '2023-11-16 18:15:51.2224670,879,55',
  '2023-11-16 18:15:51.2224670,91,16',
].join('\n');

async function expectError(promise: Promise<unknown>, code: string, text: string): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(isMbsError(error, code as never), String(error)).toBe(true);
  expect((error as Error).message).toContain(text);
}

describe('csv trace reader', () => {
  it('recognises and reads the Azure LLM format without options', async () => {
    const path = writeTemporaryFile('azure.csv', `${AZURE}\n`);
    const reader = createCsvTraceReader();
    expect(await reader.canRead(path)).toBe(true);
    const trace = reader.read(path);
    const arrivals = await collect(trace);
    expect(arrivals.map((arrival) => arrival.size)).toEqual([374, 396, 879, 91]);
    expect(arrivals[0]!.timeSeconds).toBe(0);
    // 7 fractional digits survive: differences are exact to 100 ns.
    expect(arrivals[1]!.timeSeconds).toBeCloseTo(4.314579, 9);
    expect(arrivals[2]!.timeSeconds).toBeCloseTo(4.541877, 9);
    expect(arrivals[3]!.timeSeconds).toBe(arrivals[2]!.timeSeconds);
    expect(trace.report()).toEqual({ linesRead: 6, arrivals: 4, skipped: { header: 1, blank: 1 } });
    expect(trace.metadata).toMatchObject({ source: path, format: 'csv', sizeUnit: 'tokens' });
    expect(trace.metadata.startEpochMs).toBeCloseTo(Date.UTC(2023, 10, 16, 18, 15, 46) + 680.59, 3);
  });

  it('reads named columns with epoch seconds, milliseconds and ISO times', async () => {
    const reader = createCsvTraceReader();
    const seconds = writeTemporaryFile(
      'seconds.csv',
      'id,bytes,arrival\n# a comment\na,10,1700000000.5\nb,20,1700000001.25\r\n',
    );
    const arrivals = await collect(
      reader.read(seconds, { timeColumn: 'arrival', sizeColumn: 'bytes' }),
    );
    expect(arrivals).toEqual([
      { timeSeconds: 0, size: 10 },
      { timeSeconds: 0.75, size: 20 },
    ]);
    const milliseconds = writeTemporaryFile(
      'ms.csv',
      'time,size\n1700000000500,1\n1700000000750,2\n',
    );
    expect((await collect(reader.read(milliseconds))).map((a) => a.timeSeconds)).toEqual([0, 0.25]);
    const iso = writeTemporaryFile(
      'iso.csv',
      'time,size\n2023-11-16T18:00:00Z,1\n2023-11-16T20:00:01+02:00,2\n',
    );
    expect((await collect(reader.read(iso))).map((a) => a.timeSeconds)).toEqual([0, 1]);
    const forced = writeTemporaryFile('forced.csv', 'time,size\n1500,1\n2500,2\n');
    expect(
      (await collect(reader.read(forced, { timeUnit: 'milliseconds' }))).map((a) => a.timeSeconds),
    ).toEqual([0, 1]);
  });

  it('reads a headerless CSV as time then size, and sizes 0 without a size column', async () => {
    const reader = createCsvTraceReader();
    const headerless = writeTemporaryFile('headerless.csv', '0.5,3\n1.5,4\n');
    expect(await collect(reader.read(headerless))).toEqual([
      { timeSeconds: 0, size: 3 },
      { timeSeconds: 1, size: 4 },
    ]);
    const timesOnly = writeTemporaryFile('times.csv', 'timestamp\n10\n12\n');
    expect(await collect(reader.read(timesOnly))).toEqual([
      { timeSeconds: 0, size: 0 },
      { timeSeconds: 2, size: 0 },
    ]);
  });

  it('sorts on request, and otherwise refuses time going backwards naming both lines', async () => {
    const path = writeTemporaryFile('backwards.csv', 'time,size\n5,1\n3,2\n4,3\n');
    const reader = createCsvTraceReader();
    await expectError(collect(reader.read(path)), 'TRACE_ORDER', `${path}:3: time goes backwards`);
    const trace = reader.read(path, { sort: true });
    expect(await collect(trace)).toEqual([
      { timeSeconds: 0, size: 2 },
      { timeSeconds: 1, size: 3 },
      { timeSeconds: 2, size: 1 },
    ]);
    expect(trace.metadata.startEpochMs).toBe(3000);
  });

  it('names file and line of unparseable times and bad sizes', async () => {
    const reader = createCsvTraceReader();
    const cases: [string, string][] = [
      [
        'TIMESTAMP,ContextTokens\n2023-11-16 18:15:46.1,5\nyesterday,6\n',
        ':3: unparseable time "yesterday"',
      ],
      [
        'TIMESTAMP,ContextTokens\n2023-11-16 18:15:46.1,-5\n',
        ':2: size "-5" in column ContextTokens',
      ],
      ['TIMESTAMP,ContextTokens\n2023-11-16 18:15:46.1,NaN\n', ':2: size "NaN"'],
      ['TIMESTAMP,ContextTokens\n2023-11-16 18:15:46.1\n', ':2: 1 fields where at least 2'],
      ['time,size\n1,2\n2023-11-16 18:15:46,3\n', ':3: unparseable time'],
    ];
    for (const [index, [text, message]] of cases.entries()) {
      const path = writeTemporaryFile(`bad-${index}.csv`, text);
      await expectError(collect(reader.read(path)), 'TRACE_PARSE', `${path}${message}`);
    }
  });

  it('refuses empty files and unknown columns or options', async () => {
    const reader = createCsvTraceReader();
    const empty = writeTemporaryFile('empty.csv', '');
    await expectError(collect(reader.read(empty)), 'TRACE_EMPTY', 'no arrivals in 0 lines');
    const headerOnly = writeTemporaryFile('header-only.csv', 'TIMESTAMP,ContextTokens\n\n');
    await expectError(
      collect(reader.read(headerOnly)),
      'TRACE_EMPTY',
      'skipped: 1 header, 1 blank',
    );
    await expectError(
      collect(reader.read(headerOnly, { sizeColumn: 'Bytes' })),
      'TRACE_PARSE',
      'no column "Bytes"',
    );
    expect(() => reader.read(empty, { delimiter: ';' })).toThrow(/no option "delimiter"/);
    expect(() => reader.read(empty, { timeUnit: 'hours' })).toThrow(/timeUnit is "hours"/);
    await expectError(collect(reader.read('/no/such/file.csv')), 'IO', '/no/such/file.csv');
  });

  it('claims only CSVs with a time header', async () => {
    const reader = createCsvTraceReader();
    expect(await reader.canRead(writeTemporaryFile('d0.csv', '-14.6,0.0\n0.0,-35.1\n'))).toBe(
      false,
    );
    expect(await reader.canRead(writeTemporaryFile('plain.txt', 'time,size\n1,2\n'))).toBe(false);
    expect(await reader.canRead(writeTemporaryFile('time.csv', '# c\ntime,size\n1,2\n'))).toBe(
      true,
    );
    expect(await reader.canRead('/no/such/file.csv')).toBe(false);
  });

  it('reads lines split across chunk boundaries', async () => {
    const lines = ['TIMESTAMP,ContextTokens,GeneratedTokens'];
    const count = 60_000;
    for (let index = 0; index < count; index++) {
      const seconds = String(index % 60).padStart(2, '0');
      const minutes = String(Math.floor(index / 60) % 60).padStart(2, '0');
      const hours = String(Math.floor(index / 3600)).padStart(2, '0');
      lines.push(`2023-11-16 ${hours}:${minutes}:${seconds}.0000000,${index},1`);
    }
    const path = writeTemporaryFile('long.csv', lines.join('\r\n'));
    const arrivals = await collect(createCsvTraceReader().read(path));
    expect(arrivals).toHaveLength(count);
    const wrong = arrivals.filter(
      (arrival, index) => arrival.timeSeconds !== index || arrival.size !== index,
    );
    expect(wrong).toEqual([]);
  });
});
