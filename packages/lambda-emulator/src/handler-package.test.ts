import { CreateFunctionCommand, InvokeCommand } from '@aws-sdk/client-lambda';
import { buildDeploymentPackage } from '@mbs/handler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmulatorServer, startEmulatorServer } from './server.js';
import { sdkClients } from './testing/sdk-clients.js';

const decoder = new TextDecoder();
const batch = {
  batchId: 'onnx-1',
  requests: [
    { id: 'long', input: { dims: [6], data: [5, 17, 42, 8, 999, 3] } },
    { id: 'short', input: { dims: [2], data: [7, 11] } },
  ],
};

type TensorResult = { id: string; ok: boolean; output: { dims: number[]; data: number[] } };

let server: EmulatorServer;
let clients: ReturnType<typeof sdkClients>;
let zip: Uint8Array;

beforeAll(async () => {
  ({ zip } = await buildDeploymentPackage({ model: 'default', compressionLevel: 1 }));
  server = await startEmulatorServer({ port: 0 });
  clients = sdkClients(server.url);
}, 60_000);
afterAll(async () => {
  clients?.lambda.destroy();
  await server?.close();
});

describe('the real deployment package of @mbs/handler', () => {
  it('deploys through CreateFunction and serves a padded batch through ONNX Runtime', async () => {
    await clients.lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'mbs-onnx',
        Role: 'arn:aws:iam::123456789012:role/lambda',
        Runtime: 'nodejs20.x',
        Handler: 'index.handler',
        MemorySize: 1769,
        Timeout: 30,
        Code: { ZipFile: zip },
      }),
    );
    const invoke = async (payload: unknown) => {
      const output = await clients.lambda.send(
        new InvokeCommand({
          FunctionName: 'mbs-onnx',
          Payload: JSON.stringify(payload),
          LogType: 'Tail',
        }),
      );
      return {
        output,
        body: JSON.parse(decoder.decode(output.Payload)) as { results: TensorResult[] },
        log: Buffer.from(output.LogResult ?? '', 'base64').toString('utf8'),
      };
    };
    const batched = await invoke(batch);
    expect(batched.output.FunctionError).toBeUndefined();
    expect(batched.body.results.map((result) => [result.id, result.ok])).toEqual([
      ['long', true],
      ['short', true],
    ]);
    expect(batched.body.results[0]!.output.dims).toEqual([16]);
    expect(batched.log).toMatch(
      /REPORT RequestId: \S+\tDuration: [\d.]+ ms\t.*\tInit Duration: [\d.]+ ms/,
    );
    // The short request's logits must not depend on the padding its batch gave it.
    const alone = await invoke({ requests: [batch.requests[1]] });
    expect(alone.log).not.toContain('Init Duration');
    const paddedLogits = batched.body.results[1]!.output.data;
    alone.body.results[0]!.output.data.forEach((value, index) => {
      expect(value).toBeCloseTo(paddedLogits[index]!, 4);
    });
  }, 60_000);
});
