import {
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  paginateFilterLogEvents,
  paginateGetLogEvents,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  GetAccountSettingsCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  PutFunctionConcurrencyCommand,
  paginateListFunctions,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmulatorServer, startEmulatorServer } from './server.js';
import { caught, SIGV4_SHAPED_AUTHORIZATION, sdkClients } from './testing/sdk-clients.js';
import { brokenImportZip, testFunctionsZip } from './testing/test-functions.js';

const ROLE = 'arn:aws:iam::123456789012:role/lambda';
const zipFile = testFunctionsZip();
const encoder = new TextEncoder();
const decoder = new TextDecoder();

let server: EmulatorServer;
let clients: ReturnType<typeof sdkClients>;

beforeAll(async () => {
  server = await startEmulatorServer({ port: 0 });
  clients = sdkClients(server.url);
});
afterAll(async () => {
  clients?.lambda.destroy();
  clients?.logs.destroy();
  await server?.close();
});

function createFunction(name: string, handler: string, extra: Record<string, unknown> = {}) {
  return clients.lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Role: ROLE,
      Runtime: 'nodejs22.x',
      Handler: handler,
      Code: { ZipFile: zipFile },
      ...extra,
    }),
  );
}

async function invoke(name: string, payload: unknown, tail = false) {
  const output = await clients.lambda.send(
    new InvokeCommand({
      FunctionName: name,
      Payload: encoder.encode(JSON.stringify(payload)),
      ...(tail ? { LogType: 'Tail' as const } : {}),
    }),
  );
  return {
    ...output,
    body: output.Payload ? JSON.parse(decoder.decode(output.Payload)) : undefined,
    log: output.LogResult ? Buffer.from(output.LogResult, 'base64').toString('utf8') : '',
  };
}

describe('Lambda API through @aws-sdk/client-lambda', () => {
  const batch = {
    batchId: 'b1',
    requests: [
      { id: 'r1', input: [1, 2] },
      { id: 'r2', input: { x: 3 } },
    ],
  };
  const invocationIds: string[] = [];

  it('creates a function from a zip, sets its memory and invokes batches with a log tail', async () => {
    const created = await createFunction('echo', 'index.echo', { MemorySize: 256, Timeout: 5 });
    expect(created).toMatchObject({
      FunctionName: 'echo',
      FunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:echo',
      Handler: 'index.echo',
      MemorySize: 256,
      Timeout: 5,
      State: 'Active',
      Version: '$LATEST',
      PackageType: 'Zip',
    });
    expect(created.CodeSize).toBe(zipFile.byteLength);
    const updated = await clients.lambda.send(
      new UpdateFunctionConfigurationCommand({ FunctionName: 'echo', MemorySize: 1024 }),
    );
    expect(updated.MemorySize).toBe(1024);
    const read = await clients.lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: created.FunctionArn }),
    );
    expect(read.MemorySize).toBe(1024);

    const cold = await invoke('echo', batch, true);
    expect(cold.StatusCode).toBe(200);
    expect(cold.ExecutedVersion).toBe('$LATEST');
    expect(cold.FunctionError).toBeUndefined();
    expect(cold.body.results).toEqual([
      { id: 'r1', ok: true, output: [1, 2] },
      { id: 'r2', ok: true, output: { x: 3 } },
    ]);
    const requestId = cold.$metadata.requestId!;
    expect(requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(cold.log).toContain(`START RequestId: ${requestId} Version: $LATEST\n`);
    expect(cold.log).toMatch(
      new RegExp(`\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\t${requestId}\\tINFO\\tbatch of 2\\n`),
    );
    expect(cold.log).toContain(`END RequestId: ${requestId}\n`);
    expect(cold.log).toMatch(
      new RegExp(
        `REPORT RequestId: ${requestId}\\tDuration: \\d+\\.\\d\\d ms\\tBilled Duration: \\d+ ms\\tMemory Size: 1024 MB\\tMax Memory Used: \\d+ MB\\tInit Duration: \\d+\\.\\d\\d ms\\t\\n$`,
      ),
    );
    const warm = await invoke('echo', batch, true);
    expect(warm.log).toContain(`REPORT RequestId: ${warm.$metadata.requestId}\tDuration:`);
    expect(warm.log).not.toContain('Init Duration');
    const quiet = await invoke('echo', batch);
    expect(quiet.LogResult).toBeUndefined();
    invocationIds.push(requestId, warm.$metadata.requestId!, quiet.$metadata.requestId!);
  });

  it('finds the same invocations with FilterLogEvents, page by page', async () => {
    const found: string[] = [];
    for await (const page of paginateFilterLogEvents(
      { client: clients.logs, pageSize: 1 },
      {
        logGroupName: '/aws/lambda/echo',
        filterPattern: '"REPORT RequestId"',
        startTime: Date.now() - 60_000,
      },
    )) {
      expect(page.events!.length).toBeLessThanOrEqual(1);
      for (const event of page.events ?? []) {
        found.push(/REPORT RequestId: (\S+)/.exec(event.message!)![1]!);
        expect(event.logStreamName).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
        expect(typeof event.eventId).toBe('string');
      }
    }
    expect(found).toEqual(invocationIds);
  });

  it('reads one stream with GetLogEvents until the forward token repeats', async () => {
    const streams = await clients.logs.send(
      new DescribeLogStreamsCommand({
        logGroupName: '/aws/lambda/echo',
        orderBy: 'LastEventTime',
        descending: true,
      }),
    );
    expect(streams.logStreams).toHaveLength(1);
    const logStreamName = streams.logStreams![0]!.logStreamName!;
    const messages: string[] = [];
    for await (const page of paginateGetLogEvents(
      { client: clients.logs, pageSize: 3, stopOnSameToken: true },
      { logGroupName: '/aws/lambda/echo', logStreamName, startFromHead: true },
    )) {
      messages.push(...(page.events ?? []).map((event) => event.message!));
    }
    expect(messages[0]).toMatch(/\tundefined\tINFO\tmodule loaded\n$/);
    expect(messages.filter((message) => message.startsWith('START RequestId:'))).toHaveLength(3);
    expect(messages.filter((message) => message.startsWith('REPORT RequestId:'))).toHaveLength(3);
    const latest = await clients.logs.send(
      new GetLogEventsCommand({ logGroupName: '/aws/lambda/echo', logStreamName, limit: 1 }),
    );
    expect(latest.events![0]!.message).toMatch(/^REPORT RequestId: /);
  });

  it('refuses an unknown log group as CloudWatch Logs does', async () => {
    const error = await caught(
      clients.logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/none' })),
    );
    expect(error.name).toBe('ResourceNotFoundException');
    expect(error.message).toBe('The specified log group does not exist.');
  });

  it('returns function errors as 200 with X-Amz-Function-Error: Unhandled', async () => {
    await createFunction('fail', 'index.fail');
    const failed = await invoke('fail', batch);
    expect(failed.StatusCode).toBe(200);
    expect(failed.FunctionError).toBe('Unhandled');
    expect(failed.body).toMatchObject({ errorType: 'TypeError', errorMessage: 'boom' });
    expect(failed.body.trace[0]).toBe('TypeError: boom');
  });

  it('reports init failures and missing handlers as Lambda does', async () => {
    await clients.lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'broken',
        Role: ROLE,
        Runtime: 'nodejs20.x',
        Handler: 'index.handler',
        Code: { ZipFile: brokenImportZip() },
      }),
    );
    const broken = await invoke('broken', {}, true);
    expect(broken.FunctionError).toBe('Unhandled');
    expect(broken.body).toMatchObject({ errorType: 'Error', errorMessage: 'init boom' });
    expect(broken.log).toContain('Uncaught Exception');
    await createFunction('missing', 'index.nothing');
    const missing = await invoke('missing', {});
    expect(missing.body).toMatchObject({
      errorType: 'Runtime.HandlerNotFound',
      errorMessage: 'index.nothing is undefined or not exported',
    });
  });

  it('passes the Lambda context, environment and callback-style handlers through', async () => {
    await createFunction('context', 'index.context', {
      MemorySize: 512,
      Timeout: 7,
      Environment: { Variables: { CUSTOM: 'yes' } },
    });
    const output = await clients.lambda.send(
      new InvokeCommand({
        FunctionName: 'context',
        ClientContext: Buffer.from(JSON.stringify({ custom: { app: 'mbs' } })).toString('base64'),
      }),
    );
    const body = JSON.parse(decoder.decode(output.Payload));
    expect(body).toMatchObject({
      functionName: 'context',
      memoryLimitInMB: '512',
      memoryVariable: '512',
      // The cores the scaled Duration assumes (one by default), so the function uses no more.
      emulatorCores: '1',
      custom: 'yes',
      clientContext: { custom: { app: 'mbs' } },
    });
    expect(body.remainingMs).toBeGreaterThan(6000);
    expect(body.remainingMs).toBeLessThanOrEqual(7000);
    await createFunction('callback', 'index.callback');
    expect((await invoke('callback', {})).body).toEqual({ via: 'callback' });
  });

  it('answers Event with 202 and DryRun with 204, and runs the event', async () => {
    const event = await clients.lambda.send(
      new InvokeCommand({
        FunctionName: 'echo',
        InvocationType: 'Event',
        Payload: encoder.encode(JSON.stringify(batch)),
      }),
    );
    expect(event.StatusCode).toBe(202);
    const dryRun = await clients.lambda.send(
      new InvokeCommand({ FunctionName: 'echo', InvocationType: 'DryRun' }),
    );
    expect(dryRun.StatusCode).toBe(204);
    const requestId = event.$metadata.requestId!;
    for (let attempt = 0; attempt < 50; attempt++) {
      const page = await clients.logs.send(
        new FilterLogEventsCommand({
          logGroupName: '/aws/lambda/echo',
          filterPattern: `"REPORT RequestId: ${requestId}"`,
        }),
      );
      if (page.events!.length === 1) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`the event ${requestId} never ran`);
  });

  it('refuses what Lambda refuses, with typed SDK errors', async () => {
    const notFound = await caught(
      clients.lambda.send(new GetFunctionCommand({ FunctionName: 'nope' })),
    );
    expect(notFound.name).toBe('ResourceNotFoundException');
    expect(notFound.message).toBe(
      'Function not found: arn:aws:lambda:us-east-1:123456789012:function:nope',
    );
    expect((notFound.$metadata as { httpStatusCode: number }).httpStatusCode).toBe(404);
    const conflict = await caught(createFunction('echo', 'index.echo'));
    expect(conflict.name).toBe('ResourceConflictException');
    for (const bad of [
      { MemorySize: 64 },
      { MemorySize: 10_241 },
      { Timeout: 0 },
      { Timeout: 901 },
      { Runtime: 'nodejs18.x' },
      { Runtime: 'python3.12' },
    ]) {
      const invalid = await caught(createFunction('invalid', 'index.echo', bad));
      expect(invalid.name).toBe('InvalidParameterValueException');
    }
    const tooSmall = await caught(
      clients.lambda.send(
        new UpdateFunctionConfigurationCommand({ FunctionName: 'echo', MemorySize: 127 }),
      ),
    );
    expect(tooSmall.message).toContain("Value '127' at 'memorySize' failed to satisfy constraint");
    const qualified = await caught(
      clients.lambda.send(new InvokeCommand({ FunctionName: 'echo', Qualifier: '3' })),
    );
    expect(qualified.name).toBe('ResourceNotFoundException');
  });

  it('lists functions page by page with Marker / NextMarker', async () => {
    const names: string[] = [];
    let pages = 0;
    for await (const page of paginateListFunctions({ client: clients.lambda, pageSize: 2 }, {})) {
      pages++;
      names.push(...page.Functions!.map((configuration) => configuration.FunctionName!));
    }
    expect(names).toEqual([...names].sort());
    expect(names).toEqual(
      expect.arrayContaining(['broken', 'callback', 'context', 'echo', 'fail', 'missing']),
    );
    expect(pages).toBe(Math.ceil(names.length / 2));
  });

  it('keeps account settings and reservations consistent', async () => {
    await clients.lambda.send(
      new PutFunctionConcurrencyCommand({ FunctionName: 'fail', ReservedConcurrentExecutions: 10 }),
    );
    const settings = await clients.lambda.send(new GetAccountSettingsCommand({}));
    expect(settings.AccountLimit).toMatchObject({
      ConcurrentExecutions: 1000,
      UnreservedConcurrentExecutions: 990,
    });
    const tooMuch = await caught(
      clients.lambda.send(
        new PutFunctionConcurrencyCommand({
          FunctionName: 'echo',
          ReservedConcurrentExecutions: 901,
        }),
      ),
    );
    expect(tooMuch.name).toBe('InvalidParameterValueException');
    expect(tooMuch.message).toContain('below its minimum value of [100]');
    const described = await clients.lambda.send(new GetFunctionCommand({ FunctionName: 'fail' }));
    expect(described.Concurrency?.ReservedConcurrentExecutions).toBe(10);
  });

  it('serves the deployed zip at GetFunction Code.Location and deletes functions', async () => {
    const described = await clients.lambda.send(new GetFunctionCommand({ FunctionName: 'echo' }));
    const download = await fetch(described.Code!.Location!);
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(zipFile);
    await clients.lambda.send(new DeleteFunctionCommand({ FunctionName: 'missing' }));
    expect(
      (await caught(clients.lambda.send(new GetFunctionCommand({ FunctionName: 'missing' })))).name,
    ).toBe('ResourceNotFoundException');
  });

  it('refuses requests it does not understand with AWS-style errors', async () => {
    const unknownPath = await fetch(`${server.url}/2015-03-31/layers`, {
      headers: { authorization: SIGV4_SHAPED_AUTHORIZATION },
    });
    expect(unknownPath.status).toBe(404);
    expect(unknownPath.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
    const unknownTarget = await fetch(server.url, {
      method: 'POST',
      headers: {
        'x-amz-target': 'Logs_20140328.PutLogEvents',
        'content-type': 'application/x-amz-json-1.1',
        authorization: SIGV4_SHAPED_AUTHORIZATION,
      },
      body: '{}',
    });
    expect(unknownTarget.status).toBe(400);
    expect(((await unknownTarget.json()) as { __type: string }).__type).toBe(
      'UnknownOperationException',
    );
  });
});
