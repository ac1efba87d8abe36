/**
 * The Fastify server every service shares: probe routes, Prometheus metrics, the error envelope
 * (for unknown routes and requests the HTTP parser refuses too), API tokens, per-client rate
 * limits, a depth-bounded JSON parser and OpenAPI docs. A service adds its own routes to the
 * returned instance; they get the token check and the rate limits, and appear in /docs.
 * Must never call listen(): the caller decides host and port (from config) and when to start.
 */
import { randomUUID } from 'node:crypto';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { Logger } from '@media-ai/telemetry';
import type { Registry } from 'prom-client';
import { registerApiAccess, type ApiToken } from './api-access.js';
import { handleClientError, handleError, handleNotFound } from './error-handler.js';
import type { HealthRegistry } from './health-registry.js';
import { registerHealthRoutes } from './health-routes.js';
import { registerJsonBodyParser } from './json-body.js';
import { registerRateLimits, type RateLimitOptions } from './rate-limits.js';

/** HTTP spelling of the correlation id records carry in their `correlation-id` header. */
export const CORRELATION_ID_HEADER = 'x-correlation-id';

export interface HttpServerOptions {
  service: string;
  version: string;
  /** Request logs go here; none when absent. */
  logger?: Logger;
  metrics: Registry;
  health: HealthRegistry;
  /** OpenAPI JSON at /docs/json and Swagger UI at /docs. Default true. */
  docs?: boolean;
  /** A redacted configuration view (describeConfig) shown on /health/detailed. */
  configDescription?: Record<string, unknown>;
  /** Largest request body in bytes. Default fastify's 1 MiB. */
  bodyLimit?: number;
  /** Who may call the routes that are not public; none or empty: everyone may (development). */
  apiTokens?: readonly ApiToken[];
  /** Per-client limits on the routes that are not public; absent: none. */
  rateLimit?: RateLimitOptions;
}

/**
 * Async because @fastify/swagger must be loaded before routes are declared, or it does not see them.
 */
export async function createHttpServer(options: HttpServerOptions): Promise<FastifyInstance> {
  const common = {
    // A caller's correlation id names the request in every log line, as records carry theirs.
    requestIdHeader: CORRELATION_ID_HEADER,
    // Through the log controller: the top-level requestIdLogLabel is deprecated in Fastify 5.
    logController: new LogController({ requestIdLogLabel: 'correlation_id' }),
    genReqId: () => randomUUID(),
    clientErrorHandler: handleClientError,
    ...(options.bodyLimit ? { bodyLimit: options.bodyLimit } : {}),
  };
  const app = (
    options.logger ? Fastify({ loggerInstance: options.logger, ...common }) : Fastify({ logger: false, ...common })
  ) as FastifyInstance;
  // Once close() has begun, an answer closes its connection: a keep-alive client would otherwise hold
  // close() (and the process's shutdown) for the whole keep-alive timeout after its last request.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (request, reply) => {
    reply.header(CORRELATION_ID_HEADER, request.id);
    if (closing) reply.header('connection', 'close');
  });
  app.setErrorHandler(handleError);
  app.setNotFoundHandler(handleNotFound);
  registerJsonBodyParser(app);
  // Before any route: hooks apply to the routes declared after them, /docs included.
  registerApiAccess(app, options.apiTokens ?? []);
  if (options.rateLimit) await registerRateLimits(app, options.rateLimit);

  if (options.docs ?? true) {
    await app.register(swagger, {
      openapi: {
        openapi: '3.0.3',
        info: { title: options.service, version: options.version, description: 'Photo enrichment for lost-and-found posts' },
        tags: [
          { name: 'health', description: 'Probes for load balancers and Kubernetes' },
          { name: 'operations', description: 'Metrics' },
        ],
      },
    });
    await app.register(swaggerUi, { routePrefix: '/docs' });
  }

  registerHealthRoutes(app, {
    service: options.service,
    version: options.version,
    health: options.health,
    ...(options.configDescription ? { configDescription: options.configDescription } : {}),
  });

  const registry = options.metrics;
  app.get(
    '/metrics',
    {
      logLevel: 'warn',
      // Scraped every few seconds; names and counts only.
      config: { public: true },
      schema: { tags: ['operations'], summary: 'Prometheus metrics (text exposition format)', produces: ['text/plain'] },
    },
    async (_request, reply) => {
      reply.type(registry.contentType);
      return registry.metrics();
    },
  );

  return app;
}
