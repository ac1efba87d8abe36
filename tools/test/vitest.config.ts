import { defineProject, mergeConfig } from 'vitest/config';
import base from '../../vitest.base.js';

// The test set-up's own tests (the system requirements table and its decisions).
export default mergeConfig(base, defineProject({ test: { name: '@media-ai/test-setup', include: ['*.test.ts'] } }));
