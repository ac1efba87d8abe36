/**
 * The result cache and join state store (REDIS_*). No REDIS_URL means the in-memory stores of the
 * embedded mode. Must never echo the URL's password in a message.
 */
import { z } from 'zod';
import { boolean, integer, url } from './env-fields.js';

export interface RedisSettings {
  /** Absent: use the in-memory cache and join state. */
  url?: string;
  maxConnections: number;
  connectionTimeoutMs: number;
  socketTimeoutMs: number;
  socketKeepalive: boolean;
  healthCheckIntervalMs: number;
  /** Redis expiries are in seconds (EX), so these stay in seconds. */
  ttlSeconds: { aiResults: number; modelCache: number; photoMetadata: number };
}

const WEEK_S = 7 * 24 * 3600;

export const redisSchema = z
  .object({
    REDIS_URL: url(['redis:', 'rediss:'], { secret: true }),
    REDIS_MAX_CONNECTIONS: integer(1, 10_000),
    // Seconds, as in the guide.
    REDIS_CONNECTION_TIMEOUT: integer(1, 300),
    REDIS_SOCKET_TIMEOUT: integer(1, 300),
    REDIS_SOCKET_KEEPALIVE: boolean(),
    REDIS_HEALTH_CHECK_INTERVAL: integer(1, 3600),
    REDIS_AI_RESULTS_TTL: integer(1, WEEK_S * 4),
    REDIS_MODEL_CACHE_TTL: integer(1, WEEK_S * 4),
    REDIS_PHOTO_METADATA_TTL: integer(1, WEEK_S * 4),
  })
  .transform((env): RedisSettings => ({
    ...(env.REDIS_URL !== undefined ? { url: env.REDIS_URL.toString() } : {}),
    maxConnections: env.REDIS_MAX_CONNECTIONS ?? 20,
    connectionTimeoutMs: (env.REDIS_CONNECTION_TIMEOUT ?? 5) * 1000,
    socketTimeoutMs: (env.REDIS_SOCKET_TIMEOUT ?? 5) * 1000,
    socketKeepalive: env.REDIS_SOCKET_KEEPALIVE ?? true,
    healthCheckIntervalMs: (env.REDIS_HEALTH_CHECK_INTERVAL ?? 30) * 1000,
    ttlSeconds: {
      aiResults: env.REDIS_AI_RESULTS_TTL ?? 3600,
      modelCache: env.REDIS_MODEL_CACHE_TTL ?? 86_400,
      photoMetadata: env.REDIS_PHOTO_METADATA_TTL ?? 1800,
    },
  }));
