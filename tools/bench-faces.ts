/**
 * Latency of the face step per photo, as the product runs it, printed (never asserted):
 *   - find: the fetcher's BlazeFace pass on the stored JPEG (decode shrunk to 256 px, inference,
 *     decoding), median of `--runs` runs per photo;
 *   - release: blurring the found faces and re-encoding, what each exit (llm request, annotated copy)
 *     pays per photo with faces; photos without faces pay nothing (the stored bytes go out as they are).
 * Photos are normalized first as the fetcher does (AI_MAX_IMAGE_SIZE 2048, quality 85); that time is
 * not counted. One process, one photo at a time, on whatever else the machine is doing (it prints
 * the load average so a reader can judge).
 *
 *   node --conditions=development --import tsx tools/bench-faces.ts [photos-folder] [--runs N]
 *
 * Must never write files.
 */
import { readdir, readFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { FaceDetector, normalizePhoto, photoForRelease } from '@media-ai/vision';

const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 5;
const folder = path.resolve(args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--runs') ?? '../shared/photos');
const NORMALIZE = {
  maxSide: 2048,
  quality: 85,
  maxPixels: 50_000_000,
  allowedTypes: ['image/jpeg', 'image/png', 'image/webp'],
  stripMetadata: true as const,
};

/** Nearest rank, as the eval prints them. */
function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
}
const median = (values: number[]) => percentile(values, 50);
const ms = (n: number) => `${n.toFixed(1).padStart(6)} ms`;

const detector = await FaceDetector.create();
const files = (await readdir(folder)).filter((f) => /\.(jpe?g|png|webp)$/i.test(f)).sort();
process.stdout.write(
  `${files.length} photos from ${folder}; ${runs} timed run(s) each after one warm-up; ${cpus().length} cores, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}\n\n${'photo'.padEnd(40)} ${'size'.padEnd(10)} faces     find  release\n`,
);
const finds: number[] = [];
const releases: number[] = [];
for (const file of files) {
  const stored = (await normalizePhoto(await readFile(path.join(folder, file)), NORMALIZE)).jpeg;
  const times: number[] = [];
  let faces: Awaited<ReturnType<FaceDetector['detectInJpeg']>> = [];
  // One warm-up run: the first inference allocates ORT's buffers.
  await detector.detectInJpeg(stored);
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    faces = await detector.detectInJpeg(stored);
    times.push(performance.now() - started);
  }
  const releaseTimes: number[] = [];
  for (let i = 0; i < (faces.length > 0 ? runs : 0); i++) {
    const started = performance.now();
    await photoForRelease(stored, faces);
    releaseTimes.push(performance.now() - started);
  }
  finds.push(median(times));
  if (releaseTimes.length > 0) releases.push(median(releaseTimes));
  const meta = `${faces.length}`.padStart(5);
  process.stdout.write(
    `${file.padEnd(40)} ${`${Math.round(stored.length / 1024)} KiB`.padEnd(10)} ${meta} ${ms(median(times))} ${releaseTimes.length ? ms(median(releaseTimes)) : '      -'}\n`,
  );
}
await detector.close();
process.stdout.write(
  `\nfind (every photo):       p50 ${ms(percentile(finds, 50))}  p95 ${ms(percentile(finds, 95))}  (${finds.length} photos)\n` +
    `release (photos with faces): p50 ${ms(percentile(releases, 50))}  p95 ${ms(percentile(releases, 95))}  (${releases.length} photos)\n`,
);
