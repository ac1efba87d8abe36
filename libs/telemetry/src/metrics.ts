/**
 * The Prometheus metrics of the service, under the guide's names (dashboards and the autoscaler
 * read them), built on a registry the caller owns so tests and embedded mode can hold several.
 * Must never use prom-client's global registry, and never take unbounded label values
 * (post ids, URLs): every label here is a stage, model, topic, code or status.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Seconds, for the latencies measured here (npm run bench, 10 photos, 2 shared CPU cores): the
 * aggregator's join 0-3 ms; one detector or classifier inference 22 ms p50 / 65 ms p95; a stage's
 * record 0.3 s (detector, fetcher) to 1.3 s p50 / 3.5 s p95 (OCR); vision-API calls seconds; the 30 s
 * and 60 s timeouts. Edges at 3 s and 5 s, the guide's per-photo target and bound, keep the p95 the
 * latency alert reads exact there instead of interpolated across a wide bucket.
 */
export const LATENCY_BUCKETS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4, 5, 7.5, 10, 20, 30, 60,
] as const;

/** Edges at the tier thresholds (0.3, 0.5, 0.7, 0.85) and the matcher's 0.8 cut-off. */
export const CONFIDENCE_BUCKETS = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 1] as const;

export const BATCH_SIZE_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512] as const;

/** USD per photo: a low-detail gpt-4o-mini photo is ~$0.0007, a high-detail gpt-4o one ~$0.006. */
export const COST_BUCKETS = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1] as const;

export interface MediaAiMetrics {
  readonly registry: Registry;
  /** Time a stage spends on one unit of work (photo, batch, post). */
  readonly aiProcessingDuration: Histogram<'stage'>;
  /** Confidence of every published tag or detection, by source (detector, ocr, llm, fused). */
  readonly confidenceScore: Histogram<'source'>;
  readonly kafkaConsumerLag: Gauge<'topic' | 'partition' | 'group'>;
  readonly modelInferenceDuration: Histogram<'model_name'>;
  /**
   * One per HTTP request to the vision-model API (retries included). status: `ok` (a usable answer),
   * `refused`, `invalid_answer` (paid for, but unusable), `rate_limited`, `timeout`, `error` (no
   * HTTP answer), `aborted` (the stage stopping), or the HTTP status code of any other error.
   */
  readonly openaiApiRequests: Counter<'status'>;
  /** Tokens the API reported (`usage`), direction `input` (prompt, image included) or `output`. */
  readonly openaiTokens: Counter<'model' | 'direction'>;
  /** USD, estimated from the reported tokens and the model's price. */
  readonly openaiEstimatedCost: Counter<'model'>;
  /** USD spent on one photo (every request it took); cache hits and skipped photos are not observed. */
  readonly openaiPhotoCost: Histogram<'model'>;
  /** Post revisions the llm stage handled: cost per post = openai_estimated_cost_usd_total / this. */
  readonly openaiPosts: Counter;
  /** Photos the llm stage published as failed without asking: reason `circuit_open` or `not_permitted`. */
  readonly openaiSkippedPhotos: Counter<'reason'>;
  /** 1 while the breaker is open or half-open (photos published without the llm), else 0. */
  readonly openaiCircuitOpen: Gauge;
  /** Time a request waited for the client-side rate limiter (requests and tokens per minute). */
  readonly openaiRateLimiterWait: Histogram;
  /** source: `gcs`, `https`, `file`, `blob`. */
  readonly gcsDownloadDuration: Histogram<'source'>;
  /** One per photo scanned by clamd before decoding, retries included; result `clean`, `infected` or `error`. */
  readonly malwareScanDuration: Histogram<'result'>;
  readonly cacheHits: Counter<'cache'>;
  readonly cacheMisses: Counter<'cache'>;
  /** Derived at scrape time from the two counters above. */
  readonly redisCacheHitRatio: Gauge<'cache'>;
  readonly recordsProcessed: Counter<'stage'>;
  readonly recordsFailed: Counter<'stage' | 'code'>;
  readonly recordsDeadLettered: Counter<'stage' | 'code'>;
  readonly batchSize: Histogram<'stage'>;
  readonly photoFailures: Counter<'code'>;
  /** Faces the fetcher found on stored photos: each is blurred in every image that leaves the process. */
  readonly facesDetected: Counter;
  /** posts.events records the fetcher skipped: reason `unhandled_type` or `ai_processing_off` (the producer's flag). */
  readonly eventsSkipped: Counter<'reason'>;
  /** Counts a result-cache lookup; feeds the hit counters and the ratio gauge. */
  recordCacheLookup(cache: string, hit: boolean): void;
}

export interface MetricsOptions {
  /** Node process metrics (CPU, memory, event loop lag, GC). Default true. */
  defaultMetrics?: boolean;
}

// Registering the same metric twice on one registry throws; two components that share a registry
// (the embedded pipeline) get the same set back instead.
const built = new WeakMap<Registry, MediaAiMetrics>();

export function createMetrics(registry: Registry = new Registry(), options: MetricsOptions = {}): MediaAiMetrics {
  const existing = built.get(registry);
  if (existing) return existing;
  const registers = [registry];

  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });

  const lookups = new Map<string, { hits: number; misses: number }>();

  const cacheHits = new Counter({
    name: 'redis_cache_hits_total',
    help: 'Result-cache lookups that found an entry',
    labelNames: ['cache'] as const,
    registers,
  });
  const cacheMisses = new Counter({
    name: 'redis_cache_misses_total',
    help: 'Result-cache lookups that found nothing',
    labelNames: ['cache'] as const,
    registers,
  });
  const redisCacheHitRatio = new Gauge({
    name: 'redis_cache_hit_ratio',
    help: 'Share of result-cache lookups that hit, since process start (use the counters for rates)',
    labelNames: ['cache'] as const,
    registers,
    collect() {
      for (const [cache, { hits, misses }] of lookups) this.set({ cache }, hits / (hits + misses));
    },
  });

  const metrics: MediaAiMetrics = {
    registry,
    aiProcessingDuration: new Histogram({
      name: 'ai_processing_duration_seconds',
      help: 'Time spent processing photos, by stage',
      labelNames: ['stage'] as const,
      buckets: [...LATENCY_BUCKETS],
      registers,
    }),
    confidenceScore: new Histogram({
      name: 'ai_confidence_score_distribution',
      help: 'Distribution of confidence scores of published results',
      labelNames: ['source'] as const,
      buckets: [...CONFIDENCE_BUCKETS],
      registers,
    }),
    kafkaConsumerLag: new Gauge({
      name: 'kafka_consumer_lag',
      help: 'Records between the committed offset and the end of the partition',
      labelNames: ['topic', 'partition', 'group'] as const,
      registers,
    }),
    modelInferenceDuration: new Histogram({
      name: 'model_inference_duration_seconds',
      help: 'Time for one inference call, by model',
      labelNames: ['model_name'] as const,
      buckets: [...LATENCY_BUCKETS],
      registers,
    }),
    openaiApiRequests: new Counter({
      name: 'openai_api_requests_total',
      help: 'Vision-model API requests, by outcome',
      labelNames: ['status'] as const,
      registers,
    }),
    openaiTokens: new Counter({
      name: 'openai_api_tokens_total',
      help: 'Tokens the vision-model API reported, by model and direction (input, output)',
      labelNames: ['model', 'direction'] as const,
      registers,
    }),
    openaiEstimatedCost: new Counter({
      name: 'openai_estimated_cost_usd_total',
      help: 'Estimated vision-model spend in USD, from reported tokens and the model price',
      labelNames: ['model'] as const,
      registers,
    }),
    openaiPhotoCost: new Histogram({
      name: 'openai_estimated_cost_per_photo_usd',
      help: 'Estimated USD spent describing one photo (every request it took)',
      labelNames: ['model'] as const,
      buckets: [...COST_BUCKETS],
      registers,
    }),
    openaiPosts: new Counter({
      name: 'openai_posts_total',
      help: 'Post revisions the llm stage handled (divide the spend by it for cost per post)',
      registers,
    }),
    openaiSkippedPhotos: new Counter({
      name: 'openai_skipped_photos_total',
      help: 'Photos published as failed without a vision-model call, by reason',
      labelNames: ['reason'] as const,
      registers,
    }),
    openaiCircuitOpen: new Gauge({
      name: 'openai_circuit_breaker_open',
      help: '1 while the vision-model circuit breaker is open or half-open',
      registers,
    }),
    openaiRateLimiterWait: new Histogram({
      name: 'openai_rate_limiter_wait_seconds',
      help: 'Time a vision-model request waited for the client-side rate limiter',
      buckets: [...LATENCY_BUCKETS],
      registers,
    }),
    gcsDownloadDuration: new Histogram({
      name: 'gcs_download_duration_seconds',
      help: 'Photo download time, by source',
      labelNames: ['source'] as const,
      buckets: [...LATENCY_BUCKETS],
      registers,
    }),
    malwareScanDuration: new Histogram({
      name: 'malware_scan_duration_seconds',
      help: 'Malware scan (clamd INSTREAM) of one original photo, by result',
      labelNames: ['result'] as const,
      buckets: [...LATENCY_BUCKETS],
      registers,
    }),
    cacheHits,
    cacheMisses,
    redisCacheHitRatio,
    recordsProcessed: new Counter({
      name: 'media_ai_records_processed_total',
      help: 'Records a stage processed successfully',
      labelNames: ['stage'] as const,
      registers,
    }),
    recordsFailed: new Counter({
      name: 'media_ai_records_failed_total',
      help: 'Record processing attempts that failed, by error code',
      labelNames: ['stage', 'code'] as const,
      registers,
    }),
    recordsDeadLettered: new Counter({
      name: 'media_ai_records_dead_lettered_total',
      help: 'Records sent to the dead-letter topic, by error code',
      labelNames: ['stage', 'code'] as const,
      registers,
    }),
    batchSize: new Histogram({
      name: 'media_ai_batch_size',
      help: 'Records handled per batch, by stage',
      labelNames: ['stage'] as const,
      buckets: [...BATCH_SIZE_BUCKETS],
      registers,
    }),
    photoFailures: new Counter({
      name: 'media_ai_photo_failures_total',
      help: 'Photos that could not be processed, by error code',
      labelNames: ['code'] as const,
      registers,
    }),
    facesDetected: new Counter({
      name: 'media_ai_faces_detected_total',
      help: 'Faces found on stored photos (blurred in every image that leaves the process)',
      registers,
    }),
    eventsSkipped: new Counter({
      name: 'media_ai_events_skipped_total',
      help: 'posts.events records the fetcher skipped, by reason (unhandled_type, ai_processing_off)',
      labelNames: ['reason'] as const,
      registers,
    }),
    recordCacheLookup(cache: string, hit: boolean) {
      const counts = lookups.get(cache) ?? { hits: 0, misses: 0 };
      if (hit) {
        counts.hits++;
        cacheHits.inc({ cache });
      } else {
        counts.misses++;
        cacheMisses.inc({ cache });
      }
      lookups.set(cache, counts);
    },
  };
  built.set(registry, metrics);
  return metrics;
}

/** Times an async call into a histogram, also when it throws. */
export async function timed<T, L extends string>(
  histogram: Histogram<L>,
  labels: Partial<Record<L, string | number>>,
  work: () => Promise<T>,
): Promise<T> {
  const end = histogram.startTimer(labels);
  try {
    return await work();
  } finally {
    end();
  }
}
