import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: '@mbs/server', setupFiles: ['../../vitest.setup.ts'], testTimeout: 30_000 },
});
