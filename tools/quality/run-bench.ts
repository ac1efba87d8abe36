/**
 * `npm run bench -- <folder> [--photos N]`: the yardstick for performance work. In one process it
 * runs (1) the embedded pipeline over N photos (cycling through the folder), all submitted at once
 * so stages overlap and the detector batches, and (2) a naive loop running the same models one
 * photo after another with no batching or overlap (normalize, colours, detect, classify, OCR). It
 * prints photos/min, p50/p95 latency per stage, peak RSS, and one final line:
 *   pipeline_photos_per_min=… naive_photos_per_min=… ratio=… peak_rss_mb=…
 * Figures are measurements of this run on this machine, nothing more. The pipeline run uses fresh
 * blobs but its result cache starts empty; the naive loop shares nothing with it.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { modelManagerFromConfig } from '@media-ai/detector-service';
import { createTextReader } from '@media-ai/ocr';
import { buildPostCreatedEvent, EmbeddedPipeline } from '@media-ai/pipeline';
import type { Runtime } from '@media-ai/runtime';
import type { StageEvent } from '@media-ai/stream';
import { decodeImage, dominantColors, loadDetectionModels, normalizePhoto } from '@media-ai/vision';
import { Latencies, rssSampler } from './measure.js';

const IMAGE = /\.(jpe?g|png|webp)$/i;

async function listPhotos(folder: string, count: number): Promise<string[]> {
  const names = (await readdir(folder)).filter((n) => IMAGE.test(n)).sort();
  if (names.length === 0) throw new Error(`No JPEG/PNG/WebP photos in ${folder}`);
  return Array.from({ length: count }, (_, i) => path.join(folder, names[i % names.length]!));
}

async function runPipeline(runtime: Runtime, files: readonly string[]) {
  const latencies = new Latencies();
  const onStageEvent = (event: StageEvent) => {
    // Per record: a stage's handling time (with batching, the batch call a record was part of).
    if (event.type === 'processed' && event.stage !== 'api-observer') latencies.add(event.stage, event.durationMs);
  };
  const pipeline = await EmbeddedPipeline.start({ ...runtime, onStageEvent });
  try {
    const rss = rssSampler();
    const started = performance.now();
    const posts = files.map((file) => buildPostCreatedEvent({ photoUrls: [pathToFileURL(file).href] }));
    const submittedAt = new Map<string, number>();
    for (const post of posts) {
      submittedAt.set(post.postId, performance.now());
      await pipeline.submit(post.event);
    }
    await Promise.all(
      posts.map(async ({ postId }) => {
        await pipeline.waitForEnrichment(postId).catch(() => undefined);
        latencies.add('end-to-end', performance.now() - submittedAt.get(postId)!);
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    return { photosPerMin: (files.length / seconds) * 60, latencies, peakRss: rss.stop() };
  } finally {
    await pipeline.stop();
  }
}

async function runNaive({ config }: Runtime, files: readonly string[]) {
  const models = modelManagerFromConfig(config);
  const { detector, classifier } = await loadDetectionModels({
    models,
    scoreThreshold: config.ai.detectorScoreThreshold,
    detectorModels: config.ai.detectorModels,
  });
  // The configured engine, one photo at a time: the naive loop has no overlap by definition.
  const reader = createTextReader({ engine: config.ai.ocr.engine, workers: 1 });
  await reader.start();
  const latencies = new Latencies();
  const timed = async <T>(stage: string, work: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    try {
      return await work();
    } finally {
      latencies.add(stage, performance.now() - t0);
    }
  };
  try {
    const rss = rssSampler();
    const started = performance.now();
    for (const file of files) {
      const t0 = performance.now();
      const bytes = await readFile(file);
      const normalized = await timed('normalize', () =>
        normalizePhoto(bytes, {
          maxSide: config.ai.maxImageSize,
          quality: config.ai.imageQuality,
          maxPixels: config.photos.maxImagePixels,
          allowedTypes: config.photos.allowedImageTypes,
          stripMetadata: true,
        }),
      );
      await timed('colours', () => dominantColors(normalized.jpeg));
      const decoded = await decodeImage(normalized.jpeg);
      if (detector) await timed('detect', () => detector.detect([decoded]));
      if (classifier) await timed('classify', () => classifier.classify([decoded]));
      await timed('ocr', () => reader.read(normalized.jpeg));
      latencies.add('end-to-end', performance.now() - t0);
    }
    const seconds = (performance.now() - started) / 1000;
    return { photosPerMin: (files.length / seconds) * 60, latencies, peakRss: rss.stop() };
  } finally {
    await reader.stop();
    await detector?.close();
    await classifier?.close();
  }
}

export async function runBench(runtime: Runtime, folder: string, count: number): Promise<void> {
  const files = await listPhotos(folder, count);
  process.stdout.write(`bench: ${files.length} photos from ${folder}\n`);
  const pipeline = await runPipeline(runtime, files);
  pipeline.latencies.print(
    `pipeline: ${pipeline.photosPerMin.toFixed(1)} photos/min, peak RSS ${(pipeline.peakRss / 2 ** 20).toFixed(0)} MB`,
  );
  const naive = await runNaive(runtime, files);
  naive.latencies.print(`naive loop: ${naive.photosPerMin.toFixed(1)} photos/min, peak RSS ${(naive.peakRss / 2 ** 20).toFixed(0)} MB`);
  const peak = Math.max(pipeline.peakRss, naive.peakRss) / 2 ** 20;
  process.stdout.write(
    `\npipeline_photos_per_min=${pipeline.photosPerMin.toFixed(1)} naive_photos_per_min=${naive.photosPerMin.toFixed(1)} ratio=${(pipeline.photosPerMin / naive.photosPerMin).toFixed(2)} peak_rss_mb=${peak.toFixed(0)}\n`,
  );
}
