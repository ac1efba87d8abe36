/**
 * `media-ai serve`: the embedded pipeline behind the REST API on HOST:PORT, with health, readiness
 * (ready once every stage has started and its models are loaded), metrics and OpenAPI at /docs.
 * SIGINT/SIGTERM stop the HTTP server first (requests in flight finish), then the stages, then exit
 * 0; so does the exit of the process that started it (bin/media-ai.js forwards npx's SIGTERM the same way).
 * With SCAN_FOR_MALWARE (on by default for serve, see main.ts) start-up stops unless clamd answers,
 * and readiness follows it.
 *
 * buildServer() declares every route before the server boots (Fastify refuses routes and plugins
 * once it listens) and starts the stages only when asked, so the API can listen, and liveness
 * answer, while models load; API calls made meanwhile wait for the stages.
 */
import type { FastifyInstance } from 'fastify';
import { describeConfig } from '@media-ai/config';
import { HealthRegistry } from '@media-ai/http';
import { addMalwareScannerChecks, createServiceHttpServer, identifierKeyAtStartup, type Runtime } from '@media-ai/runtime';
import { registerApiRoutes } from '../api/routes.js';
import { EmbeddedPipeline } from '../embedded/embedded-pipeline.js';
import { loadDeskAssets } from '../review/desk-assets.js';
import { registerReviewRoutes, type ReviewBackend } from '../review/review-routes.js';
import { ReviewSessions } from '../review/review-sessions.js';

export interface EmbeddedServer {
  /** Every route declared; not listening (serve listens, tests inject). */
  app: FastifyInstance;
  health: HealthRegistry;
  /** Starts every stage, adds their health checks and marks the service ready. Once. */
  start(): Promise<EmbeddedPipeline>;
  /** Not ready, HTTP closed, then the stages stopped. Idempotent. */
  close(): Promise<void>;
}

export async function buildServer(runtime: Runtime): Promise<EmbeddedServer> {
  const { config } = runtime;
  const health = new HealthRegistry();
  const ready = health.readinessFlag('pipeline', 'stages and models are loading');
  const app = await createServiceHttpServer(runtime, {
    service: config.app.name,
    health,
    configDescription: describeConfig(config),
    bodyLimit: config.photos.maxImageBytes,
  });

  let resolveStarted!: (pipeline: EmbeddedPipeline) => void;
  let rejectStarted!: (error: unknown) => void;
  const started = new Promise<EmbeddedPipeline>((resolve, reject) => {
    resolveStarted = resolve;
    rejectStarted = reject;
  });
  // Requests waiting on a pipeline that failed to start get the failure; nobody else must crash on it.
  started.catch(() => undefined);

  await registerApiRoutes(app, {
    pipeline: started,
    maxImageBytes: config.photos.maxImageBytes,
    maxPhotos: config.photos.maxPhotosPerPost,
    analyzeTimeoutMs: config.pipeline.aggregatorDeadlineMs + 30_000,
  });
  // The review desk (/review): only with reviewer tokens (MEDIA_AI_REVIEW_TOKENS); stage services have none.
  const reviewSessions = new ReviewSessions({ tokens: config.review.tokens });
  const deskBackend: Promise<ReviewBackend> = started.then((p) => ({
    queue: p.reviews,
    blobs: p.blobs,
    publish: (decision) => p.publishReview(decision),
  }));
  // Like `started`: a failed start reaches the desk's requests, never the process (the desk may be off and never ask).
  deskBackend.catch(() => undefined);
  await registerReviewRoutes(app, {
    backend: deskBackend,
    sessions: reviewSessions,
    assets: loadDeskAssets,
    secureCookie: config.app.environment === 'production',
    ratePerMinute: config.review.ratePerMinute,
  });

  let starting: Promise<EmbeddedPipeline> | undefined;
  let pipeline: EmbeddedPipeline | undefined;
  let closing: Promise<void> | undefined;

  async function startStages(): Promise<EmbeddedPipeline> {
    try {
      pipeline = await EmbeddedPipeline.start(runtime);
    } catch (error) {
      rejectStarted(error);
      throw error;
    }
    const running = pipeline;
    for (const capability of running.capabilities) {
      health.addCheck({
        name: capability.stage,
        // An analysis stage that is off degrades enrichment; it does not make the service unusable.
        critical: false,
        check: async () =>
          capability.enabled
            ? {
                status: capability.reason ? 'degraded' : 'healthy',
                details: { versions: capability.versions, ...(capability.reason ? { reason: capability.reason } : {}) },
              }
            : { status: 'degraded', details: { enabled: false, reason: capability.reason } },
      });
    }
    health.addCheck({
      name: 'blob_store',
      critical: true,
      check: async () => ({ status: 'healthy', details: { location: running.blobs.describe() } }),
    });
    // SCAN_FOR_MALWARE: no photo passes while clamd does not answer, so the service leaves rotation.
    if (running.malwareScanner) addMalwareScannerChecks(health, running.malwareScanner);
    // The join state store: in production a Redis outage (or no Redis) takes the service out of
    // rotation instead of letting it join posts in memory that a restart would lose.
    health.addReadiness({ name: 'state_store', check: () => running.readiness() });
    health.addCheck({
      name: 'redis',
      critical: config.app.environment === 'production',
      check: async () => {
        const state = await running.readiness();
        return {
          status: state.ready ? 'healthy' : 'unhealthy',
          details: { store: running.stateStore, ...(state.reason ? { reason: state.reason } : {}) },
        };
      },
    });
    resolveStarted(running);
    ready.setReady();
    return running;
  }

  return {
    app,
    health,
    start: () => (starting ??= startStages()),
    close: () =>
      (closing ??= (async () => {
        ready.setNotReady('shutting down');
        await app.close();
        // A start still in flight finishes first, so its stages are stopped too.
        await starting?.catch(() => undefined);
        await pipeline?.stop();
      })()),
  };
}

export async function serve(runtime: Runtime): Promise<number> {
  const { config, logger } = runtime;
  // The fetcher and ocr stages hash identifiers: without a key outside development, nothing starts.
  identifierKeyAtStartup(config, logger);
  const server = await buildServer(runtime);
  // Listen first so liveness answers while models load; readiness says when to send work.
  await server.app.listen({ host: config.server.host, port: config.server.port });
  try {
    await server.start();
  } catch (error) {
    await server.close();
    throw error;
  }
  logger.info({ host: config.server.host, port: config.server.port }, 'media-ai serving (embedded pipeline)');
  if (!config.malwareScan.enabled) logger.warn('SCAN_FOR_MALWARE is off: uploaded and fetched photos are decoded without a malware scan');

  return new Promise<number>((resolve) => {
    let stopping = false;
    const shutdown = async (reason: string) => {
      if (stopping) return;
      stopping = true;
      clearInterval(parentWatch);
      logger.info({ signal: reason }, 'shutting down');
      await server.close();
      resolve(0);
    };
    // The process that started this one is gone (killed without passing a signal on): an orphaned
    // server would keep the port, so it stops as on SIGTERM. Its adopter has another id.
    const parent = process.ppid;
    const parentWatch = setInterval(() => {
      if (process.ppid !== parent) void shutdown('parent exited');
    }, 1_000);
    parentWatch.unref();
    process.once('SIGINT', () => void shutdown('SIGINT'));
    process.once('SIGTERM', () => void shutdown('SIGTERM'));
  });
}
