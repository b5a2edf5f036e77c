import { captureIo } from '@mbs/test-utils';
import { describe, expect, it } from 'vitest';
import { EXIT_OK, EXIT_USAGE } from '../exit-codes.js';
import { main } from '../main.js';

describe('mbs validate', () => {
  it('checks a small grid and prints the table', async () => {
    const io = captureIo();
    const code = await main(
      [
        'validate',
        '--requests',
        '20000',
        '--batch-sizes',
        '1',
        '5',
        '--timeouts-ms',
        '50',
        '--buffers',
        '1',
        '--workloads',
        'twitter-hour-1',
      ],
      io,
    );
    expect(code).toBe(EXIT_OK);
    expect(io.out()).toContain('2/2 configurations within 2 %');
    expect(io.out()).toMatch(/twitter-hour-1\s+1\s+5\s+50\.0/);
  });

  it('prints rows with model, MBS approximation and replay figures as JSON', async () => {
    const io = captureIo();
    const code = await main(
      [
        'validate',
        '--json',
        '--requests',
        '20000',
        '--batch-sizes',
        '10',
        '--timeouts-ms',
        '200',
        '--buffers',
        '4',
        '--workloads',
        'bursty-map2',
      ],
      io,
    );
    expect(code).toBe(EXIT_OK);
    const result = JSON.parse(io.out()) as {
      passed: boolean;
      rows: {
        exact: { errors: { p95: number } };
        mbs: { errors: { p95: number } };
        replay: { p95Seconds: number };
      }[];
    };
    expect(result.passed).toBe(true);
    expect(result.rows).toHaveLength(1);
    const [row] = result.rows;
    expect(Math.abs(row!.exact.errors.p95)).toBeLessThan(0.02);
    // The MBS approximations miss this bursty case by far more than the exact model.
    expect(Math.abs(row!.mbs.errors.p95)).toBeGreaterThan(0.05);
    expect(row!.replay.p95Seconds).toBeGreaterThan(0);
  });

  it('rejects bad options with exit code 2', async () => {
    const io = captureIo();
    expect(await main(['validate', '--requests', '5'], io)).toBe(EXIT_USAGE);
    expect(io.err()).toContain('--requests');
    expect(await main(['validate', '--batch-sizes', '0'], captureIo())).toBe(EXIT_USAGE);
  });
});
