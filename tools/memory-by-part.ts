// `node --conditions=development --import tsx tools/memory-by-part.ts <folder> [--part NAME] [--photos N] [--paddle-session JSON] [--sharp-cache off] [--ocr-threads N]`
//
// What each part of the embedded pipeline holds in resident memory, each part ALONE in a fresh
// process (RSS never goes down, so parts measured one after another in one process hide each
// other): a model session (yolox, nanodet, classifier with its fingerprint embedding, blazeface),
// the OCR readers (paddle: the three PP-OCRv4 sessions; hybrid: the same plus the tesseract engine
// of the re-reads), sharp's normalisation, and the whole embedded pipeline. For each it prints RSS
// after the process's imports, after the part loaded, and after it ran over every photo, then where
// the memory sits at the end: V8's heap (used / total), external and ArrayBuffer memory, libvips'
// tracked memory (vips-mem), and /proc/self/smaps split into glibc's main arena ([heap]), other
// anonymous mappings (the thread arenas, ORT's arenas, WASM and V8 pages) and file mappings (code).
// vips-mem is sharp.cache()'s memory figure: libvips' tracked allocations now and at their highest (MB).
// It also prints the main thread's time in minor and major GC (what V8 heap flags such as
// --max-semi-space-size trade for heap size). --paddle-session '{"detMemArena":false}' opens the
// OCR sessions with other SessionSettings (libs/ocr models.ts), --sharp-cache off turns libvips'
// operation cache off, --ocr-threads 1 reads the paddle and hybrid parts on a worker thread (the
// embedded pipeline's reader with OCR_THREADS unset; give node flags through NODE_OPTIONS then, a
// worker refuses V8 flags in its execArgv); node flags given to this process are passed on to the children.
// Without --part it runs every part, each in its own child process. Figures of one run on one
// machine, to read, never to assert; run it with the MALLOC_ARENA_MAX the product runs with (2).
import { execFileSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { PerformanceObserver, constants as perfConstants, type PerformanceEntry } from 'node:perf_hooks';
import v8 from 'node:v8';
import sharp from 'sharp';
import { loadConfig } from '@media-ai/config';
import { modelManagerFromConfig } from '@media-ai/detector-service';
import { normalizeOptionsOf } from '@media-ai/fetcher-service';
import { createTextReader, type PaddleTextReaderOptions } from '@media-ai/ocr';
import { buildPostCreatedEvent, EmbeddedPipeline } from '@media-ai/pipeline';
import { createRuntime } from '@media-ai/runtime';
import { decodeImage, FaceDetector, ItemClassifier, loadNanodetDetector, normalizePhoto, ObjectDetector } from '@media-ai/vision';
import { processCpuMs } from './quality/cpu.js';
import { mebibytes, rssSampler, smapsRss } from './quality/measure.js';

const PARTS = ['yolox', 'nanodet', 'classifier', 'faces', 'sharp', 'paddle', 'hybrid', 'pipeline'] as const;
type Part = (typeof PARTS)[number];

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    part: { type: 'string' },
    photos: { type: 'string' },
    'paddle-session': { type: 'string' },
    'sharp-cache': { type: 'string' },
    'ocr-threads': { type: 'string' },
  },
});
const folder = positionals[0];
const part = values.part as Part | undefined;
if (!folder || (part !== undefined && !PARTS.includes(part))) {
  process.stderr.write(`usage: tools/memory-by-part.ts <folder> [--part ${PARTS.join('|')}] [--photos N]\n`);
  process.exit(2);
}
const write = (s: string) => void process.stdout.write(s);
// A lever to measure: libvips' operation cache off (sharp.cache(false)) for the part's own run.
if (values['sharp-cache'] === 'off') sharp.cache(false);
const mib = (bytes: number) => mebibytes(bytes).toFixed(0).padStart(5);

if (part === undefined) {
  // Every part in a fresh process, the same node flags and environment as this one.
  write(
    `memory by part, each alone in a fresh process; MALLOC_ARENA_MAX ${process.env.MALLOC_ARENA_MAX ?? 'glibc default'}; MiB\n` +
      `${'part'.padEnd(11)} imports   loaded   used   peak | v8 used/total  external  arrayBuffers  vips-mem now/high | [heap]   anon   file\n`,
  );
  const self = fileURLToPath(import.meta.url);
  for (const p of PARTS) {
    const args = [...process.execArgv, self, folder, '--part', p, ...process.argv.slice(2).filter((a) => a !== folder)];
    write(execFileSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }));
  }
  process.exit(0);
}

const config = loadConfig(process.env.LOG_LEVEL ? process.env : { ...process.env, LOG_LEVEL: 'WARNING' });
const names = (await readdir(folder)).filter((n) => /\.(jpe?g|png|webp)$/i.test(n)).sort();
const files = names.slice(0, values.photos ? Number(values.photos) : names.length).map((n) => path.join(folder, n));
// The parts are fed the fetcher's normalised JPEGs, made before the first reading so that their cost
// is the "imports" column's, not the part's (except for the sharp part, which makes them itself).
const normalized: Buffer[] = [];
if (part !== 'sharp' && part !== 'pipeline') {
  for (const f of files) normalized.push((await normalizePhoto(await readFile(f), normalizeOptionsOf(config))).jpeg);
}
const gc = (globalThis as { gc?: () => void }).gc;
gc?.();
const imports = process.memoryUsage().rss;
const sampler = rssSampler();
const cpu0 = processCpuMs();
// The main thread's time in GC (V8 flags such as --max-semi-space-size trade it for heap size).
const gcMs = { minor: 0, major: 0 };
const gcObserver = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const kind = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
    gcMs[kind === perfConstants.NODE_PERFORMANCE_GC_MINOR ? 'minor' : 'major'] += entry.duration;
  }
});
gcObserver.observe({ entryTypes: ['gc'] });

/** Loads the part, then returns what runs it over every photo and what releases it. */
async function load(p: Part): Promise<{ use: () => Promise<void>; close: () => Promise<void> }> {
  const models = modelManagerFromConfig(config);
  const eachDecoded = async (run: (image: Awaited<ReturnType<typeof decodeImage>>) => Promise<unknown>) => {
    for (const jpeg of normalized) await run(await decodeImage(jpeg));
  };
  switch (p) {
    case 'yolox': {
      const m = await models.resolveModel('yolox-nano');
      const d = await ObjectDetector.create({
        family: 'yolox',
        modelPath: m.modelPath,
        labels: m.labels,
        name: m.spec.name,
        version: m.spec.version,
      });
      return { use: () => eachDecoded((i) => d.detect([i])), close: () => d.close() };
    }
    case 'nanodet': {
      const d = await loadNanodetDetector();
      return { use: () => eachDecoded((i) => d.detect([i])), close: () => d.close() };
    }
    case 'classifier': {
      const m = await models.resolveModel('mobilenetv2-int8');
      const c = await ItemClassifier.create({ modelPath: m.modelPath, labels: m.labels, name: m.spec.name, version: m.spec.version });
      // As the detector stage uses it: classes and the whole photo's embedding, then a crop's feature maps.
      return {
        use: () =>
          eachDecoded(async (i) => {
            await c.classifyAndEmbed([i]);
            await c.embed([i]);
          }),
        close: () => c.close(),
      };
    }
    case 'faces': {
      const f = await FaceDetector.create({});
      return { use: () => eachDecoded((i) => f.detect(i)), close: () => f.close() };
    }
    case 'sharp':
      return {
        use: async () => {
          for (const f of files) await normalizePhoto(await readFile(f), normalizeOptionsOf(config));
        },
        close: async () => undefined,
      };
    case 'paddle':
    case 'hybrid': {
      const session = values['paddle-session'] ? (JSON.parse(values['paddle-session']) as PaddleTextReaderOptions['session']) : undefined;
      const threads = Number(values['ocr-threads'] ?? 0);
      // On a thread, its sessions as the embedded pipeline sizes them (services/ocr readerThreads).
      const options = threads > 0 ? { intraOpNumThreads: Math.max(1, Math.floor(config.ai.ocr.workers / 2)), ...session } : session;
      const reader = createTextReader({
        engine: p,
        workers: config.ai.ocr.workers,
        threads,
        paddle: { session: options },
        hybrid: { session: options },
      });
      await reader.start();
      return {
        use: async () => {
          // As the stage reads: as many photos at once as the reader admits.
          const queue = [...normalized];
          const lane = async () => {
            for (let jpeg = queue.shift(); jpeg; jpeg = queue.shift()) await reader.read(jpeg);
          };
          await Promise.all(Array.from({ length: reader.stats().size }, lane));
        },
        close: () => reader.stop(),
      };
    }
    case 'pipeline': {
      const runtime = createRuntime({ logToStderr: true, env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'WARNING' } });
      const pipeline = await EmbeddedPipeline.start(runtime);
      return {
        use: async () => {
          const posts = files.map((f) => buildPostCreatedEvent({ photoUrls: [pathToFileURL(f).href] }));
          for (const post of posts) await pipeline.submit(post.event);
          await Promise.all(posts.map(({ postId }) => pipeline.waitForEnrichment(postId).catch(() => undefined)));
        },
        close: () => pipeline.stop(),
      };
    }
  }
}

const loaded = await load(part);
const afterLoad = process.memoryUsage().rss;
await loaded.use();
const used = process.memoryUsage().rss;
const peak = sampler.stop();
const cpuMs = processCpuMs() - cpu0;
gcObserver.disconnect();
const heap = v8.getHeapStatistics();
const mem = process.memoryUsage();
const cache = sharp.cache();
const maps = smapsRss();
write(
  `${part.padEnd(11)} ${mib(imports)}    ${mib(afterLoad)}  ${mib(used)}  ${mib(peak)} | ${mib(heap.used_heap_size)}/${mib(heap.total_heap_size).trim().padEnd(5)}` +
    `   ${mib(mem.external)}     ${mib(mem.arrayBuffers)}       ${String(cache.memory.current).padStart(3)}/${String(cache.memory.high).padStart(3)}  | ${mib(maps.heap)}  ${mib(maps.anon)}  ${mib(maps.file)}` +
    `   (${files.length} photos, cpu ${(cpuMs / files.length).toFixed(0)} ms/photo, gc minor ${gcMs.minor.toFixed(0)} / major ${gcMs.major.toFixed(0)} ms)\n`,
);
await loaded.close();
process.exit(0);
