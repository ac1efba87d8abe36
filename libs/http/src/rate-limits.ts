/**
 * Per-client request limits (the deployment guide's 100 a minute and 1,000 an hour) on every route
 * that is not public, counted by @fastify/rate-limit: in Redis when the service has one, so every
 * replica shares one count per client, else in this process. A client is its token name when it
 * presented a valid token, else its address. Over a limit: 429 MEDIA_AI_RATE_LIMITED with
 * Retry-After. A store that fails refuses the request (503 MEDIA_AI_STATE_UNAVAILABLE) rather than
 * letting it through uncounted.
 * Must never key a count by the token itself (it would land in Redis) and never count probes or
 * metrics.
 */
import rateLimit, { normalizeIP } from '@fastify/rate-limit';
import { MediaAiError } from '@media-ai/contracts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { isPublicRoute } from './api-access.js';

export interface RateLimitOptions {
  /** Requests per client per minute; 0: no minute limit. */
  perMinute: number;
  /** Requests per client per hour; 0: no hour limit. */
  perHour: number;
  /** Counts shared by every replica using this Redis; absent: counted in this process. */
  redis?: Redis;
  /** Prefix of the Redis keys (tests isolate themselves with it). Default `media-ai:rate-limit:`. */
  keyPrefix?: string;
}

const WINDOWS = [
  { name: 'minute', ms: 60_000, option: 'perMinute' },
  { name: 'hour', ms: 3_600_000, option: 'perHour' },
] as const;

/** The key a client is counted under. */
export function rateLimitClient(request: FastifyRequest): string {
  return request.apiClient ? `token:${request.apiClient.name}` : `address:${normalizeIP(request.ip)}`;
}

/** Registers the limits on every route of `app` declared afterwards (after registerApiAccess, which names the client). */
export async function registerRateLimits(app: FastifyInstance, options: RateLimitOptions): Promise<void> {
  // global: false: the plugin adds no hook of its own; the hook below runs both windows.
  await app.register(rateLimit, {
    global: false,
    skipOnError: false,
    nameSpace: options.keyPrefix ?? 'media-ai:rate-limit:',
    ...(options.redis ? { redis: options.redis } : {}),
  });
  const limiters = WINDOWS.filter((w) => options[w.option] > 0).map((w) => ({
    window: w.name,
    check: app.createRateLimit({
      max: options[w.option],
      timeWindow: w.ms,
      // The window is part of the key: both windows share one store.
      keyGenerator: (request) => `${w.name}:${rateLimitClient(request)}`,
    }),
  }));

  app.addHook('onRequest', async (request, reply) => {
    if (isPublicRoute(request)) return;
    for (const [index, limiter] of limiters.entries()) {
      let result: Awaited<ReturnType<typeof limiter.check>>;
      try {
        result = await limiter.check(request);
      } catch (error) {
        throw new MediaAiError('MEDIA_AI_STATE_UNAVAILABLE', 'The rate-limit store (Redis) failed', { cause: error });
      }
      if (result.isAllowed) continue;
      // The tightest window (the first) is what a well-behaved client paces itself by.
      if (index === 0 || result.isExceeded) {
        reply.header('x-ratelimit-limit', result.max);
        reply.header('x-ratelimit-remaining', result.remaining);
        reply.header('x-ratelimit-reset', result.ttlInSeconds);
      }
      if (result.isExceeded) {
        reply.header('retry-after', result.ttlInSeconds);
        throw new MediaAiError(
          'MEDIA_AI_RATE_LIMITED',
          `More than ${result.max} requests per ${limiter.window} from this client; retry in ${result.ttlInSeconds} s`,
          { details: { window: limiter.window, ...(request.apiClient ? { api_client: request.apiClient.name } : {}) } },
        );
      }
    }
  });
}
