import { captureIo } from '@mbs/test-utils';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { EXIT_OK, EXIT_USAGE } from '../exit-codes.js';
import { main } from '../main.js';

/** SigV4-shaped: the emulator checks the shape of Authorization, not the signature. */
const AUTHORIZATION = `AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=${'0'.repeat(64)}`;

async function waitForUrl(io: ReturnType<typeof captureIo>): Promise<string> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const match = /"url": "([^"]+)"/.exec(io.out());
    if (match) return match[1]!;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`the emulator did not print its URL; stderr: ${io.err()}`);
}

describe('mbs emulator start', () => {
  it('serves the Lambda API with the given options until SIGTERM', async () => {
    const io = captureIo();
    const running = main(
      [
        'emulator',
        'start',
        '--port',
        '0',
        '--account-concurrency',
        '150',
        '--fault-throttle-rate',
        '1',
        '--json',
      ],
      io,
    );
    const url = await waitForUrl(io);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const settings = (await (
      await fetch(`${url}/2016-08-19/account-settings`, {
        headers: { authorization: AUTHORIZATION },
      })
    ).json()) as {
      AccountLimit: { ConcurrentExecutions: number };
    };
    expect(settings.AccountLimit.ConcurrentExecutions).toBe(150);
    const zip = zipSync({ 'index.js': strToU8('exports.handler = async () => 1;') });
    const created = await fetch(`${url}/2015-03-31/functions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: AUTHORIZATION },
      body: JSON.stringify({
        FunctionName: 'one',
        Role: 'arn:aws:iam::123456789012:role/r',
        Runtime: 'nodejs20.x',
        Handler: 'index.handler',
        Code: { ZipFile: Buffer.from(zip).toString('base64') },
      }),
    });
    expect(created.status).toBe(201);
    const throttled = await fetch(`${url}/2015-03-31/functions/one/invocations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: AUTHORIZATION },
      body: '{}',
    });
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('x-amzn-errortype')).toBe('TooManyRequestsException');
    expect(((await throttled.json()) as { Reason: string }).Reason).toBe(
      'ConcurrentInvocationLimitExceeded',
    );
    process.emit('SIGTERM');
    expect(await running).toBe(EXIT_OK);
    expect(io.err()).toContain('SIGTERM received, stopping');
    await expect(fetch(`${url}/2016-08-19/account-settings`)).rejects.toThrow();
  });

  it('warns loudly when bound to a non-loopback address', async () => {
    const io = captureIo();
    const running = main(['emulator', 'start', '--host', '0.0.0.0', '--port', '0', '--json'], io);
    await waitForUrl(io);
    expect(io.err()).toContain('WARNING: mbs emulator listens on 0.0.0.0');
    expect(io.out()).toContain('"loopback": false');
    process.emit('SIGTERM');
    expect(await running).toBe(EXIT_OK);
  });

  it('names the flag of an option out of range (exit 2)', async () => {
    for (const [flag, value] of [
      ['--fault-throttle-rate', '2'],
      ['--port', '70000'],
      ['--warm-seconds', '-1'],
      ['--max-instances', '0'],
    ] as const) {
      const io = captureIo();
      expect(await main(['emulator', 'start', flag, value], io)).toBe(EXIT_USAGE);
      expect(io.err()).toContain(flag);
    }
  });

  it('refuses an unknown action', async () => {
    const io = captureIo();
    expect(await main(['emulator', 'stop'], io)).toBe(EXIT_USAGE);
    expect(io.err()).toContain('stop');
  });
});
