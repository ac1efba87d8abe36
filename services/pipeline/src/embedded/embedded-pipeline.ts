/**
 * Every stage in one process on the in-process transport: the embedded mode a newcomer runs first
 * and most tests use. The same stage code, codecs (Avro in the Confluent wire format, with an
 * in-process registry) and runner as production; only the transport differs. The stages run in
 * @media-ai/runtime's StageHost, as a stage service's do: blob store and state stores from
 * configuration, runner options, hooks, and the one shutdown order. It chooses the stages and their
 * start order, and says whether its state store is usable (readiness): in production a Redis that
 * does not answer, or no Redis at all, makes the service not ready; it never falls back to memory
 * on its own.
 */
import { randomUUID } from 'node:crypto';
import {
  InProcessSchemaRegistry,
  readPostEvent,
  registerSchemas,
  TOPICS,
  type Codecs,
  type PhotoRecord,
  type PostEvent,
  type ReviewDecisionRecord,
} from '@media-ai/contracts';
import type { AppConfig } from '@media-ai/config';
import { aggregatorFromConfig } from '@media-ai/aggregator-service';
import { fetcherFromConfig, loadFaceDetector, malwareScannerFromConfig, requireReachableScanner } from '@media-ai/fetcher-service';
import { StageHost, stageCodecs, type CapabilityStatus, type PipelineReadiness } from '@media-ai/runtime';
import { redisReadiness, type PostTombstone } from '@media-ai/state';
import type { PhotoScanner } from '@media-ai/clamav';
import type { BlobStore } from '@media-ai/storage';
import type { StageEvent } from '@media-ai/stream';
// Not '@media-ai/stream/transports': that loads kafkajs, which nothing in one process calls.
import { InProcessTransport } from '@media-ai/stream/in-process';
import type { Logger, MediaAiMetrics } from '@media-ai/telemetry';
import { registerReviewQueueMetrics } from '../review/review-metrics.js';
import { ReviewQueue } from '../review/review-queue.js';
import { buildAnalysisCapabilities } from './analysis-capabilities.js';
import { EnrichmentObserver, type EnrichmentEvent } from './enrichment-observer.js';
import { registerHeldStateMetrics } from './held-state-metrics.js';
import { UploadedPhotos } from './uploaded-photos.js';

export interface EmbeddedPipelineOptions {
  config: AppConfig;
  logger: Logger;
  metrics: MediaAiMetrics;
  /** Sees every runner event of every stage (benchmarks measure per-stage latency with it). */
  onStageEvent?: (event: StageEvent) => void;
}

export class EmbeddedPipeline {
  private constructor(
    readonly config: AppConfig,
    readonly capabilities: readonly CapabilityStatus[],
    /** Photos posted to the REST API, read by the fetcher as upload:// URLs. */
    readonly uploads: UploadedPhotos,
    private readonly transport: InProcessTransport,
    private readonly codecs: Codecs,
    private readonly observer: EnrichmentObserver,
    private readonly host: StageHost,
    /** The fetcher's clamd scanner when SCAN_FOR_MALWARE is on (serve adds it to readiness and health). */
    readonly malwareScanner: PhotoScanner | null,
    /** The review desk's queue and the decisions made at it. */
    readonly reviews: ReviewQueue,
  ) {}

  get blobs(): BlobStore {
    return this.host.blobs;
  }

  /** Where the join state and result cache live. */
  get stateStore(): 'redis' | 'memory' {
    return this.host.stores.connections ? 'redis' : 'memory';
  }

  /**
   * Readiness of the state store, for /health/ready: Redis must answer. In production there must be
   * a Redis at all: the memory store loses every open join on a restart and cannot be shared.
   */
  async readiness(): Promise<PipelineReadiness> {
    const connections = this.host.stores.connections;
    if (!connections) {
      return this.config.app.environment === 'production'
        ? { ready: false, reason: 'REDIS_URL is not set: production keeps join state in Redis, never in memory' }
        : { ready: true };
    }
    return redisReadiness(connections.state);
  }

  static async start(runtime: EmbeddedPipelineOptions): Promise<EmbeddedPipeline> {
    const { config, logger, metrics, onStageEvent } = runtime;
    // First, before models load: a person started this, and clamd missing is theirs to fix now.
    const scanner = malwareScannerFromConfig(config, metrics);
    if (scanner) await requireReachableScanner(config, scanner);

    const transport = new InProcessTransport({ partitions: config.kafka.partitions, retention: 'committed' });
    const host = StageHost.open(runtime, transport);
    try {
      const registry = new InProcessSchemaRegistry();
      const codecs = stageCodecs(config, { registry, schemaIds: await registerSchemas(registry) });

      const { blobs, stores } = host;
      const uploads = new UploadedPhotos();
      const analysis = await buildAnalysisCapabilities({ config, blobs, cache: stores.cache, metrics, logger });
      for (const capability of analysis.status) {
        // Off is a configuration state (no API key, no model source) that health/detailed reports;
        // running with a model missing is a degradation worth a warning.
        if (!capability.enabled) logger.info({ stage: capability.stage, reason: capability.reason }, `${capability.stage} is off`);
        else if (capability.reason)
          logger.warn({ stage: capability.stage, reason: capability.reason }, `${capability.stage} runs partially`);
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
        scanner,
      });
      const aggregator = aggregatorFromConfig(config, { store: stores.joinStore, blobs, cache: stores.cache });
      const observer = new EnrichmentObserver(config.kafka.postEnhancedTopic, { uploads, tombstoneTtlMs: config.pipeline.tombstoneTtlMs });
      registerHeldStateMetrics(metrics, uploads, observer);
      const reviews = new ReviewQueue({
        enrichmentTopic: config.kafka.postEnhancedTopic,
        isForgotten: (postId) => observer.tombstoneOf(postId) !== undefined,
      });
      registerReviewQueueMetrics(metrics, reviews);

      // Downstream first, so nothing is produced before its consumer exists.
      await host.run([observer.asStage(), reviews.asStage(), aggregator, ...analysis.stages, fetcher], { codecs, onStageEvent });
      const pipeline = new EmbeddedPipeline(config, analysis.status, uploads, transport, codecs, observer, host, scanner, reviews);
      logger.info(
        { stages: host.stageNames, blobs: blobs.describe(), partitions: config.kafka.partitions, state: pipeline.stateStore },
        'embedded pipeline started',
      );
      return pipeline;
    } catch (error) {
      await host.close();
      throw error;
    }
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

  /** Publishes a review desk decision on media-ai.reviews, keyed by its post (the aggregator's input). */
  async publishReview(decision: ReviewDecisionRecord): Promise<void> {
    const value = await this.codecs.forTopic(TOPICS.reviews).encode(decision);
    await this.transport.send([{ topic: TOPICS.reviews, key: decision.post_id, value, headers: { 'correlation-id': randomUUID() } }]);
  }

  enrichmentOf(postId: string): EnrichmentEvent | undefined {
    return this.observer.enrichmentOf(postId);
  }

  /** Set while a deleted or resolved post is remembered as such (its enrichment is forgotten). */
  tombstoneOf(postId: string): PostTombstone | undefined {
    return this.observer.tombstoneOf(postId);
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

  /** Idempotent: the stage host's shutdown order (stages newest first, transport, sweeper, state stores). */
  async stop(): Promise<void> {
    await this.host.close();
  }
}

function correlationIdOf(event: unknown): string {
  const value = (event as { correlation_id?: unknown } | null)?.correlation_id;
  return typeof value === 'string' && value.length > 0 ? value : randomUUID();
}
