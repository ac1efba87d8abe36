import { defineProject, mergeConfig } from 'vitest/config';
import base from '../../vitest.base.js';
import { testTlsForConfig } from './src/test-support/test-tls.js';

// Test workers trust the test origin's self-signed certificate (Node reads this only at start-up).
const tls = testTlsForConfig();

export default mergeConfig(base, defineProject({ test: { name: '@media-ai/storage', env: { NODE_EXTRA_CA_CERTS: tls.certFile } } }));
