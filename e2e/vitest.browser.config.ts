import { defineProject } from 'vitest/config';
import base from '../vitest.base.js';

// The review desk in Debian's Chromium (npm run test:browser): one `media-ai serve` and one browser.
// Not mergeConfig: it would append base's include (every e2e suite) to this one.
export default defineProject({
  ...base,
  test: {
    ...base.test,
    name: '@media-ai/browser',
    include: ['src/browser/**/*.test.ts'],
    testTimeout: 240_000,
    hookTimeout: 300_000,
  },
});
