import { defineProject, mergeConfig } from 'vitest/config';
import base from '../../vitest.base.js';

export default mergeConfig(
  base,
  defineProject({
    test: {
      name: '@media-ai/privacy-bench',
      include: ['*.test.ts'],
      // The slice reads 14 generated documents with the real OCR: 2-5 s each on 2 idle cores, and
      // up to 40 s each on a 2-core machine shared by several test runs.
      testTimeout: 900_000,
    },
  }),
);
