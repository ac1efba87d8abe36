/**
 * The one way this service opens Redis: an ioredis client that bounds how long a command may wait
 * (the socket timeout per command, and a bounded number of reconnections while Redis is away),
 * keeps reconnecting in the background, and can say whether Redis answers (readiness). Must never
 * log or return the URL: it may hold a password.
 */
import { Redis } from 'ioredis';

export interface RedisClientOptions {
  /** redis:// or rediss:// (REDIS_URL). */
  url: string;
  /** REDIS_CONNECTION_TIMEOUT in ms. */
  connectTimeoutMs?: number;
  /** REDIS_SOCKET_TIMEOUT in ms: the longest a command may take before it fails. */
  commandTimeoutMs?: number;
  /** REDIS_SOCKET_KEEPALIVE. */
  keepAlive?: boolean;
  /** Shown in CLIENT LIST, to tell replicas' connections apart. */
  connectionName?: string;
  /**
   * Fail a command at the first lost connection (the result cache: a lookup that waits costs more
   * than the analysis it saves). Otherwise a command rides out a short outage or a failover
   * (about 20 reconnections, some 30 s) before it fails: the join state, where a failure makes the
   * runner retry and, in the end, give the input up.
   */
  failFast?: boolean;
}

export function createRedisClient(options: RedisClientOptions): Redis {
  return new Redis(options.url, {
    connectTimeout: options.connectTimeoutMs ?? 5_000,
    commandTimeout: options.commandTimeoutMs ?? 5_000,
    keepAlive: options.keepAlive === false ? 0 : 30_000,
    connectionName: options.connectionName ?? 'media-ai',
    maxRetriesPerRequest: options.failFast ? 1 : 20,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
}

/** Whether Redis answers a PING now; the reason (never the URL) when it does not. */
export async function redisReadiness(redis: Redis, timeoutMs = 1_000): Promise<{ ready: boolean; reason?: string }> {
  if (redis.status !== 'ready') return { ready: false, reason: `redis connection is ${redis.status}` };
  let timer: NodeJS.Timeout | undefined;
  try {
    const pong = await Promise.race([
      redis.ping(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer to PING within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return pong === 'PONG' ? { ready: true } : { ready: false, reason: `unexpected PING answer ${String(pong)}` };
  } catch (error) {
    return { ready: false, reason: `redis: ${error instanceof Error ? error.message : String(error)}` };
  } finally {
    clearTimeout(timer);
  }
}
