// The whole suite in one run: every lib and service is a vitest project.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['libs/*', 'services/*', 'e2e', 'deploy-checks'],
    // Starts a scratch redis-server for the Redis-backed tests when none answers (see the file).
    globalSetup: ['tools/test/redis-global-setup.ts'],
  },
});
