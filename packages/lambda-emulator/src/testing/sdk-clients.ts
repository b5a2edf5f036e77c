import { Agent } from 'node:http';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { LambdaClient } from '@aws-sdk/client-lambda';

const credentials = { accessKeyId: 'AKIDEMULATOR', secretAccessKey: 'emulator-secret' };

/**
 * An `Authorization` header shaped as SigV4 writes it, for raw HTTP requests in tests (the
 * emulator checks the shape, not the signature).
 */
export const SIGV4_SHAPED_AUTHORIZATION = `AWS4-HMAC-SHA256 Credential=AKIDEMULATOR/20260101/us-east-1/lambda/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`;

/**
 * Real AWS SDK clients pointed at an emulator server (tests and benchmarks only; the emulator
 * itself does not depend on the SDK). One attempt per call, so refusals surface at once;
 * `maxSockets` bounds the concurrent HTTP requests.
 */
export function sdkClients(
  endpoint: string,
  { maxSockets = 50 }: { readonly maxSockets?: number } = {},
): { lambda: LambdaClient; logs: CloudWatchLogsClient } {
  const common = {
    endpoint,
    region: 'us-east-1',
    credentials,
    maxAttempts: 1,
    // The SDK's default agent opens 50 sockets; bursts in tests need more to be concurrent.
    requestHandler: { httpAgent: new Agent({ keepAlive: true, maxSockets }) },
  };
  return { lambda: new LambdaClient(common), logs: new CloudWatchLogsClient(common) };
}

/**
 * The error a call rejects with, typed loosely so tests can read the SDK's fields (`$metadata`,
 * `$fault`...); fails the test when the call succeeds (tests only).
 */
export async function caught(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected the call to fail');
}
