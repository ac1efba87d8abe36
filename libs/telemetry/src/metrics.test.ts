import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createMetrics, LATENCY_BUCKETS, timed } from './index.js';
import { GUIDE_METRICS } from './test-support/guide-metrics.js';

describe('createMetrics', () => {
  it('registers the guide metric names and the pipeline counters on the given registry', async () => {
    const registry = new Registry();
    createMetrics(registry, { defaultMetrics: false });
    const names = (await registry.getMetricsAsJSON()).map((m) => m.name);
    expect(names).toEqual(
      expect.arrayContaining([
        ...GUIDE_METRICS,
        'redis_cache_hits_total',
        'redis_cache_misses_total',
        'media_ai_records_processed_total',
        'media_ai_records_failed_total',
        'media_ai_records_dead_lettered_total',
        'media_ai_batch_size',
        'media_ai_photo_failures_total',
        'media_ai_faces_detected_total',
        'malware_scan_duration_seconds',
      ]),
    );
    expect(names.some((n) => n.startsWith('process_') || n.startsWith('nodejs_'))).toBe(false);
  });

  it('adds Node process metrics by default', async () => {
    const registry = new Registry();
    createMetrics(registry);
    const text = await registry.metrics();
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toContain('nodejs_eventloop_lag_seconds');
  });

  it('keeps registries apart and returns the same set for a shared registry', () => {
    const a = createMetrics(new Registry(), { defaultMetrics: false });
    const b = createMetrics(new Registry(), { defaultMetrics: false });
    expect(a).not.toBe(b);
    const shared = new Registry();
    expect(createMetrics(shared, { defaultMetrics: false })).toBe(createMetrics(shared, { defaultMetrics: false }));
  });

  it('resolves latencies from 1 ms to 60 s, with edges at the guide target (3 s) and bound (5 s)', async () => {
    const metrics = createMetrics(new Registry(), { defaultMetrics: false });
    expect(LATENCY_BUCKETS[0]).toBe(0.001);
    expect(LATENCY_BUCKETS.at(-1)).toBe(60);
    expect(LATENCY_BUCKETS).toEqual(expect.arrayContaining([3, 5]));
    metrics.modelInferenceDuration.observe({ model_name: 'yolox-nano' }, 0.022);
    const text = await metrics.registry.metrics();
    expect(text).toContain('model_inference_duration_seconds_bucket{le="0.01",model_name="yolox-nano"} 0');
    expect(text).toContain('model_inference_duration_seconds_bucket{le="0.025",model_name="yolox-nano"} 1');
  });

  it('derives the cache hit ratio from the hit and miss counters at scrape time', async () => {
    const metrics = createMetrics(new Registry(), { defaultMetrics: false });
    metrics.recordCacheLookup('detections', true);
    metrics.recordCacheLookup('detections', true);
    metrics.recordCacheLookup('detections', true);
    metrics.recordCacheLookup('detections', false);
    metrics.recordCacheLookup('texts', false);
    const text = await metrics.registry.metrics();
    expect(text).toContain('redis_cache_hit_ratio{cache="detections"} 0.75');
    expect(text).toContain('redis_cache_hit_ratio{cache="texts"} 0');
    expect(text).toContain('redis_cache_hits_total{cache="detections"} 3');
    expect(text).toContain('redis_cache_misses_total{cache="detections"} 1');
  });

  it('labels failures by stage and code', async () => {
    const metrics = createMetrics(new Registry(), { defaultMetrics: false });
    metrics.recordsFailed.inc({ stage: 'fetcher', code: 'MEDIA_AI_PHOTO_NOT_FOUND' });
    metrics.kafkaConsumerLag.set({ topic: 'media-ai.photos', partition: '3', group: 'detector' }, 12);
    const text = await metrics.registry.metrics();
    expect(text).toContain('media_ai_records_failed_total{stage="fetcher",code="MEDIA_AI_PHOTO_NOT_FOUND"} 1');
    expect(text).toContain('kafka_consumer_lag{topic="media-ai.photos",partition="3",group="detector"} 12');
  });

  it('times work into a histogram even when it throws', async () => {
    const metrics = createMetrics(new Registry(), { defaultMetrics: false });
    await expect(timed(metrics.aiProcessingDuration, { stage: 'ocr' }, () => Promise.reject(new Error('x')))).rejects.toThrow('x');
    expect(await timed(metrics.aiProcessingDuration, { stage: 'ocr' }, async () => 7)).toBe(7);
    const text = await metrics.registry.metrics();
    expect(text).toContain('ai_processing_duration_seconds_count{stage="ocr"} 2');
  });
});
