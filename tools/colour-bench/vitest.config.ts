import { defineProject, mergeConfig } from 'vitest/config';
import base from '../../vitest.base.js';

export default mergeConfig(base, defineProject({ test: { name: '@media-ai/colour-bench', include: ['*.test.ts'], testTimeout: 300_000 } }));
