import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBatchHandler, type TensorOutput } from './batch-handler.js';
import {
  buildDeploymentPackage,
  type DeploymentPackage,
  LAMBDA_UNZIPPED_LIMIT_BYTES,
} from './deployment-package.js';
import { DEFAULT_MODEL_DESCRIPTOR } from './model-descriptor.js';
import { buildDefaultModel } from './onnx/default-model.js';

// Invokes index.handler the way the Lambda runtime does: import the module, call the export.
const RUNNER = `
const [handlerSetting, eventText] = process.argv.slice(2);
const [moduleName, exportName] = handlerSetting.split('.');
const module = await import('./' + moduleName + '.mjs');
const outcomes = [];
for (const event of JSON.parse(eventText)) {
  try {
    outcomes.push({ response: await module[exportName](event, { awsRequestId: 'test' }) });
  } catch (error) {
    outcomes.push({ errorType: error.name, errorMessage: error.message });
  }
}
process.stdout.write(JSON.stringify(outcomes));
`;

let directory: string;
let built: DeploymentPackage;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'mbs-package-'));
  built = await buildDeploymentPackage({
    model: 'default',
    outFile: join(directory, 'mbs-lambda.zip'),
    compressionLevel: 1,
  });
  // Bundling and zipping ~47 MB takes a few seconds on a quiet machine, far more on a busy one.
}, 120_000);

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('buildDeploymentPackage', () => {
  it('writes a zip with the bundle, the model and only linux-x64 runtime binaries', async () => {
    expect(built.handler).toBe('index.handler');
    expect(built.runtime).toBe('nodejs22.x');
    expect(built.outFile).toBe(join(directory, 'mbs-lambda.zip'));
    expect((await readFile(built.outFile!)).length).toBe(built.zippedBytes);
    const paths = built.files.map((file) => file.path);
    expect(paths).toEqual(
      expect.arrayContaining(['index.mjs', 'model.onnx', 'model-descriptor.json']),
    );
    expect(paths).toContain(
      'node_modules/onnxruntime-node/bin/napi-v6/linux/x64/onnxruntime_binding.node',
    );
    expect(paths).toContain('node_modules/onnxruntime-common/dist/cjs/index.js');
    const binaries = paths.filter((path) => path.includes('/bin/'));
    expect(binaries.every((path) => path.includes('/bin/napi-v6/linux/x64/'))).toBe(true);
    expect(built.unzippedBytes).toBe(built.files.reduce((total, file) => total + file.bytes, 0));
    expect(built.unzippedBytes).toBeLessThan(LAMBDA_UNZIPPED_LIMIT_BYTES);
    expect(built.files.find((file) => file.path === 'model.onnx')!.bytes).toBe(
      buildDefaultModel().length,
    );
  });

  it('runs from the extracted files in a clean process, as index.handler', async () => {
    const extracted = join(directory, 'extracted');
    for (const [path, content] of Object.entries(unzipSync(built.zip))) {
      await mkdir(dirname(join(extracted, path)), { recursive: true });
      await writeFile(join(extracted, path), content);
    }
    await writeFile(join(extracted, 'runner.mjs'), RUNNER);
    const requests = [3, 40, 12].map((length, index) => ({
      id: `r${index}`,
      input: {
        dims: [length],
        data: Array.from({ length }, (_, i) => ((i * 31 + index) % 999) + 1),
      },
    }));
    const events = [{ batchId: 'b', requests }, { requests: [] }];
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['runner.mjs', built.handler, JSON.stringify(events)],
      // Only PATH: nothing from this repository's environment leaks into the instance.
      { cwd: extracted, env: { PATH: process.env.PATH ?? '' } },
    );
    const [served, refused] = JSON.parse(stdout) as [
      {
        response: {
          results: { id: string; ok: boolean; output: TensorOutput }[];
          timings: { batchSize: number };
        };
      },
      { errorType: string; errorMessage: string },
    ];
    expect(served.response.timings.batchSize).toBe(3);
    expect(refused).toEqual({
      errorType: 'EVENT_INVALID',
      errorMessage: expect.stringMatching(/event.requests: is empty/),
    });
    const local = createBatchHandler({
      model: buildDefaultModel(),
      descriptor: DEFAULT_MODEL_DESCRIPTOR,
    });
    const expected = await local.handle({ requests });
    served.response.results.forEach((result, index) => {
      const mine = expected.results[index] as { id: string; output: TensorOutput };
      expect(result.id).toBe(mine.id);
      (result.output.data as number[]).forEach((value, label) => {
        expect(value).toBeCloseTo((mine.output.data as number[])[label]!, 5);
      });
    });
    await local.dispose();
  });

  it('refuses bad options with the option named', async () => {
    await expect(buildDeploymentPackage({ model: '/models/x.onnx' })).rejects.toThrow(
      /model \/models\/x.onnx is a file, so descriptor is required/,
    );
    await expect(
      buildDeploymentPackage({ model: 'default', compressionLevel: 12 }),
    ).rejects.toThrow(/compressionLevel must be an integer from 0 to 9; got 12/);
    await expect(
      buildDeploymentPackage({ model: 'default', runtime: 'nodejs18.x' } as never),
    ).rejects.toThrow(
      /runtime must be one of nodejs20\.x, nodejs22\.x, nodejs24\.x; got nodejs18\.x/,
    );
    await expect(buildDeploymentPackage({ model: 'default', zip: true } as never)).rejects.toThrow(
      /unknown option\(s\) zip/,
    );
    await expect(
      buildDeploymentPackage({ model: join(directory, 'absent.onnx'), descriptor: 'default' }),
    ).rejects.toThrow(/absent.onnx: cannot be read/);
  });
});
