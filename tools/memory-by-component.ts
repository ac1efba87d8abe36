// `node --conditions=development --import tsx tools/memory-by-component.ts <folder> [--threads N] [--rec-arena on|off] [--sharp-cache on|off]`
//
// Where the embedded pipeline's resident memory goes: loads each component the pipeline loads, in
// its order (detection models, face detector, sharp normalisation, the configured OCR reader), runs
// it over every photo of the folder (arenas and caches grow with use, not at load), and prints the
// process's RSS after each step, what the step added and its CPU time (every thread). --threads N reads with
// ThreadedTextReader (OCR_THREADS) on N threads; --rec-arena off turns the recogniser's ORT arena and
// memory pattern off in the OCR sessions; --sharp-cache off calls sharp.cache(false). One run, one
// machine: figures to read, never to assert. Each variant in its own process (RSS never goes down).
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { loadConfig } from '@media-ai/config';
import { normalizeOptionsOf } from '@media-ai/fetcher-service';
import { modelManagerFromConfig } from '@media-ai/detector-service';
import { createTextReader } from '@media-ai/ocr';
import { decodeImage, FaceDetector, loadDetectionModels, normalizePhoto } from '@media-ai/vision';
import { processCpuMs } from './quality/cpu.js';
import { mebibytes, rssSampler } from './quality/measure.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    threads: { type: 'string', default: '0' },
    'rec-arena': { type: 'string', default: 'on' },
    'sharp-cache': { type: 'string', default: 'on' },
  },
});
const folder = positionals[0];
const threads = Number(values.threads);
if (!folder || !Number.isInteger(threads) || threads < 0) {
  process.stderr.write('usage: tools/memory-by-component.ts <folder> [--threads N] [--rec-arena on|off] [--sharp-cache on|off]\n');
  process.exit(2);
}
if (values['sharp-cache'] === 'off') sharp.cache(false);
const config = loadConfig(process.env.LOG_LEVEL ? process.env : { ...process.env, LOG_LEVEL: 'WARNING' });
const files = (await readdir(folder))
  .filter((n) => /\.(jpe?g|png|webp)$/i.test(n))
  .sort()
  .map((n) => path.join(folder, n));

let last = process.memoryUsage().rss;
const write = (s: string) => void process.stdout.write(s);
write(
  `memory by component: ${files.length} photos from ${folder}; threads=${threads} rec-arena=${values['rec-arena']} sharp-cache=${values['sharp-cache']}\n`,
);
/** Runs a step, then prints RSS after it, its peak during it, and what it added. */
async function step<T>(name: string, work: () => Promise<T>): Promise<T> {
  const sampler = rssSampler();
  const cpu0 = processCpuMs();
  const result = await work();
  const cpuMs = processCpuMs() - cpu0;
  const peak = sampler.stop();
  const now = process.memoryUsage().rss;
  write(
    `  ${name.padEnd(44)} rss ${mebibytes(now).toFixed(0).padStart(5)} MiB  (+${mebibytes(now - last)
      .toFixed(0)
      .padStart(4)})  peak ${mebibytes(peak).toFixed(0).padStart(5)} MiB  cpu ${cpuMs.toFixed(0).padStart(6)} ms\n`,
  );
  last = now;
  return result;
}

await step('node, imports', async () => undefined);
const { detector, classifier } = await step('detection models loaded', () =>
  loadDetectionModels({
    models: modelManagerFromConfig(config),
    scoreThreshold: config.ai.detectorScoreThreshold,
    detectorModels: config.ai.detectorModels,
  }),
);
const faces = await step('face detector loaded', () => FaceDetector.create({}));
const normalized = await step('sharp: normalise every photo', async () => {
  const out: Buffer[] = [];
  for (const file of files) {
    const photo = await normalizePhoto(await readFile(file), normalizeOptionsOf(config));
    out.push(photo.jpeg);
  }
  return out;
});
await step('detect + classify + faces, every photo', async () => {
  for (const jpeg of normalized) {
    const image = await decodeImage(jpeg);
    await detector?.detect([image]);
    await classifier?.classify([image]);
    await faces.detect(image);
  }
});
const session = values['rec-arena'] === 'off' ? { recMemArena: false } : {};
const reader = createTextReader({
  engine: config.ai.ocr.engine,
  workers: config.ai.ocr.workers,
  threads,
  paddle: { session },
  hybrid: { session },
});
await step(`ocr reader started (${config.ai.ocr.engine})`, () => reader.start());
await step('ocr: read every photo', async () => {
  // As the stage reads: as many photos at once as the reader admits (more would be refused).
  const queue = [...normalized];
  const lane = async () => {
    for (let jpeg = queue.shift(); jpeg; jpeg = queue.shift()) await reader.read(jpeg);
  };
  await Promise.all(Array.from({ length: reader.stats().size }, lane));
});
write(`peak RSS of the process: ${mebibytes(process.resourceUsage().maxRSS * 1024).toFixed(0)} MiB\n`);
await reader.stop();
await detector?.close();
await classifier?.close();
await faces.close();
process.exit(0);
