// Detector benchmark: prints latencies and the batching ratio measured in one run, on this machine.
// Run: npx tsx --conditions development bench/detector-bench.ts [models dir] [photos dir]
// Not a test: figures depend on the machine and its neighbours; compare ratios within one run only.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { decodeImage, loadDetectionModels, ModelManager, type DecodedImage } from '@media-ai/vision';

const shared = fileURLToPath(new URL('../../../../shared/', import.meta.url));
const modelsDir = process.argv[2] ?? join(shared, 'models');
const photosDir = process.argv[3] ?? join(shared, 'photos');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
async function time(runs: number, fn: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}

const cacheDir = await mkdtemp(join(tmpdir(), 'media-ai-bench-'));
try {
  const models = new ModelManager({ cacheDir, source: modelsDir, downloadTimeoutMs: 10_000, allowUpstream: false });
  const { detector, classifier, unavailable } = await loadDetectionModels({ models });
  if (!detector || !classifier) throw new Error(`models unavailable: ${JSON.stringify(unavailable)}`);

  // What the fetcher hands on: EXIF applied, at most 1280 px, JPEG q90.
  const files = (await readdir(photosDir)).filter((f) => /\.(jpe?g|png|webp)$/i.test(f)).sort();
  const jpegs = await Promise.all(
    files.map(async (f) =>
      sharp(await readFile(join(photosDir, f)))
        .rotate()
        .resize(1280, 1280, { fit: 'inside', withoutEnlargement: true })
        .jpeg({ quality: 90 })
        .toBuffer(),
    ),
  );
  const decodeTimes: number[] = [];
  const images: DecodedImage[] = [];
  for (const jpeg of jpegs) {
    const t = performance.now();
    images.push(await decodeImage(jpeg));
    decodeTimes.push(performance.now() - t);
  }
  await detector.detect([images[0]!]);
  await classifier.classify([images[0]!]);

  const detectEach = await time(3, () => detector.detect(images));
  const perImageDetect = median(detectEach) / images.length;
  const batch = images.slice(0, 8);
  // Interleaved, so a neighbour's burst of load hits both sides alike.
  const classifyBatch: number[] = [];
  const classifySingles: number[] = [];
  for (let round = 0; round < 10; round++) {
    classifyBatch.push(...(await time(1, () => classifier.classify(batch))));
    classifySingles.push(
      ...(await time(1, async () => {
        for (const image of batch) await classifier.classify([image]);
      })),
    );
  }
  const classifyOne = await time(20, () => classifier.classify([images[0]!]));

  console.log(`photos: ${images.length} (normalized to <= 1280 px), cpu threads intra=2 inter=1`);
  console.log(`decode (sharp, JPEG -> RGB): median ${median(decodeTimes).toFixed(1)} ms`);
  console.log(`detect (letterbox + run + decode + NMS): ${perImageDetect.toFixed(1)} ms per image (median of 3 passes over all photos)`);
  console.log(`classify 1 image: median ${median(classifyOne).toFixed(1)} ms`);
  console.log(
    `classify batch of ${batch.length}: median ${median(classifyBatch).toFixed(1)} ms; ${batch.length} single runs: median ${median(classifySingles).toFixed(1)} ms; ratio ${(median(classifySingles) / median(classifyBatch)).toFixed(2)}x`,
  );
  await detector.close();
  await classifier.close();
} finally {
  await rm(cacheDir, { recursive: true, force: true });
}
