import { LambdaClient } from '@aws-sdk/client-lambda';
import type { ConfigurationDocument } from '@mbs/core';
import { isMbsError } from '@mbs/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAwsLambdaProvider } from './create-aws-lambda-provider.js';
import { deploy } from './deploy.js';
import { formatDeploymentPlan } from './deployment-plan.js';
import {
  ECHO_SOURCE,
  startTestEmulator,
  TEST_CREDENTIALS,
  TEST_ROLE_ARN,
  zipOf,
} from './testing/emulator.js';

const buffer = (firstClass: number, lastClass: number, memoryMb: number) => ({
  firstClass,
  lastClass,
  firstClassShare: 1,
  lastClassShare: 1,
  batchSize: 4,
  timeoutSeconds: 0.2,
  memoryMb,
});

function configuration(memoryMb: number): ConfigurationDocument {
  return {
    schema: 'mbs.configuration',
    version: 1,
    classUpperEdges: [100, 200],
    windows: [
      {
        startSeconds: 0,
        endSeconds: 60,
        system: { buffers: [buffer(0, 0, 512), buffer(1, 1, memoryMb)] },
      },
    ],
  };
}

describe('deploy against the emulator', () => {
  let server: Awaited<ReturnType<typeof startTestEmulator>>;
  const zipFile = zipOf(ECHO_SOURCE);
  let connection: {
    endpoint: string;
    region: string;
    credentials: typeof TEST_CREDENTIALS;
    deploymentPollMs: number;
  };
  beforeAll(async () => {
    server = await startTestEmulator();
    connection = {
      endpoint: server.url,
      region: 'us-east-1',
      credentials: TEST_CREDENTIALS,
      deploymentPollMs: 20,
    };
  });
  afterAll(async () => {
    await server.close();
  });

  it('creates one function per buffer, then does nothing on a second run', async () => {
    const dry = await deploy(configuration(1024), {
      ...connection,
      prefix: 'idem',
      zipFile,
      roleArn: TEST_ROLE_ARN,
      dryRun: true,
    });
    expect(dry.applied).toBe(false);
    expect(dry.plan.counts).toEqual({ create: 2, update: 0, unchanged: 0 });
    expect(server.emulator.hasFunction('idem-b0')).toBe(false);

    const first = await deploy(configuration(1024), {
      ...connection,
      prefix: 'idem',
      zipFile,
      roleArn: TEST_ROLE_ARN,
    });
    expect(first.changedFunctions).toEqual(['idem-b0', 'idem-b1']);
    const second = await deploy(configuration(1024), {
      ...connection,
      prefix: 'idem',
      zipFile,
      roleArn: TEST_ROLE_ARN,
    });
    expect(second.applied).toBe(false);
    expect(second.plan.counts).toEqual({ create: 0, update: 0, unchanged: 2 });
    expect(formatDeploymentPlan(second.plan)).toContain(
      'Nothing to do: all 2 function(s) are up to date.',
    );

    const provider = createAwsLambdaProvider(connection);
    const { results, record } = await provider.invoke('idem-b1', {
      requests: [{ id: 'a', input: 7 }],
    });
    expect(results).toEqual([{ id: 'a', ok: true, output: 7 }]);
    expect(record.memorySizeMb).toBe(1024);
    await provider.dispose();
  });

  it('updates only the buffer whose memory changed, and a dry run changes nothing', async () => {
    await deploy(configuration(1024), {
      ...connection,
      prefix: 'change',
      zipFile,
      roleArn: TEST_ROLE_ARN,
    });
    const dry = await deploy(configuration(2048), {
      ...connection,
      prefix: 'change',
      zipFile,
      dryRun: true,
    });
    expect(dry.plan.functions.map((planned) => planned.action)).toEqual(['unchanged', 'update']);
    expect(dry.plan.functions[1]!.changes).toEqual(['memoryMb 1024 -> 2048']);
    const provider = createAwsLambdaProvider(connection);
    expect((await provider.readFunction('change-b1'))?.memoryMb).toBe(1024);

    const applied = await deploy(configuration(2048), { ...connection, prefix: 'change', zipFile });
    expect(applied.changedFunctions).toEqual(['change-b1']);
    expect(await provider.readFunction('change-b1')).toMatchObject({
      memoryMb: 2048,
      lastUpdateStatus: 'Successful',
    });
    await provider.dispose();
  });

  it('refuses a configuration with any buffer out of Lambda limits before its first SDK call', async () => {
    const client = new LambdaClient({
      endpoint: connection.endpoint,
      region: connection.region,
      credentials: connection.credentials,
    });
    let sdkCalls = 0;
    client.middlewareStack.add(
      (next) => async (args) => {
        sdkCalls += 1;
        return next(args);
      },
      { step: 'initialize', name: 'countCalls' },
    );
    // The first buffer is fine; the second's memory and a later window's batch size are not.
    const base = configuration(64);
    const bad: ConfigurationDocument = {
      ...base,
      windows: [
        base.windows[0]!,
        {
          startSeconds: 60,
          endSeconds: 120,
          system: { buffers: [{ ...buffer(0, 1, 1024), batchSize: 0 }] },
        },
      ],
    };
    for (const dryRun of [true, false]) {
      const refused = await deploy(bad, {
        client,
        prefix: 'limits',
        zipFile,
        roleArn: TEST_ROLE_ARN,
        dryRun,
        window: 0,
      }).catch((error: unknown) => error);
      expect(isMbsError(refused, 'CONFIG_INVALID')).toBe(true);
      const message = (refused as Error).message;
      expect(message).toContain('windows[0].system.buffers[1].memoryMb 64 must be a whole number');
      expect(message).toContain('windows[1].system.buffers[0].batchSize 0 must be an integer');
    }
    expect(sdkCalls).toBe(0);
    expect(server.emulator.hasFunction('limits-w0-b0')).toBe(false);
    // The same client does call when the configuration is good: the count is live.
    await deploy(configuration(1024), { client, prefix: 'limits', dryRun: true });
    expect(sdkCalls).toBeGreaterThan(0);
    client.destroy();
  });

  it('refuses to create without a role or zip, before changing anything', async () => {
    const noRole = await deploy(configuration(1024), {
      ...connection,
      prefix: 'norole',
      zipFile,
    }).catch((error: unknown) => error);
    expect(isMbsError(noRole, 'OPTION_INVALID')).toBe(true);
    expect((noRole as Error).message).toContain('execution role ARN');
    const noZip = await deploy(configuration(1024), {
      ...connection,
      prefix: 'nozip',
      roleArn: TEST_ROLE_ARN,
    }).catch((error: unknown) => error);
    expect((noZip as Error).message).toContain('needs a deployment zip');
    expect(
      server.emulator.hasFunction('norole-b0') || server.emulator.hasFunction('nozip-b0'),
    ).toBe(false);
    await expect(
      deploy(configuration(1024), { ...connection, prefix: 'x', bogus: 1 } as never),
    ).rejects.toThrow(/unknown option "bogus"/);
  });
});
