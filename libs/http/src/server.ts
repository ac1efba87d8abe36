/**
 * The Fastify server every service shares: probe routes, Prometheus metrics, the error envelope
 * and OpenAPI docs. A service adds its own routes to the returned instance; they appear in /docs.
 * Must never call listen(): the caller decides host and port (from config) and when to start.
 */
import { randomUUID } from 'node:crypto';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { Logger } from '@media-ai/telemetry';
import type { Registry } from 'prom-client';
import { handleError } from './error-handler.js';
import type { HealthRegistry } from './health-registry.js';
import { registerHealthRoutes } from './health-routes.js';

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
    ...(options.bodyLimit ? { bodyLimit: options.bodyLimit } : {}),
  };
  const app = (
    options.logger ? Fastify({ loggerInstance: options.logger, ...common }) : Fastify({ logger: false, ...common })
  ) as FastifyInstance;
  app.addHook('onSend', async (request, reply) => {
    reply.header(CORRELATION_ID_HEADER, request.id);
  });

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

  app.setErrorHandler(handleError);

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
      schema: { tags: ['operations'], summary: 'Prometheus metrics (text exposition format)', produces: ['text/plain'] },
    },
    async (_request, reply) => {
      reply.type(registry.contentType);
      return registry.metrics();
    },
  );

  return app;
}
