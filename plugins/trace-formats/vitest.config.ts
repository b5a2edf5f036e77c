import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: '@mbs/trace-formats' } });
