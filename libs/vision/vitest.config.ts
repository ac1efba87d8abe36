import { defineProject, mergeConfig } from 'vitest/config';
import base from '../../vitest.base.js';

export default mergeConfig(
  base,
  defineProject({
    test: {
      name: '@media-ai/vision',
      // Builds models/nanodet-g-416.onnx when missing (generated, not committed).
      globalSetup: ['../../tools/test/models-global-setup.ts'],
    },
  }),
);
