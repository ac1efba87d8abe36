// The whole suite in one run: every lib and service is a vitest project.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['libs/*', 'services/*', 'e2e', 'deploy-checks', 'tools/tfjs-to-onnx', 'tools/privacy-bench'],
    globalSetup: [
      // Starts a scratch redis-server for the Redis-backed tests when none answers (see the file).
      'tools/test/redis-global-setup.ts',
      // Builds libs/vision/models/nanodet-g-416.onnx when missing (generated at build, not committed).
      'tools/test/models-global-setup.ts',
    ],
  },
});
