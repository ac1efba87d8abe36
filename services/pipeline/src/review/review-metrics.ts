/**
 * Gauges of what the review desk holds in memory, read at scrape time: the posts its queue keeps and
 * the decisions it remembers, both bounded. Registered on the runtime's registry, without labels.
 */
import type { MediaAiMetrics } from '@media-ai/telemetry';
import { Gauge } from 'prom-client';
import type { ReviewQueue } from './review-queue.js';

export function registerReviewQueueMetrics(metrics: MediaAiMetrics, queue: ReviewQueue): void {
  const registers = [metrics.registry];
  // A registry outlives a pipeline (tests start several on one): the latest pipeline's gauges answer.
  for (const name of ['media_ai_review_posts_held', 'media_ai_review_decisions_held']) metrics.registry.removeSingleMetric(name);
  new Gauge({
    name: 'media_ai_review_posts_held',
    help: 'Posts the review desk queue keeps in memory (bounded; least recent evicted)',
    registers,
    collect() {
      this.set(queue.postCount);
    },
  });
  new Gauge({
    name: 'media_ai_review_decisions_held',
    help: 'Review decisions the desk keeps in memory for the eval (bounded; oldest dropped)',
    registers,
    collect() {
      this.set(queue.decisionCount);
    },
  });
}
