import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isMbsError } from '@mbs/core';
import { describe, expect, it } from 'vitest';
import { importHandlerPackage, importOptionalPackage } from './optional-package.js';

// A package name no registry holds, so the import fails the way a missing install does.
const MISSING = '@mbs/not-installed-anywhere';

describe('importOptionalPackage', () => {
  it('turns a missing package into PLUGIN_NOT_FOUND naming the command and the install', async () => {
    const specifier: string = MISSING;
    const failure = await importOptionalPackage(
      MISSING,
      'mbs package',
      () => import(specifier),
    ).catch((error: unknown) => error);
    expect(isMbsError(failure, 'PLUGIN_NOT_FOUND'), String(failure)).toBe(true);
    expect((failure as Error).message).toBe(
      `[@mbs/cli] mbs package needs ${MISSING}, which is not installed (it is an optional peer dependency of @mbs/cli); install it next to @mbs/cli: npm install ${MISSING}`,
    );
    expect((failure as Error).cause).toMatchObject({ code: 'ERR_MODULE_NOT_FOUND' });
  });

  it('rethrows a missing dependency of the package itself unchanged', async () => {
    // A module that exists but imports a package that does not: not the optional package missing.
    const directory = await mkdtemp(join(tmpdir(), 'mbs-cli-optional-'));
    try {
      const broken = join(directory, 'broken.mjs');
      await writeFile(broken, `import '${MISSING}';\n`);
      const url = pathToFileURL(broken).href;
      const failure = await importOptionalPackage(
        '@mbs/handler',
        'mbs package',
        () => import(/* @vite-ignore */ url),
      ).catch((error: unknown) => error);
      expect(isMbsError(failure)).toBe(false);
      expect((failure as Error).message).toContain(MISSING);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('returns the module when it is installed', async () => {
    const handler = await importHandlerPackage('mbs package');
    expect(typeof handler.buildDeploymentPackage).toBe('function');
  });
});
