/**
 * `npm run bench -- <folder> [--photos N] [--repeat] [--single K] [--baseline]`: the yardstick for performance
 * work, built so that it cannot flatter. In one process it runs
 *   (1) the embedded pipeline over N distinct photos, all submitted at once (stages overlap, the
 *       detector batches), measuring photos/min, the process's CPU time (every thread), peak RSS and
 *       how long the main thread was held at a time (event-loop delay: synchronous inference there
 *       stalls every other stage);
 *   (2) a naive loop running the same models one photo after another, no batching, no overlap
 *       (normalize, colours, decode, detect, classify, OCR), with CPU ms per photo for each step;
 *   (2b) with --baseline, the naive loop again with the settings of a575b58 (BASELINE below), so
 *       one run prints today's figure next to the levers';
 *   (3) unless --single 0, single-photo latency: a fresh pipeline, warmed on one photo, then K
 *       other photos one at a time (end to end, models warm).
 * Photos are distinct by default: N defaults to the folder's size and a larger N is refused unless
 * --repeat is given; the result cache starts empty in every arm, its hits are counted and printed
 * (only --repeat can produce any; the naive loop has none). From the CPU time it prints the
 * CPU-bound limit of this machine, cores x 60,000 / cpu_ms_per_photo, and the share of it the
 * pipeline reached (utilisation), and the load average at start and end so a reader can judge the
 * wall-clock figures of a shared machine. The final line:
 *   pipeline_photos_per_min=… naive_photos_per_min=… ratio=… cpu_ms_per_photo=… limit_photos_per_min=… utilisation=… peak_rss_mb=… naive_cpu_ms_per_photo=… single_p95_ms=… cache_hits=…
 * cpu_ms_per_photo is the pipeline's (all its stages, faces included); naive_cpu_ms_per_photo the
 * loop's. Figures are measurements of this run on this machine, nothing more.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { normalizeOptionsOf } from '@media-ai/fetcher-service';
import { modelManagerFromConfig } from '@media-ai/detector-service';
import { createTextReader, type PaddleTextReaderOptions } from '@media-ai/ocr';
import { buildPostCreatedEvent, EmbeddedPipeline } from '@media-ai/pipeline';
import type { Runtime } from '@media-ai/runtime';
import type { StageEvent } from '@media-ai/stream';
import { decodeImage, dominantColors, loadDetectionModels, normalizePhoto, type InferenceOptions } from '@media-ai/vision';
import { cores, CpuSteps, loadAverage, processCpuMs, procStatCpuMs, threadCount } from './cpu.js';
import { Latencies, mebibytes, percentile, rssSampler } from './measure.js';

const IMAGE = /\.(jpe?g|png|webp)$/i;

export interface BenchOptions {
  /** Photos per arm; default every photo of the folder once. */
  photos?: number;
  /** Allow more photos than the folder holds (cycling through it); cache hits then become possible. */
  repeat?: boolean;
  /** Photos timed one at a time after a warm-up photo (default 10; 0 skips the single-photo arm). */
  single?: number;
  /** Also run the naive loop with the settings of a575b58 (before issue 16's levers): today's figure. */
  baseline?: boolean;
}

/** What the naive loop may be told about its models' settings (the levers of issue 16). */
export interface NaiveSettings {
  inference: Pick<InferenceOptions, 'allowSpinning'>;
  ocr: Pick<PaddleTextReaderOptions, 'session'>;
}

/** The levers as the code defaults them: the naive loop as defined today, run with today's code. */
export const CURRENT: NaiveSettings = { inference: {}, ocr: {} };

/**
 * The settings of a575b58, before issue 16's levers (--baseline): spinning threads, and the OCR
 * models opened as the package ships them (no graph fold). NanoDet's pool-padding fold has no
 * setting; it saves ~6 ms CPU a run (fold-pool-padding.ts), so the baseline is that much cheaper
 * than a575b58 was.
 */
export const BASELINE: NaiveSettings = {
  inference: { allowSpinning: true },
  ocr: { session: { allowSpinning: true, foldGraphs: false } },
};

/** The photos of one arm: distinct unless `repeat`. Throws with a clear message otherwise. */
export async function listPhotos(folder: string, count: number | undefined, repeat: boolean): Promise<string[]> {
  const names = (await readdir(folder)).filter((n) => IMAGE.test(n)).sort();
  if (names.length === 0) throw new Error(`No JPEG/PNG/WebP photos in ${folder}`);
  const n = count ?? names.length;
  if (n > names.length && !repeat) {
    throw new Error(
      `--photos ${n} is more than the ${names.length} photos of ${folder}: repeated photos measure the result cache, not the pipeline. Pass --repeat to allow it (cache hits are then printed).`,
    );
  }
  return Array.from({ length: n }, (_, i) => path.join(folder, names[i % names.length]!));
}

interface CpuWindow {
  stop(): { cpuMs: number; procStatMs: number | null; maxThreads: number };
}

/** CPU time of the process from now to stop(), with the most threads seen meanwhile. */
function cpuWindow(): CpuWindow {
  const cpu0 = processCpuMs();
  const stat0 = procStatCpuMs();
  let maxThreads = threadCount() ?? 0;
  const timer = setInterval(() => (maxThreads = Math.max(maxThreads, threadCount() ?? 0)), 250);
  return {
    stop: () => {
      clearInterval(timer);
      const stat1 = procStatCpuMs();
      return { cpuMs: processCpuMs() - cpu0, procStatMs: stat0 === null || stat1 === null ? null : stat1 - stat0, maxThreads };
    },
  };
}

async function cacheHits(runtime: Runtime): Promise<number> {
  const metric = await runtime.metrics.cacheHits.get();
  return metric.values.reduce((s, v) => s + v.value, 0);
}

interface ArmResult {
  photosPerMin: number;
  latencies: Latencies;
  peakRss: number;
  cpuMs: number;
  procStatMs: number | null;
  maxThreads: number;
}

/** How long the main thread was held at a time (synchronous inference blocks every other stage meanwhile). */
interface EventLoopBlocks {
  p99Ms: number;
  maxMs: number;
}

async function runPipeline(
  runtime: Runtime,
  files: readonly string[],
): Promise<ArmResult & { cacheHits: number; blocks: EventLoopBlocks }> {
  const latencies = new Latencies();
  const onStageEvent = (event: StageEvent) => {
    // Per record: a stage's handling time (with batching, the batch call a record was part of).
    if (event.type === 'processed' && event.stage !== 'api-observer') latencies.add(event.stage, event.durationMs);
  };
  const pipeline = await EmbeddedPipeline.start({ ...runtime, onStageEvent });
  try {
    const hitsBefore = await cacheHits(runtime);
    const rss = rssSampler();
    const cpu = cpuWindow();
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
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
    const used = cpu.stop();
    loop.disable();
    return {
      photosPerMin: (files.length / seconds) * 60,
      latencies,
      peakRss: rss.stop(),
      ...used,
      cacheHits: (await cacheHits(runtime)) - hitsBefore,
      blocks: { p99Ms: loop.percentile(99) / 1e6, maxMs: loop.max / 1e6 },
    };
  } finally {
    await pipeline.stop();
  }
}

/** The naive loop; `onStart` is told when the models are loaded and the first photo is next. */
export async function runNaive(
  { config }: Runtime,
  files: readonly string[],
  settings: NaiveSettings,
  onStart?: () => void,
): Promise<ArmResult & { steps: CpuSteps }> {
  const models = modelManagerFromConfig(config);
  const { detector, classifier } = await loadDetectionModels({
    ...settings.inference,
    models,
    scoreThreshold: config.ai.detectorScoreThreshold,
    detectorModels: config.ai.detectorModels,
  });
  // The configured engine, one photo at a time: the naive loop has no overlap by definition.
  const reader = createTextReader({ engine: config.ai.ocr.engine, workers: 1, paddle: settings.ocr, hybrid: settings.ocr });
  await reader.start();
  const latencies = new Latencies();
  const steps = new CpuSteps();
  const timed = <T>(stage: string, work: () => Promise<T>): Promise<T> =>
    steps.time(stage, async () => {
      const t0 = performance.now();
      try {
        return await work();
      } finally {
        latencies.add(stage, performance.now() - t0);
      }
    });
  try {
    onStart?.();
    const rss = rssSampler();
    const cpu = cpuWindow();
    const started = performance.now();
    for (const file of files) {
      const t0 = performance.now();
      const bytes = await timed('read', () => readFile(file));
      const normalized = await timed('normalize', () => normalizePhoto(bytes, normalizeOptionsOf(config)));
      await timed('colours', () => dominantColors(normalized.jpeg));
      const decoded = await timed('decode', () => decodeImage(normalized.jpeg));
      if (detector) await timed('detect', () => detector.detect([decoded]));
      if (classifier) await timed('classify', () => classifier.classify([decoded]));
      await timed('ocr', () => reader.read(normalized.jpeg));
      latencies.add('end-to-end', performance.now() - t0);
    }
    const seconds = (performance.now() - started) / 1000;
    const used = cpu.stop();
    return { photosPerMin: (files.length / seconds) * 60, latencies, peakRss: rss.stop(), ...used, steps };
  } finally {
    await reader.stop();
    await detector?.close();
    await classifier?.close();
  }
}

/** A fresh pipeline, warmed on the first photo, then each of the next `count` photos alone. */
async function runSingles(runtime: Runtime, files: readonly string[], count: number): Promise<{ latencies: number[] }> {
  const pipeline = await EmbeddedPipeline.start(runtime);
  try {
    const one = async (file: string): Promise<number> => {
      const { postId, event } = buildPostCreatedEvent({ photoUrls: [pathToFileURL(file).href] });
      const t0 = performance.now();
      await pipeline.submit(event);
      await pipeline.waitForEnrichment(postId).catch(() => undefined);
      return performance.now() - t0;
    };
    await one(files[0]!);
    const latencies: number[] = [];
    for (const file of files.slice(1, count + 1)) latencies.push(await one(file));
    return { latencies };
  } finally {
    await pipeline.stop();
  }
}

const mb = (bytes: number) => mebibytes(bytes).toFixed(0);

function printCpu(write: (s: string) => void, arm: ArmResult, photos: number): void {
  const perPhoto = arm.cpuMs / photos;
  const check = arm.procStatMs === null ? '' : ` (/proc/self/stat: ${(arm.procStatMs / photos).toFixed(0)})`;
  write(`  cpu: ${perPhoto.toFixed(0)} ms per photo${check}, up to ${arm.maxThreads} threads\n`);
}

export async function runBench(runtime: Runtime, folder: string, options: BenchOptions = {}): Promise<void> {
  const write = (s: string) => void process.stdout.write(s);
  const files = await listPhotos(folder, options.photos, options.repeat ?? false);
  const distinct = new Set(files).size;
  const n = files.length;
  const ncores = cores();
  // The product runs with two malloc arenas (bin/media-ai.js, every Dockerfile): `npm run bench` sets
  // the same unless the caller set one, so peak RSS is measured as deployed (~100 MB below glibc's default).
  const arenas = process.env.MALLOC_ARENA_MAX ?? 'glibc default';
  write(
    `bench: ${n} photos (${distinct} distinct) from ${folder}; ${ncores} cores; MALLOC_ARENA_MAX ${arenas}; load average at start ${loadAverage()}\n`,
  );

  const pipeline = await runPipeline(runtime, files);
  pipeline.latencies.print(
    `pipeline: ${pipeline.photosPerMin.toFixed(1)} photos/min, peak RSS ${mb(pipeline.peakRss)} MB, result-cache hits ${pipeline.cacheHits}`,
  );
  printCpu(write, pipeline, n);
  write(
    `  main thread held at a time (event-loop delay): p99 ${pipeline.blocks.p99Ms.toFixed(0)} ms, max ${pipeline.blocks.maxMs.toFixed(0)} ms\n`,
  );

  const naiveArm = async (title: string, settings: NaiveSettings) => {
    const arm = await runNaive(runtime, files, settings);
    arm.latencies.print(`${title}: ${arm.photosPerMin.toFixed(1)} photos/min, peak RSS ${mb(arm.peakRss)} MB (no result cache)`);
    printCpu(write, arm, n);
    write(`  cpu ms per photo by step:`);
    for (const [step, ms] of arm.steps.perPhoto(n)) write(` ${step}=${ms.toFixed(1)}`);
    write(` rest=${((arm.cpuMs - arm.steps.total()) / n).toFixed(1)}\n`);
    return arm;
  };
  const naive = await naiveArm('naive loop', CURRENT);
  const baseline = options.baseline ? await naiveArm('naive loop, a575b58 settings (--baseline)', BASELINE) : null;

  const singleCount = Math.min(options.single ?? 10, Math.max(0, distinct - 1));
  let singleP95 = Number.NaN;
  if (singleCount > 0) {
    const singles = await runSingles(runtime, files, singleCount);
    singleP95 = percentile(singles.latencies, 95);
    write(
      `single photo alone (models warm): n=${singles.latencies.length} p50=${percentile(singles.latencies, 50).toFixed(0)} ms p95=${singleP95.toFixed(0)} ms max=${Math.max(...singles.latencies).toFixed(0)} ms\n`,
    );
  }

  const cpuPerPhoto = pipeline.cpuMs / n;
  const naiveCpuPerPhoto = naive.cpuMs / n;
  const limit = (ncores * 60_000) / cpuPerPhoto;
  const utilisation = pipeline.photosPerMin / limit;
  write(
    `CPU-bound limit: ${ncores} cores x 60,000 / ${cpuPerPhoto.toFixed(0)} ms = ${limit.toFixed(1)} photos/min for the pipeline (${((ncores * 60_000) / naiveCpuPerPhoto).toFixed(1)} at the naive loop's ${naiveCpuPerPhoto.toFixed(0)} ms); the pipeline reached ${(utilisation * 100).toFixed(0)} % of it\n`,
  );
  write(`load average at end ${loadAverage()}\n`);
  const peak = Math.max(pipeline.peakRss, naive.peakRss);
  const baselineCpu = baseline
    ? ` baseline_cpu_ms_per_photo=${(baseline.cpuMs / n).toFixed(0)} baseline_naive_photos_per_min=${baseline.photosPerMin.toFixed(1)}`
    : '';
  write(
    `\npipeline_photos_per_min=${pipeline.photosPerMin.toFixed(1)} naive_photos_per_min=${naive.photosPerMin.toFixed(1)} ratio=${(pipeline.photosPerMin / naive.photosPerMin).toFixed(2)}` +
      ` cpu_ms_per_photo=${cpuPerPhoto.toFixed(0)} limit_photos_per_min=${limit.toFixed(1)} utilisation=${utilisation.toFixed(2)} peak_rss_mb=${mb(peak)}` +
      ` naive_cpu_ms_per_photo=${naiveCpuPerPhoto.toFixed(0)} single_p95_ms=${Number.isNaN(singleP95) ? 'NaN' : singleP95.toFixed(0)} cache_hits=${pipeline.cacheHits}${baselineCpu}\n`,
  );
}
