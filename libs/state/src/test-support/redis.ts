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
  /**
   * The keys under `prefix` (`prefix` removed) whose name or content (string, hash fields and values,
   * set and sorted-set members) contains `needle`, sorted: what is left of a post or an image.
   */
  mentions(needle: string, prefix?: string): Promise<string[]>;
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
    mentions: (needle, under = prefix) => keysMentioning(redis, under, needle),
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

/** See TestRedis.mentions; also for suites whose stores use the product's own prefixes. */
export async function keysMentioning(redis: Redis, prefix: string, needle: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    for (const key of keys) {
      if (key.includes(needle) || (await contentOf(redis, key)).some((text) => text.includes(needle))) found.push(key.slice(prefix.length));
    }
  } while (cursor !== '0');
  return found.sort();
}

/** Every string a key holds; nothing for a key that expired meanwhile. */
async function contentOf(redis: Redis, key: string): Promise<string[]> {
  switch (await redis.type(key)) {
    case 'string':
      return [(await redis.get(key)) ?? ''];
    case 'hash':
      return Object.entries(await redis.hgetall(key)).flat();
    case 'set':
      return redis.smembers(key);
    case 'zset':
      return redis.zrange(key, '0', '-1');
    case 'list':
      return redis.lrange(key, '0', '-1');
    default:
      return [];
  }
}
