/**
 * Where stages keep join state and cached results (both hosts, see stage-host.ts): Redis when REDIS_URL is set
 * (two connections: the join state rides out a short outage, the cache gives up at once), memory
 * otherwise. Cache lookups are counted for redis_cache_hit_ratio either way. It never falls back
 * from Redis to memory: readiness reports a Redis that does not answer.
 */
import type { AppConfig } from '@media-ai/config';
import {
  CountingResultCache,
  createRedisClient,
  MemoryJoinStore,
  MemoryResultCache,
  RedisJoinStore,
  RedisResultCache,
  resultCacheStageOf,
  type JoinStore,
  type ResultCache,
} from '@media-ai/state';
import type { Logger, MediaAiMetrics } from '@media-ai/telemetry';
import type { Redis } from 'ioredis';

/** A Redis outage fails every cache lookup: one warning per this interval is enough to see it. */
const CACHE_WARNING_INTERVAL_MS = 30_000;

/** Whether the service can do its work now, and why not (for /health/ready). */
export interface PipelineReadiness {
  ready: boolean;
  reason?: string;
}

/** The two Redis connections, by what each serves. */
export interface StateConnections {
  /** The join state's: rides out a short outage; readiness asks it. */
  state: Redis;
  /** The result cache's: gives up at once, so a lookup never waits on a Redis that is down. */
  cache: Redis;
}

export interface StateStores {
  joinStore: JoinStore;
  cache: ResultCache;
  /** Null without REDIS_URL: the stores are in memory. */
  connections: StateConnections | null;
}

/** Redis stores when REDIS_URL is set, memory stores otherwise; cache lookups counted either way. */
export function buildStateStores(config: AppConfig, logger: Logger, metrics: MediaAiMetrics): StateStores {
  const count = (inner: ResultCache) =>
    new CountingResultCache(inner, (hit, key) => metrics.recordCacheLookup(resultCacheStageOf(key), hit));
  const url = config.redis.url;
  if (!url) return { joinStore: new MemoryJoinStore(), cache: count(new MemoryResultCache()), connections: null };
  const connect = (failFast: boolean) => {
    const client = createRedisClient({
      url,
      connectTimeoutMs: config.redis.connectionTimeoutMs,
      commandTimeoutMs: config.redis.socketTimeoutMs,
      keepAlive: config.redis.socketKeepalive,
      connectionName: `${config.app.name}.${failFast ? 'cache' : 'state'}`,
      failFast,
    });
    // ioredis reports connection trouble as 'error' events; unhandled, they would crash the process.
    // The readiness check and the failing commands say what matters.
    client.on('error', () => undefined);
    return client;
  };
  // Two connections: the join state rides out a short outage, the cache gives up at once (see createRedisClient).
  const connections: StateConnections = { state: connect(false), cache: connect(true) };
  let lastWarning = 0;
  const cache = new RedisResultCache({
    redis: connections.cache,
    onError: (error, operation) => {
      const at = Date.now();
      if (at - lastWarning < CACHE_WARNING_INTERVAL_MS) return;
      lastWarning = at;
      logger.warn({ operation, error: error.message }, 'result cache unavailable: analysing without it');
    },
  });
  return { joinStore: new RedisJoinStore({ redis: connections.state }), cache: count(cache), connections };
}

/**
 * Closes the connections buildStateStores opened, after the stages stopped (their last writes must
 * reach Redis). A Redis that is down gets no goodbye: QUIT would wait for a connection that is not coming.
 */
export async function closeStateStores({ connections }: Pick<StateStores, 'connections'>): Promise<void> {
  if (!connections) return;
  for (const client of [connections.state, connections.cache]) {
    if (client.status === 'ready') await client.quit().catch(() => client.disconnect());
    else client.disconnect();
  }
}
