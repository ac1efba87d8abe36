import { Writable } from 'node:stream';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { detections, fullDescription, manifest, texts } from '@media-ai/contracts/test-support';
import { DEFAULT_THRESHOLDS, fusePost } from '@media-ai/enrich';
import { createLogger, createMetrics } from '@media-ai/telemetry';
import type { StageEvent } from '@media-ai/stream';
import { stageLogHook } from './stage-logs.js';
import { stageMetricsHook } from './stage-metrics.js';

function collector() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(
        ...chunk
          .toString('utf8')
          .split('\n')
          .filter((l) => l.trim()),
      );
      done();
    },
  });
  return { lines, destination };
}

// A real post.enhanced, fused from parts that carry OCR text, a model description and an IMEI, for
// the sample manifest (its post has the location and photos the platform contract needs).
const enrichment = fusePost({
  manifest,
  detections: [detections],
  texts: [texts],
  descriptions: [fullDescription],
  thresholds: DEFAULT_THRESHOLDS,
  now: manifest.received_at + 3_420,
});

const published = (value: unknown): StageEvent => ({
  type: 'published',
  stage: 'aggregator',
  topic: 'media-ai.enrichment',
  key: manifest.post_id,
  value,
  headers: { 'correlation-id': 'abc-123', traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' },
  from: 'record',
});

describe('stageLogHook', () => {
  it('writes one guide-shaped line per published enrichment, with no content of the post', () => {
    const { lines, destination } = collector();
    const hook = stageLogHook(createLogger({ service: 'fn-media-ai', level: 'DEBUG', destination }), 'aggregator');
    hook(published(enrichment));
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(line).toMatchObject({
      level: 'info',
      service: 'fn-media-ai',
      message: 'AI processing completed',
      correlation_id: 'abc-123',
      post_id: manifest.post_id,
      duration_ms: enrichment.data.processing_time_ms,
      confidence_score: enrichment.data.ai_confidence,
      photo_count: 2,
    });
    expect(line.models_used).toEqual(expect.arrayContaining(Object.keys(enrichment.data.model_versions)));
    expect(line.timestamp).toMatch(/Z$/);
    // Whatever the post and its photos say stays out of the log.
    for (const content of [
      'APPLE',
      'Call',
      'silicone',
      'Lost black',
      '356938035643809',
      '9b2e4c71',
      'storage.googleapis.com',
      'cracked corner',
    ]) {
      expect(lines[0]).not.toContain(content);
    }
    expect(JSON.stringify(enrichment)).toContain('APPLE');
  });

  it('logs batches taken and finished records at debug and processing errors and dead letters as warnings', () => {
    const { lines, destination } = collector();
    const hook = stageLogHook(createLogger({ service: 's', level: 'DEBUG', destination }), 'ocr');
    hook({ type: 'batch-received', stage: 'ocr', topic: 'media-ai.photos', partition: 1, size: 2, firstOffset: '7' });
    hook({
      type: 'processed',
      stage: 'ocr',
      topic: 'media-ai.photos',
      partition: 1,
      offset: '7',
      key: 'post-1',
      correlationId: 'c-1',
      attempts: 1,
      outputs: 1,
      durationMs: 812.4,
    });
    hook({
      type: 'dead-lettered',
      stage: 'ocr',
      topic: 'media-ai.photos',
      partition: 1,
      offset: '8',
      code: 'MEDIA_AI_PHOTO_CORRUPT',
      attempts: 1,
    });
    hook(
      published({
        event_type: 'processing.error',
        data: { post_id: 'post-2', revision: 1, error_code: 'MEDIA_AI_NO_PHOTOS', failed_photos: [] },
      }),
    );
    hook(published({ photo_id: 'not an event' }));
    expect(lines.map((l) => JSON.parse(l) as Record<string, unknown>).map((l) => [l.level, l.message, l.post_id ?? null])).toEqual([
      ['debug', 'batch received', null],
      ['debug', 'record processed', 'post-1'],
      ['warning', 'record dead-lettered', null],
      ['warning', 'AI processing failed', 'post-2'],
    ]);
    expect(JSON.parse(lines[0]!)).toMatchObject({ topic: 'media-ai.photos', partition: 1, size: 2, first_offset: '7' });
    expect(JSON.parse(lines[1]!)).toMatchObject({ duration_ms: 812, correlation_id: 'c-1', offset: '7' });
  });
});

describe('stageMetricsHook', () => {
  it('fills the confidence distribution from published enrichments', async () => {
    const metrics = createMetrics(new Registry(), { defaultMetrics: false });
    stageMetricsHook(metrics, 'aggregator')(published(enrichment));
    const text = await metrics.registry.metrics();
    expect(text).toContain(`ai_confidence_score_distribution_count{source="post"} 1`);
    const perTag = [...text.matchAll(/ai_confidence_score_distribution_count\{source="([a-z_]+)"\} (\d+)/g)].filter(
      ([, source]) => source !== 'post',
    );
    expect(perTag.reduce((sum, [, , count]) => sum + Number(count), 0)).toBe(enrichment.data.tag_grades.length);
  });
});
