/**
 * A real Redis for tests: MEDIA_AI_TEST_REDIS_URL (set by `npm test`'s global set-up, which starts a
 * scratch redis-server when none answers), else REDIS_URL, else redis://127.0.0.1:6379. A client per
 * test and a random key prefix, removed afterwards, so suites running at once never see each other's
 * keys. Test-only.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';

export const TEST_REDIS_URL = process.env['MEDIA_AI_TEST_REDIS_URL'] || process.env['REDIS_URL'] || 'redis://127.0.0.1:6379';

export interface TestRedis {
  redis: Redis;
  prefix: string;
  /** Another client on the same Redis (a second replica, a restarted process). */
  connect(): Redis;
  /** Deletes every key under the prefix and closes every client. */
  cleanup(): Promise<void>;
}

export function testRedis(): TestRedis {
  const prefix = `media-ai-test:${randomUUID()}:`;
  const clients: Redis[] = [];
  const connect = () => {
    const client = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
    clients.push(client);
    return client;
  };
  const redis = connect();
  return {
    redis,
    prefix,
    connect,
    async cleanup() {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
        if (keys.length > 0) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
      await Promise.all(clients.map((c) => c.quit().catch(() => c.disconnect())));
    },
  };
}
