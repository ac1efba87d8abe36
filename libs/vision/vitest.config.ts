import { defineProject, mergeConfig } from 'vitest/config';
import base from '../../vitest.base.js';

export default mergeConfig(
  base,
  defineProject({
    test: {
      name: '@media-ai/vision',
      // Places NanoDet-g and BlazeFace in models/ when missing (generated, not committed).
      globalSetup: ['../../tools/test/models-global-setup.ts'],
    },
  }),
);
