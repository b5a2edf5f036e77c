/**
 * Model vs discrete-event replay over the whole validation grid: B in {1, 2, 5, 10, 25}, T in
 * {10, 50, 200, 500} ms, one and four buffers, Twitter hour-1 and bursty MAP(2); exact model and
 * MBS approximations side by side against `@mbs/sim`, 10^6 requests per configuration by default.
 * It is `mbs validate` on the full grid (the command's defaults are a quick subset).
 * Run: `npm run validate:model -w @mbs/validation [-- --requests 1000000]` after
 * `npx turbo run build`. Exits 1 when the exact model misses a tolerance.
 */
import { main } from '@mbs/cli';

const index = process.argv.indexOf('--requests');
const requests = index < 0 ? '1000000' : (process.argv[index + 1] ?? '');
const started = Date.now();
const code = await main([
  'validate',
  '--requests',
  requests,
  '--batch-sizes',
  ...['1', '2', '5', '10', '25'],
  '--timeouts-ms',
  ...['10', '50', '200', '500'],
  '--buffers',
  ...['1', '4'],
]);
console.log(`Took ${((Date.now() - started) / 1000).toFixed(1)} s.`);
process.exitCode = code;
