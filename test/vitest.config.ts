import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'integration',
    setupFiles: ['../vitest.setup.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
