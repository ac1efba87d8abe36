/**
 * Every stage in one process on the in-process transport: the embedded mode a newcomer runs first
 * and most tests use. The same stage code, codecs (Avro in the Confluent wire format, with an
 * in-process registry) and runner as production; only the transport differs. The blob store
 * (blob-storage.ts) and the state stores (state-stores.ts) follow configuration. It owns start-up
 * order and shutdown order, and says whether its state store is usable (readiness): in production a
 * Redis that does not answer, or no Redis at all, makes the service not ready; it never falls back
 * to memory on its own.
 */
import { randomUUID } from 'node:crypto';
import {
  createCodecs,
  InProcessSchemaRegistry,
  readPostEvent,
  registerSchemas,
  TOPICS,
  type Codecs,
  type PhotoRecord,
  type PostEvent,
} from '@media-ai/contracts';
import type { AppConfig } from '@media-ai/config';
import { aggregatorFromConfig } from '@media-ai/aggregator-service';
import { fetcherFromConfig, loadFaceDetector } from '@media-ai/fetcher-service';
import {
  buildBlobStorage,
  buildStateStores,
  closeStateStores,
  combineStageHooks,
  stageLogHook,
  stageMetricsHook,
  type CapabilityStatus,
  type PipelineReadiness,
} from '@media-ai/runtime';
import { redisReadiness } from '@media-ai/state';
import type { Redis } from 'ioredis';
import type { BlobStore, BlobSweeper } from '@media-ai/storage';
import { runStage, type RunningStage, type Stage, type StageEvent } from '@media-ai/stream';
import { InProcessTransport } from '@media-ai/stream/transports';
import type { Logger, MediaAiMetrics } from '@media-ai/telemetry';
import { buildAnalysisCapabilities } from './analysis-capabilities.js';
import { EnrichmentObserver, type EnrichmentEvent } from './enrichment-observer.js';
import { UploadedPhotos } from './uploaded-photos.js';

export interface EmbeddedPipelineOptions {
  config: AppConfig;
  logger: Logger;
  metrics: MediaAiMetrics;
  /** Sees every runner event of every stage (benchmarks measure per-stage latency with it). */
  onStageEvent?: (event: StageEvent) => void;
}

export class EmbeddedPipeline {
  private stopped = false;

  private constructor(
    readonly config: AppConfig,
    readonly capabilities: readonly CapabilityStatus[],
    readonly blobs: BlobStore,
    /** Photos posted to the REST API, read by the fetcher as upload:// URLs. */
    readonly uploads: UploadedPhotos,
    private readonly transport: InProcessTransport,
    private readonly codecs: Codecs,
    private readonly running: readonly RunningStage[],
    private readonly observer: EnrichmentObserver,
    private readonly redis: readonly Redis[],
    private readonly sweeper: BlobSweeper | null,
  ) {}

  /** Where the join state and result cache live. */
  get stateStore(): 'redis' | 'memory' {
    return this.redis.length > 0 ? 'redis' : 'memory';
  }

  /**
   * Readiness of the state store, for /health/ready: Redis must answer. In production there must be
   * a Redis at all: the memory store loses every open join on a restart and cannot be shared.
   */
  async readiness(): Promise<PipelineReadiness> {
    const state = this.redis[0];
    if (!state) {
      return this.config.app.environment === 'production'
        ? { ready: false, reason: 'REDIS_URL is not set: production keeps join state in Redis, never in memory' }
        : { ready: true };
    }
    return redisReadiness(state);
  }

  static async start({ config, logger, metrics, onStageEvent }: EmbeddedPipelineOptions): Promise<EmbeddedPipeline> {
    const enrichmentTopic = config.kafka.postEnhancedTopic;
    const deadLetterTopic = config.pipeline.deadLetterTopic;

    const transport = new InProcessTransport({ partitions: config.kafka.partitions, retention: 'committed' });
    const registry = new InProcessSchemaRegistry();
    const schemaIds = await registerSchemas(registry);
    const codecs = createCodecs({ registry, schemaIds, enrichmentTopic, deadLetterTopic, postsEventsTopics: config.kafka.consumerTopics });

    const { blobs, sweeper } = buildBlobStorage(config, logger);
    const uploads = new UploadedPhotos();
    const { joinStore, cache, redis } = buildStateStores(config, logger, metrics);
    const analysis = await buildAnalysisCapabilities({
      config,
      blobs,
      cache,
      metrics,
      logger,
    }).catch((error: unknown) => {
      for (const client of redis) client.disconnect();
      void sweeper?.stop();
      throw error;
    });
    for (const capability of analysis.status) {
      // Off is a configuration state (no API key, no model source) that health/detailed reports;
      // running with a model missing is a degradation worth a warning.
      if (!capability.enabled) logger.info({ stage: capability.stage, reason: capability.reason }, `${capability.stage} is off`);
      else if (capability.reason) logger.warn({ stage: capability.stage, reason: capability.reason }, `${capability.stage} runs partially`);
    }

    const { faces, reason: noFaces } = await loadFaceDetector(config, metrics);
    if (noFaces) logger.warn({ reason: noFaces }, 'fetcher runs without face detection');
    const fetcher = fetcherFromConfig(config, {
      blobs,
      metrics,
      logger,
      expectedStages: analysis.status.filter((c) => c.enabled).map((c) => c.stage),
      wrapSources: (configured) => uploads.sourceBefore(configured),
      faces,
    });
    const aggregator = aggregatorFromConfig(config, joinStore);
    const observer = new EnrichmentObserver(enrichmentTopic);

    // Downstream first, so nothing is produced before its consumer exists; stopped in reverse.
    const stages: Stage[] = [observer.asStage(), aggregator, ...analysis.stages, fetcher];
    const running: RunningStage[] = [];
    try {
      for (const stage of stages) {
        running.push(
          await runStage(stage, {
            transport,
            codecs,
            groupId: `${config.kafka.consumerGroupId}.${stage.name}`,
            deadLetterTopic,
            maxBatchSize: stage.maxBatchSize ?? config.kafka.maxPollRecords,
            retry: { maxAttempts: 3, initialDelayMs: config.kafka.retryBackoffMs, maxDelayMs: 10_000 },
            logger: logger.child({ stage: stage.name }),
            onEvent: combineStageHooks(stageMetricsHook(metrics, stage.name), stageLogHook(logger, stage.name), onStageEvent),
          }),
        );
      }
    } catch (error) {
      for (const stage of running.reverse()) await stage.stop();
      await transport.close();
      for (const client of redis) client.disconnect();
      await sweeper?.stop();
      throw error;
    }
    logger.info(
      {
        stages: stages.map((s) => s.name),
        blobs: blobs.describe(),
        partitions: config.kafka.partitions,
        state: redis.length > 0 ? 'redis' : 'memory',
      },
      'embedded pipeline started',
    );
    return new EmbeddedPipeline(config, analysis.status, blobs, uploads, transport, codecs, running, observer, redis, sweeper);
  }

  /**
   * Publishes a posts.events record (any tolerated form), keyed by its post id.
   * @throws MEDIA_AI_UPLOAD_REFUSED when it names an upload:// photo not uploaded for its post.
   */
  async submit(event: unknown): Promise<void> {
    let read: PostEvent | null = null;
    try {
      read = readPostEvent(event);
    } catch {
      // An unreadable event still enters the stream: the fetcher dead-letters it with the reason.
    }
    // Only the request that uploaded a photo may name it (uploaded-photos.ts).
    if (read)
      this.uploads.assertHeldFor(
        read.postId,
        [...read.post.photos, ...(read.photo ? [read.photo] : [])].map((p) => p.url),
      );
    const key = read?.postId ?? null;
    const topic = this.config.kafka.consumerTopics[0] ?? TOPICS.postsEvents;
    const value = await this.codecs.forTopic(topic).encode(event);
    await this.transport.send([{ topic, key, value, headers: { 'correlation-id': correlationIdOf(event) } }]);
  }

  /**
   * Publishes a posts.events record as raw bytes, exactly as any producer could write it (nothing is
   * checked here: the fetcher's reader decides, and dead-letters what it cannot read).
   */
  async submitBytes(value: Buffer, key: string | null = null): Promise<void> {
    const topic = this.config.kafka.consumerTopics[0] ?? TOPICS.postsEvents;
    await this.transport.send([{ topic, key, value, headers: { 'correlation-id': randomUUID() } }]);
  }

  enrichmentOf(postId: string): EnrichmentEvent | undefined {
    return this.observer.enrichmentOf(postId);
  }

  /** Every enrichment published for the post so far, oldest first (a replay shows up twice). */
  enrichmentsOf(postId: string): EnrichmentEvent[] {
    return this.observer.enrichmentsOf(postId);
  }

  /** The post's latest enrichment once it has had `count` of them (default: the first). */
  waitForEnrichment(postId: string, timeoutMs = this.config.pipeline.aggregatorDeadlineMs + 30_000, count = 1): Promise<EnrichmentEvent> {
    return this.observer.waitFor(postId, timeoutMs, count);
  }

  photosOf(postId: string): PhotoRecord[] {
    return this.observer.photosOf(postId);
  }

  /** Records that no stage could process, as the dead-letter topic holds them. */
  deadLetters(): ReturnType<InProcessTransport['readAll']> {
    return this.transport.readAll(this.config.pipeline.deadLetterTopic);
  }

  /** Idempotent: stops the stages (newest first), then the transport. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const stage of [...this.running].reverse()) await stage.stop();
    await this.transport.close();
    await this.sweeper?.stop();
    // After the stages: the aggregator's last writes must reach Redis.
    await closeStateStores(this.redis);
  }
}

function correlationIdOf(event: unknown): string {
  const value = (event as { correlation_id?: unknown } | null)?.correlation_id;
  return typeof value === 'string' && value.length > 0 ? value : randomUUID();
}
