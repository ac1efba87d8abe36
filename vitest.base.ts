// Shared vitest settings: resolve workspace packages to their TypeScript sources (the
// "development" export condition) so tests never need a prior build.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['development', 'node', 'import', 'default'] },
  ssr: { resolve: { conditions: ['development', 'node', 'import', 'default'] } },
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
