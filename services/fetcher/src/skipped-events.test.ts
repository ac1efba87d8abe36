import { Writable } from 'node:stream';
import { createLogger, createMetrics } from '@media-ai/telemetry';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { skippedEventReporter } from './skipped-events.js';

describe('skippedEventReporter', () => {
  it('counts every skip, logs the first of each type at info and the rest at debug', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const destination = new Writable({
      write: (chunk: Buffer, _e, done) => {
        for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    const metrics = createMetrics(new Registry(), { defaultMetrics: false });
    const report = skippedEventReporter(metrics, createLogger({ service: 'test', level: 'DEBUG', destination }));

    report('contact.exchange.requested', 'unhandled_type');
    report('contact.exchange.requested', 'unhandled_type');
    report('user.registered', 'unhandled_type');
    report('post.created', 'ai_processing_off');

    const metric = await metrics.registry.getSingleMetricAsString('media_ai_events_skipped_total');
    expect(metric).toContain('media_ai_events_skipped_total{reason="unhandled_type"} 3');
    expect(metric).toContain('media_ai_events_skipped_total{reason="ai_processing_off"} 1');
    expect(lines.map((l) => [l.level, l.event_type, l.reason])).toEqual([
      ['info', 'contact.exchange.requested', 'unhandled_type'],
      ['debug', 'contact.exchange.requested', 'unhandled_type'],
      ['info', 'user.registered', 'unhandled_type'],
      ['info', 'post.created', 'ai_processing_off'],
    ]);
  });
});
