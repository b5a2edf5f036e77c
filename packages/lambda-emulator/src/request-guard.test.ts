import { request as httpRequest } from 'node:http';
import {
  CreateFunctionCommand,
  GetFunctionCommand,
  ListFunctionsCommand,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmulatorServer, startEmulatorServer } from './server.js';
import { caught, SIGV4_SHAPED_AUTHORIZATION, sdkClients } from './testing/sdk-clients.js';
import { testFunctionsZip } from './testing/test-functions.js';

const zipBase64 = Buffer.from(testFunctionsZip()).toString('base64');
const createBody = JSON.stringify({
  FunctionName: 'planted',
  Role: 'arn:aws:iam::123456789012:role/r',
  Runtime: 'nodejs20.x',
  Handler: 'index.echo',
  Code: { ZipFile: zipBase64 },
});

let server: EmulatorServer;
let clients: ReturnType<typeof sdkClients>;

beforeAll(async () => {
  server = await startEmulatorServer({ port: 0 });
  clients = sdkClients(server.url);
});
afterAll(async () => {
  clients?.lambda.destroy();
  await server?.close();
});

/** A raw HTTP request (node:http lets a test set Host, which fetch does not). */
function raw(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; errorType: string | undefined }> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      { host: '127.0.0.1', port: server.port, method, path, headers },
      (response) => {
        response.resume();
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            errorType: response.headers['x-amzn-errortype'] as string | undefined,
          }),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

describe('requests a web page could send are refused before anything is created', () => {
  // Headers over what the AWS SDK sends; PORT stands for the server's port.
  const sdkLike = {
    host: '127.0.0.1:PORT',
    authorization: SIGV4_SHAPED_AUTHORIZATION,
    'content-type': 'application/json',
  };
  it.each([
    ['a browser Origin', { origin: 'https://evil.example' }, 403],
    ['an Origin of null (sandboxed frame, file://)', { origin: 'null' }, 403],
    ['fetch metadata of a cross-site page', { 'sec-fetch-site': 'cross-site' }, 403],
    ['text/plain (a CORS-simple body)', { 'content-type': 'text/plain' }, 415],
    ['a form body', { 'content-type': 'application/x-www-form-urlencoded' }, 415],
    ['a multipart body', { 'content-type': 'multipart/form-data; boundary=x' }, 415],
    ['a body without a content type', { 'content-type': '' }, 415],
    ['a foreign Host (DNS rebinding)', { host: 'evil.example' }, 403],
    ['a foreign Host on the right port', { host: 'rebound.example.com:PORT' }, 403],
    ['loopback on another port', { host: '127.0.0.1:1' }, 403],
    ['no Authorization', { authorization: '' }, 403],
    ['a Bearer token', { authorization: 'Bearer abc' }, 403],
    [
      'SigV4 without a signature',
      { authorization: 'AWS4-HMAC-SHA256 Credential=A/20260101/us-east-1/lambda/aws4_request' },
      403,
    ],
  ] as const)('refuses CreateFunction with %s', async (_, changes, status) => {
    const sent = Object.fromEntries(
      Object.entries({ ...sdkLike, ...changes })
        .filter(([, value]) => value !== '')
        .map(([name, value]) => [name, value.replace('PORT', String(server.port))]),
    );
    const answer = await raw('POST', '/2015-03-31/functions', sent, createBody);
    expect(answer.status).toBe(status);
    expect(answer.errorType).toBe(
      status === 415 ? 'UnsupportedMediaTypeException' : 'AccessDeniedException',
    );
    expect(server.emulator.hasFunction('planted')).toBe(false);
  });

  it('refuses a CORS preflight and a browser Invoke of an existing function', async () => {
    const zipFile = testFunctionsZip();
    await clients.lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'victim',
        Role: 'arn:aws:iam::123456789012:role/r',
        Runtime: 'nodejs20.x',
        Handler: 'index.echo',
        Code: { ZipFile: zipFile },
      }),
    );
    const path = '/2015-03-31/functions/victim/invocations';
    const preflight = await raw('OPTIONS', path, {
      host: `127.0.0.1:${server.port}`,
      origin: 'https://evil.example',
      'access-control-request-method': 'POST',
    });
    expect(preflight.status).toBe(403);
    const simple = await raw(
      'POST',
      path,
      {
        host: `127.0.0.1:${server.port}`,
        'content-type': 'text/plain',
        origin: 'https://evil.example',
      },
      '{"requests":[]}',
    );
    expect(simple.status).toBe(403);
    // Nothing ran: no instance, no log line.
    expect(server.emulator.instanceCount('victim')).toBe(0);
    expect(server.emulator.logs.eventsBetween('/aws/lambda/victim', 0, Date.now())).toEqual([]);
  });

  it('still serves the AWS SDK, localhost and signed code downloads', async () => {
    const listed = await clients.lambda.send(new ListFunctionsCommand({}));
    expect(listed.Functions?.map((entry) => entry.FunctionName)).toEqual(['victim']);
    const viaLocalhost = sdkClients(`http://localhost:${server.port}`);
    expect((await viaLocalhost.lambda.send(new ListFunctionsCommand({}))).Functions).toHaveLength(
      1,
    );
    viaLocalhost.lambda.destroy();
    const location = (await clients.lambda.send(new GetFunctionCommand({ FunctionName: 'victim' })))
      .Code!.Location!;
    expect((await fetch(location)).status).toBe(200);
    const unsigned = location.replace(/\?.*$/, '');
    expect((await fetch(unsigned)).status).toBe(403);
    expect((await fetch(`${unsigned}?X-Amz-Signature=${'0'.repeat(64)}`)).status).toBe(403);
  });

  it('refuses a Handler that leaves the function package', async () => {
    for (const handler of ['../../x.handler', '/etc/x.handler', 'lib/../../x.handler']) {
      const refused = await caught(
        clients.lambda.send(
          new CreateFunctionCommand({
            FunctionName: 'escape',
            Role: 'arn:aws:iam::123456789012:role/r',
            Runtime: 'nodejs20.x',
            Handler: handler,
            Code: { ZipFile: testFunctionsZip() },
          }),
        ),
      );
      expect(refused.name).toBe('InvalidParameterValueException');
      expect(refused.message).toContain('leaves the function');
    }
    expect(server.emulator.hasFunction('escape')).toBe(false);
  });
});

describe('binding', () => {
  it('warns loudly when bound to a non-loopback address', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    const exposed = await startEmulatorServer({ port: 0, host: '0.0.0.0' });
    await new Promise((resolve) => setImmediate(resolve));
    process.off('warning', onWarning);
    expect(exposed.loopback).toBe(false);
    expect(warnings.map((warning) => (warning as { code?: string }).code)).toContain(
      'MBS_EMULATOR_EXPOSED',
    );
    // Bound to every interface it answers to IP literals but to no DNS name.
    const byName = await new Promise<number>((resolve, reject) => {
      const outgoing = httpRequest(
        {
          host: '127.0.0.1',
          port: exposed.port,
          path: '/2016-08-19/account-settings',
          headers: {
            host: `attacker.example:${exposed.port}`,
            authorization: SIGV4_SHAPED_AUTHORIZATION,
          },
        },
        (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        },
      );
      outgoing.on('error', reject);
      outgoing.end();
    });
    expect(byName).toBe(403);
    await exposed.close();
    expect(server.loopback).toBe(true);
  });
});
