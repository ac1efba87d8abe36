import { configDefaults, defineProject, mergeConfig } from 'vitest/config';
import base from '../vitest.base.js';

// Several stage processes load models at once: give start-up and the crash test room, and run the
// files one after the other (each starts five stage processes).
export default mergeConfig(
  base,
  defineProject({
    test: {
      name: '@media-ai/e2e',
      testTimeout: 240_000,
      hookTimeout: 300_000,
      fileParallelism: false,
      // The browser suite is a project of its own (vitest.browser.config.ts, npm run test:browser).
      exclude: [...configDefaults.exclude, 'src/browser/**'],
    },
  }),
);
