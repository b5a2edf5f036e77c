import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: '@mbs/lambda-emulator',
    setupFiles: ['../../vitest.setup.ts'],
    testTimeout: 30_000,
  },
});
