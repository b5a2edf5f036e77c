// Runs an emulator server in its own process, for tests that stop, kill or measure it. Options
// are the JSON of argv[2]; prints `{"url","pid","root"}` once listening; SIGTERM closes it.
import { startEmulatorServer } from '../server.js';

const options = JSON.parse(process.argv[2] ?? '{}') as Record<string, unknown>;
const server = await startEmulatorServer({ port: 0, ...options });
const stop = () => {
  server.close().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`closing failed: ${String(error)}\n`);
      process.exit(1);
    },
  );
};
// Handlers first: a SIGTERM sent as soon as the URL is read must not find the default action.
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdout.write(`${JSON.stringify({ url: server.url, pid: process.pid })}\n`);
