/**
 * `media-ai serve`: the embedded pipeline behind the REST API on HOST:PORT, with health, readiness
 * (ready once every stage has started and its models are loaded), metrics and OpenAPI at /docs.
 * SIGINT/SIGTERM stop the HTTP server first, then the stages, then exit 0.
 */
import { describeConfig } from '@media-ai/config';
import { createHttpServer, HealthRegistry } from '@media-ai/http';
import { registerApiRoutes } from '../api/routes.js';
import { EmbeddedPipeline } from '../embedded/embedded-pipeline.js';
import type { Runtime } from '../runtime.js';

export async function serve(runtime: Runtime): Promise<number> {
  const { config, logger, metrics } = runtime;
  const health = new HealthRegistry();
  const ready = health.readinessFlag('pipeline', 'stages and models are loading');
  const app = await createHttpServer({
    service: config.app.name,
    version: config.app.version,
    logger,
    metrics: metrics.registry,
    health,
    configDescription: describeConfig(config),
    bodyLimit: config.photos.maxImageBytes,
  });

  // Listen first so liveness answers while models load; readiness says when to send work.
  await app.listen({ host: config.server.host, port: config.server.port });
  const pipeline = await EmbeddedPipeline.start(runtime);
  for (const capability of pipeline.capabilities) {
    health.addCheck({
      name: capability.stage,
      // An analysis stage that is off degrades enrichment; it does not make the service unusable.
      critical: false,
      check: async () =>
        capability.enabled
          ? { status: capability.reason ? 'degraded' : 'healthy', details: { versions: capability.versions, ...(capability.reason ? { reason: capability.reason } : {}) } }
          : { status: 'degraded', details: { enabled: false, reason: capability.reason } },
    });
  }
  health.addCheck({ name: 'blob_store', critical: true, check: async () => ({ status: 'healthy', details: { location: pipeline.blobs.describe() } }) });
  await registerApiRoutes(app, {
    pipeline,
    maxImageBytes: config.photos.maxImageBytes,
    analyzeTimeoutMs: config.pipeline.aggregatorDeadlineMs + 30_000,
  });
  ready.setReady();
  logger.info({ host: config.server.host, port: config.server.port }, 'media-ai serving (embedded pipeline)');

  return new Promise<number>((resolve) => {
    const shutdown = async (signal: string) => {
      logger.info({ signal }, 'shutting down');
      ready.setNotReady('shutting down');
      await app.close();
      await pipeline.stop();
      resolve(0);
    };
    process.once('SIGINT', () => void shutdown('SIGINT'));
    process.once('SIGTERM', () => void shutdown('SIGTERM'));
  });
}
