// `node --conditions=development --import tsx tools/memory-timeline.ts <folder> [--photos N] [--every MS]`
//
// When the embedded pipeline's peak RSS happens and what it is made of. Runs the bench's pipeline arm
// (every photo submitted at once, as tools/quality/run-bench.ts does) and samples, every --every ms:
// RSS, the main isolate's V8 heap, external and ArrayBuffer memory, libvips' tracked memory
// (sharp.cache()), /proc/self/smaps split into glibc's main arena ([heap]), other anonymous memory
// (other malloc arenas, V8 spaces, ORT, the OCR thread's isolate) and files; and, from the runner's
// stage events, the photos each stage holds in flight (batch taken, not finished) and how many have
// been handed to it but not yet taken (queued). Prints a line per second and the sample at the peak.
// It measures one run on one machine: figures for a report, never for a test.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { buildPostCreatedEvent, EmbeddedPipeline } from '@media-ai/pipeline';
import { createRuntime } from '@media-ai/runtime';
import type { StageEvent } from '@media-ai/stream';
import { smapsRss } from './quality/measure.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { photos: { type: 'string' }, every: { type: 'string', default: '100' } },
});
const folder = positionals[0];
if (!folder) {
  process.stderr.write('usage: memory-timeline.ts <folder> [--photos N] [--every MS]\n');
  process.exit(2);
}

const mb = (b: number) => (b / 1048576).toFixed(0);
const inFlight = new Map<string, number>();
const handed = new Map<string, number>();
const taken = new Map<string, number>();
const bump = (m: Map<string, number>, k: string, d: number) => m.set(k, (m.get(k) ?? 0) + d);
const onStageEvent = (e: StageEvent) => {
  if (e.type === 'batch-received') {
    bump(inFlight, e.stage, e.size);
    bump(taken, e.stage, e.size);
  } else if (e.type === 'batch') bump(inFlight, e.stage, -e.size);
  else if (e.type === 'published') bump(handed, e.topic, 1);
};
const stagesNow = () =>
  [...inFlight.keys()]
    .filter((s) => s !== 'api-observer')
    .map((s) => `${s}=${inFlight.get(s)}`)
    .join(' ');

const names = (await readdir(folder)).filter((n) => /\.(jpe?g|png|webp)$/i.test(n)).sort();
const files = names.slice(0, values.photos ? Number(values.photos) : names.length).map((n) => path.join(folder, n));
const env = process.env.LOG_LEVEL ? process.env : { ...process.env, LOG_LEVEL: 'WARNING' };
const runtime = createRuntime({ logToStderr: true, env });
const pipeline = await EmbeddedPipeline.start({ ...runtime, onStageEvent });

interface Sample {
  t: number;
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  vips: number;
  maps: { heap: number; anon: number; file: number };
  stages: string;
  handed: string;
}
const samples: Sample[] = [];
const t0 = performance.now();
const sample = () => {
  const m = process.memoryUsage();
  samples.push({
    t: performance.now() - t0,
    rss: m.rss,
    heapUsed: m.heapUsed,
    external: m.external,
    arrayBuffers: m.arrayBuffers,
    vips: sharp.cache().memory.current * 1048576,
    maps: smapsRss(),
    stages: stagesNow(),
    handed: [...handed].map(([k, v]) => `${k}=${v}`).join(' '),
  });
};
sample();
const timer = setInterval(sample, Number(values.every));
const posts = files.map((file) => buildPostCreatedEvent({ photoUrls: [pathToFileURL(file).href] }));
for (const post of posts) await pipeline.submit(post.event);
await Promise.all(posts.map(({ postId }) => pipeline.waitForEnrichment(postId).catch(() => undefined)));
clearInterval(timer);
sample();
await pipeline.stop();

const line = (s: Sample) =>
  `${(s.t / 1000).toFixed(1).padStart(5)}s rss ${mb(s.rss).padStart(4)} | v8 ${mb(s.heapUsed).padStart(3)} ext ${mb(s.external).padStart(3)} ab ${mb(s.arrayBuffers).padStart(3)} vips ${mb(s.vips).padStart(3)} | [heap] ${mb(s.maps.heap).padStart(3)} anon ${mb(s.maps.anon).padStart(4)} file ${mb(s.maps.file).padStart(3)} | in flight ${s.stages}`;
let next = 0;
for (const s of samples) {
  if (s.t < next) continue;
  process.stdout.write(`${line(s)}\n`);
  next = s.t + 1000;
}
const peak = samples.reduce((a, b) => (b.rss > a.rss ? b : a));
process.stdout.write(
  `peak (${files.length} photos, taken per stage ${[...taken].map(([k, v]) => `${k}=${v}`).join(' ')}):\n${line(peak)}\n`,
);
process.stdout.write(`published by topic at the peak: ${peak.handed}\n`);
process.exit(0);
