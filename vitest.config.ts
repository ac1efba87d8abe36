// The whole suite in one run: every lib and service is a vitest project.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['libs/*', 'services/*'],
  },
});
