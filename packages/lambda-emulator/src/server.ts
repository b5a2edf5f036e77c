import { createReadStream } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createEmulator, type Emulator } from './emulator.js';
import { emulatorErrors, invalidOption } from './emulator-errors.js';
import { readBody, sendError } from './http-exchange.js';
import { CODE_DOWNLOAD_PREFIX, handleLambdaRequest } from './lambda-api.js';
import { awsError } from './lambda-errors.js';
import { handleLogsRequest, isLogsRequest } from './logs-api.js';
import type { EmulatorOptions } from './options.js';
import { createRequestGuard, isLoopback, type RequestGuard } from './request-guard.js';

/** Options of {@link startEmulatorServer}: where to listen, and the emulator's options. */
export interface EmulatorServerOptions extends EmulatorOptions {
  /** TCP port; 0 picks a free one. Default 9001. */
  readonly port?: number;
  /** Interface to bind. Default `127.0.0.1` (loopback only). */
  readonly host?: string;
  /** Serve this emulator (e.g. one an in-process provider also uses) instead of a new one. */
  readonly emulator?: Emulator;
}

/** A running emulator server. */
export interface EmulatorServer {
  /** Base URL for SDK clients' `endpoint`, e.g. `http://127.0.0.1:9001`. */
  readonly url: string;
  readonly port: number;
  readonly host: string;
  /** Whether the server listens on loopback only (else anyone who can reach it can run code). */
  readonly loopback: boolean;
  readonly emulator: Emulator;
  /** Stops listening, drops connections and disposes the emulator if the server made it. */
  close(): Promise<void>;
}

function serveCode(emulator: Emulator, response: ServerResponse, pathname: string): boolean {
  const match = /^([0-9a-f]{64})\.zip$/.exec(pathname.slice(CODE_DOWNLOAD_PREFIX.length));
  const path = match ? emulator.codeZipPath(match[1]!) : undefined;
  if (!path) return false;
  response.writeHead(200, { 'Content-Type': 'application/zip' });
  createReadStream(path).pipe(response);
  return true;
}

async function answer(
  emulator: Emulator,
  guard: RequestGuard,
  request: IncomingMessage,
  response: ServerResponse,
  baseUrl: string,
) {
  const url = new URL(request.url ?? '/', baseUrl);
  const refusal = guard.refusal(request, url);
  if (refusal) {
    // Refused before the body is read or anything is created; the connection is not reused.
    response.setHeader('Connection', 'close');
    sendError(response, refusal, request.headers['x-amz-target'] ? 'aws-json' : 'rest-json');
    request.resume();
    return;
  }
  if (isLogsRequest(request, url)) return handleLogsRequest(emulator, request, response);
  if (
    request.method === 'GET' &&
    url.pathname.startsWith(CODE_DOWNLOAD_PREFIX) &&
    serveCode(emulator, response, url.pathname)
  ) {
    return;
  }
  const codeLocation = (sha256Hex: string) => {
    const path = `${CODE_DOWNLOAD_PREFIX}${sha256Hex}.zip`;
    return `${baseUrl}${path}?${guard.signPath(path)}`;
  };
  if (await handleLambdaRequest(emulator, request, response, url, codeLocation)) return;
  await readBody(request, 0);
  const target = request.headers['x-amz-target'];
  sendError(
    response,
    typeof target === 'string'
      ? awsError({
          statusCode: 400,
          errorType: 'UnknownOperationException',
          awsMessage: `The emulator does not implement ${target}`,
          retryable: false,
        })
      : awsError({
          statusCode: 404,
          errorType: 'UnknownOperationException',
          awsMessage: `The emulator does not implement ${request.method} ${url.pathname}`,
          retryable: false,
        }),
    typeof target === 'string' ? 'aws-json' : 'rest-json',
  );
}

function checkPort(port: unknown): number {
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65_535) {
    throw invalidOption('port', 'must be an integer in [0, 65535]', port);
  }
  return port;
}

/**
 * Starts an HTTP server that answers the Lambda API (Invoke, CreateFunction, ...) and the
 * CloudWatch Logs API (FilterLogEvents, GetLogEvents, DescribeLogStreams) for the real AWS SDK.
 * It serves a developer's machine, not a network: it answers only requests whose Host names it,
 * that carry a SigV4-shaped Authorization (any credentials), and that no browser sent (see
 * request-guard); bound to a non-loopback address it warns (`MBS_EMULATOR_EXPOSED`), since
 * anyone who can reach it can run code on this machine.
 *
 * @example
 * ```ts
 * const server = await startEmulatorServer({ port: 0 });
 * const lambda = new LambdaClient({ endpoint: server.url, region: 'us-east-1', credentials });
 * await server.close();
 * ```
 */
export async function startEmulatorServer(
  options: EmulatorServerOptions = {},
): Promise<EmulatorServer> {
  const { port = 9001, host = '127.0.0.1', emulator: shared, ...emulatorOptions } = options;
  checkPort(port);
  if (typeof host !== 'string' || host === '') {
    throw invalidOption('host', 'must be an interface address', host);
  }
  if (shared && Object.keys(emulatorOptions).length > 0) {
    throw emulatorErrors.error(
      'OPTION_INVALID',
      `option emulator: give either an emulator or emulator options, not both; got ${Object.keys(emulatorOptions).join(', ')}`,
    );
  }
  const emulator = shared ?? createEmulator(emulatorOptions);
  let baseUrl = '';
  let guard: RequestGuard | undefined;
  const server = createServer((request, response) => {
    answer(emulator, guard!, request, response, baseUrl).catch((error: unknown) => {
      if (!response.headersSent) sendError(response, error, 'rest-json');
      else response.destroy();
    });
  });
  // Longer than a client's idle keep-alive (the SDK's agent keeps sockets until the server closes
  // them): a client that reuses a socket just as the server closes it gets "socket hang up".
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    if (!shared) await emulator.dispose();
    throw emulatorErrors.error(
      'IO',
      `cannot listen on ${host}:${port}: ${(error as Error).message}; pick another --port (0 picks a free one)`,
      { cause: error, details: { host, port } },
    );
  }
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  baseUrl = `http://${urlHost}:${address.port}`;
  guard = createRequestGuard({ host, port: address.port }, CODE_DOWNLOAD_PREFIX);
  const loopback = isLoopback(host) && isLoopback(address.address);
  if (!loopback) {
    process.emitWarning(
      `the Lambda emulator listens on ${host}:${address.port}, not on loopback: anyone who can reach this address can create functions and run code on this machine`,
      { code: 'MBS_EMULATOR_EXPOSED' },
    );
  }
  let closed: Promise<void> | undefined;
  return {
    url: baseUrl,
    port: address.port,
    host,
    loopback,
    emulator,
    close() {
      closed ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        if (!shared) await emulator.dispose();
      })();
      return closed;
    },
  };
}
