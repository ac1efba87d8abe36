import { defineProject, mergeConfig } from 'vitest/config';
import base from '../../vitest.base.js';

// The load tools' pure parts (the ramp plan, fresh photos); the load runs themselves are scripts.
export default mergeConfig(base, defineProject({ test: { name: '@media-ai/load-tools', include: ['*.test.ts'] } }));
