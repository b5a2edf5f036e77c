import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: '@mbs/cli', testTimeout: 30_000 } });
