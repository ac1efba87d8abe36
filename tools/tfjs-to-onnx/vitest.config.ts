import { defineProject, mergeConfig } from 'vitest/config';
import base from '../../vitest.base.js';

export default mergeConfig(
  base,
  defineProject({
    test: {
      name: '@media-ai/tfjs-to-onnx',
      include: ['*.test.ts'],
      // The TF.js reference run takes about 4-8 s per photo on 2 cores.
      testTimeout: 180_000,
    },
  }),
);
