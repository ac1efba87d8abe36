import { defineProject, mergeConfig } from 'vitest/config';
import base from '../../vitest.base.js';
// A config file is not a package consumer: it runs before the workspace's development condition
// applies, so it loads the test-support source directly.
import { testTlsForConfig } from '../../libs/storage/src/test-support/test-tls.js';

// Test workers trust the test origin's self-signed certificate (Node reads this only at start-up).
const tls = testTlsForConfig();

export default mergeConfig(
  base,
  defineProject({
    test: {
      name: '@media-ai/fetcher-service',
      env: { NODE_EXTRA_CA_CERTS: tls.certFile },
      // The face tests load BlazeFace from @media-ai/vision's generated models/ (placed when missing).
      globalSetup: ['../../tools/test/models-global-setup.ts'],
    },
  }),
);
