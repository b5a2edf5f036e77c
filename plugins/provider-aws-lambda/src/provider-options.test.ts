import { LambdaClient } from '@aws-sdk/client-lambda';
import { isMbsError } from '@mbs/core';
import { expectRegistrable } from '@mbs/test-utils';
import { describe, expect, it } from 'vitest';
import { createAwsLambdaProvider } from './create-aws-lambda-provider.js';

function errorOf(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('createAwsLambdaProvider options', () => {
  it('is a registrable v1 provider named aws-lambda', async () => {
    const provider = createAwsLambdaProvider({ region: 'us-east-1' });
    expectRegistrable('provider', provider);
    expect(provider.name).toBe('aws-lambda');
    await provider.dispose();
  });

  it('passes region, endpoint and retry settings to the client it builds', async () => {
    const provider = createAwsLambdaProvider({
      region: 'eu-west-1',
      endpoint: 'http://127.0.0.1:9999',
      maxAttempts: 1,
      retryMode: 'adaptive',
    });
    expect(await provider.client.config.region()).toBe('eu-west-1');
    expect(await provider.client.config.maxAttempts()).toBe(1);
    const retryMode = provider.client.config.retryMode;
    expect(typeof retryMode === 'string' ? retryMode : await retryMode()).toBe('adaptive');
    const endpoint = await provider.client.config.endpoint?.();
    expect(endpoint?.hostname).toBe('127.0.0.1');
    await provider.dispose();
  });

  it('uses an injected client as is', async () => {
    const client = new LambdaClient({ region: 'ap-south-1' });
    const provider = createAwsLambdaProvider({ client });
    expect(provider.client).toBe(client);
    await provider.dispose();
    client.destroy();
  });

  it('rejects unknown options and out-of-range settings, naming them', () => {
    const unknown = errorOf(() => createAwsLambdaProvider({ regoin: 'x' } as never));
    expect(isMbsError(unknown, 'OPTION_INVALID')).toBe(true);
    expect((unknown as Error).message).toContain('unknown option "regoin"');
    expect(() => createAwsLambdaProvider({ maxAttempts: 0 })).toThrow(
      /maxAttempts must be an integer in \[1, 20\]; got 0/,
    );
    expect(() => createAwsLambdaProvider({ retryMode: 'eager' as never })).toThrow(
      /retryMode must be one of/,
    );
    expect(() => createAwsLambdaProvider({ endpoint: 'localhost:3000' })).toThrow(
      /endpoint must be an http\(s\) URL/,
    );
    expect(() => createAwsLambdaProvider({ deploymentPollMs: -1 })).toThrow(
      /deploymentPollMs must be a positive/,
    );
    expect(() => createAwsLambdaProvider({ maxSockets: 0 })).toThrow(
      /maxSockets must be an integer >= 1/,
    );
  });

  it('opens as many connections as Lambda runs invocations at once, not the SDK default of 50', async () => {
    const connections = async (options: { maxSockets?: number }) => {
      const provider = createAwsLambdaProvider({ region: 'us-east-1', ...options });
      const handler = provider.client.config.requestHandler as unknown as {
        configProvider: Promise<{
          httpsAgent: { maxSockets: number };
          httpAgentProvider: () => Promise<{ maxSockets: number }>;
        }>;
      };
      const config = await handler.configProvider;
      const http = await config.httpAgentProvider();
      await provider.dispose();
      expect(http.maxSockets).toBe(config.httpsAgent.maxSockets);
      return http.maxSockets;
    };
    expect(await connections({})).toBe(1000);
    expect(await connections({ maxSockets: 64 })).toBe(64);
  });
});
