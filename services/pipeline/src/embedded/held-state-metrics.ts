/**
 * Gauges of what the embedded pipeline holds in memory for the API, read at scrape time: uploaded
 * photos not yet read (count and bytes) and the posts the enrichment observer keeps. They show a
 * long-running `media-ai serve` staying inside its bounds. Registered on the runtime's registry
 * (never prom-client's global one); labels none, so nothing unbounded enters the metrics.
 */
import type { MediaAiMetrics } from '@media-ai/telemetry';
import { Gauge } from 'prom-client';
import type { EnrichmentObserver } from './enrichment-observer.js';
import type { UploadedPhotos } from './uploaded-photos.js';

export function registerHeldStateMetrics(metrics: MediaAiMetrics, uploads: UploadedPhotos, observer: EnrichmentObserver): void {
  const registers = [metrics.registry];
  // A registry outlives a pipeline (tests start several on one): the latest pipeline's gauges answer.
  for (const name of ['media_ai_uploaded_photos_held', 'media_ai_uploaded_photo_bytes_held', 'media_ai_observed_posts_held']) {
    metrics.registry.removeSingleMetric(name);
  }
  new Gauge({
    name: 'media_ai_uploaded_photos_held',
    help: 'Photos uploaded to the API and not yet read by the fetcher nor released',
    registers,
    collect() {
      this.set(uploads.size);
    },
  });
  new Gauge({
    name: 'media_ai_uploaded_photo_bytes_held',
    help: 'Bytes of the uploaded photos held in memory',
    registers,
    collect() {
      this.set(uploads.bytes);
    },
  });
  new Gauge({
    name: 'media_ai_observed_posts_held',
    help: 'Posts whose enrichments and photos the embedded API keeps in memory (bounded; least recent evicted)',
    registers,
    collect() {
      this.set(observer.postCount);
    },
  });
}
