import { defineProject, mergeConfig } from 'vitest/config';
import base from '../vitest.base.js';

// The first run compiles tools/helm-render with Go (a few seconds on a cold build cache).
export default mergeConfig(base, defineProject({ test: { name: '@media-ai/deploy-checks', testTimeout: 120_000, hookTimeout: 180_000 } }));
