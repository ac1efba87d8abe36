import { defineProject, mergeConfig } from 'vitest/config';
import base from '../../vitest.base.js';

export default mergeConfig(
  base,
  defineProject({
    test: {
      name: '@media-ai/llm-service',
      // The face tests load BlazeFace from @media-ai/vision's generated models/ (placed when missing).
      globalSetup: ['../../tools/test/models-global-setup.ts'],
    },
  }),
);
