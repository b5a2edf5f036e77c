import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: '@mbs/provider-aws-lambda',
    setupFiles: ['../../vitest.setup.ts'],
    testTimeout: 30_000,
  },
});
