import { defineConfig } from 'vitest/config';

// One vitest project per workspace plus the cross-package tests in test/, so `npm test` prints a
// single summary for the whole repository.
export default defineConfig({
  test: {
    projects: ['packages/*', 'plugins/*', 'apps/*', 'test'],
  },
});
