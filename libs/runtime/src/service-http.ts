/**
 * The HTTP server of a service process (`media-ai serve`, each stage service) as its configuration
 * asks for it: the API tokens of MEDIA_AI_API_TOKENS, and per-client rate limits counted in Redis
 * when REDIS_URL is set, so every replica shares one count per client (a connection of its own,
 * closed with the server). Without tokens the API is open, which one warning at start says.
 * Must never serve in production without tokens: it refuses to start instead.
 */
import { ConfigError } from '@media-ai/config';
import { createHttpServer, type HealthRegistry } from '@media-ai/http';
import { createRedisClient } from '@media-ai/state';
import type { FastifyInstance } from 'fastify';
import type { Runtime } from './process-runtime.js';

export interface ServiceHttpOptions {
  /** The service's name in health answers and /docs. */
  service: string;
  health: HealthRegistry;
  /** A redacted configuration view (describeConfig) for /health/detailed, shown to callers with a token. */
  configDescription?: Record<string, unknown>;
  /** Largest request body in bytes (uploads); default Fastify's 1 MiB. */
  bodyLimit?: number;
}

/** @throws ConfigError in production without MEDIA_AI_API_TOKENS. */
export async function createServiceHttpServer(runtime: Runtime, options: ServiceHttpOptions): Promise<FastifyInstance> {
  const { config, logger, metrics } = runtime;
  const tokens = config.server.apiTokens;
  if (tokens.length === 0) {
    if (config.app.environment === 'production') {
      throw new ConfigError([
        {
          variable: 'MEDIA_AI_API_TOKENS',
          problem:
            'expected name:token entries in production (e.g. platform:$(openssl rand -hex 32)): the API never serves without tokens there',
        },
      ]);
    }
    logger.warn(
      { environment: config.app.environment },
      'the API is open to every caller: MEDIA_AI_API_TOKENS is not set (production refuses to start without it)',
    );
  }
  const redis = config.redis.url
    ? createRedisClient({
        url: config.redis.url,
        connectTimeoutMs: config.redis.connectionTimeoutMs,
        commandTimeoutMs: config.redis.socketTimeoutMs,
        keepAlive: config.redis.socketKeepalive,
        connectionName: `${config.app.name}.rate-limit`,
        // A request waits for its count: better a quick 503 than a request hanging on an outage.
        failFast: true,
      })
    : undefined;
  // Connection trouble shows in the failing counts (503); unhandled 'error' events would crash the process.
  redis?.on('error', () => undefined);
  try {
    const app = await createHttpServer({
      service: options.service,
      version: config.app.version,
      logger,
      metrics: metrics.registry,
      health: options.health,
      ...(options.configDescription ? { configDescription: options.configDescription } : {}),
      ...(options.bodyLimit ? { bodyLimit: options.bodyLimit } : {}),
      apiTokens: tokens,
      rateLimit: { ...config.server.rateLimit, ...(redis ? { redis } : {}), keyPrefix: `${config.app.name}:rate-limit:` },
    });
    if (redis) {
      app.addHook('onClose', async () => {
        if (redis.status === 'ready') await redis.quit().catch(() => redis.disconnect());
        else redis.disconnect();
      });
    }
    return app;
  } catch (error) {
    redis?.disconnect();
    throw error;
  }
}
