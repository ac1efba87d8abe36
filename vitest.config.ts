// The whole suite in one run: every lib and service is a vitest project.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      'libs/*',
      'services/*',
      'e2e',
      'e2e/vitest.browser.config.ts',
      'deploy-checks',
      'tools/tfjs-to-onnx',
      'tools/test',
      'tools/quality',
      'tools/lint',
      'tools/privacy-bench',
      'tools/load',
      'tools/colour-bench',
      'tools/match-bench',
    ],
    globalSetup: [
      // First: the system tools the selected projects need (redis-server, openssl, Go...), installed
      // with apt-get as root, else the run stops at once with one line per missing tool.
      'tools/test/system-requirements-setup.ts',
      // The https:// test servers' certificate, made before any worker reads NODE_EXTRA_CA_CERTS.
      'tools/test/test-tls-global-setup.ts',
      // Starts a scratch redis-server for the Redis-backed tests when none answers (see the file).
      'tools/test/redis-global-setup.ts',
      // Places NanoDet-g and BlazeFace in libs/vision/models when missing (generated at build, not committed).
      'tools/test/models-global-setup.ts',
    ],
  },
});
