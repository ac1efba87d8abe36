// Test-only: a real Redis per test (random key prefix) and what a store holds about a post or an
// image. Exported under the package's `./test-support` subpath for the development condition only.
export { keysMentioning, TEST_REDIS_URL, testRedis, type TestRedis } from './redis.js';
