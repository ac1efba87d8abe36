import { defineProject, mergeConfig } from 'vitest/config';
import base from '../../vitest.base.js';

export default mergeConfig(
  base,
  defineProject({
    test: {
      name: '@media-ai/detector-service',
      // The stage tests load NanoDet from @media-ai/vision's generated models/ (built when missing).
      globalSetup: ['../../tools/test/models-global-setup.ts'],
    },
  }),
);
