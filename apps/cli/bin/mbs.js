#!/usr/bin/env node
// The `mbs` command. This file is committed (not built) so that `npm ci` on a fresh clone links
// `npx mbs`: npm skips a bin whose file is missing, and dist/ only exists after the build.
try {
  await import('../dist/bin.js');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('dist/bin.js')) {
    throw error;
  }
  process.stderr.write(
    '[@mbs/cli] the mbs command is not built (apps/cli/dist/bin.js is missing): run `npm run build` first\n',
  );
  process.exitCode = 1;
}
