import { defineProject, mergeConfig } from 'vitest/config';
import base from '../../vitest.base.js';

export default mergeConfig(
  base,
  defineProject({
    test: {
      name: '@media-ai/lint',
      include: ['*.test.ts'],
      // Computing the project graph and linting with it take tens of seconds on a loaded 2-core machine.
      testTimeout: 180_000,
      hookTimeout: 300_000,
    },
  }),
);
