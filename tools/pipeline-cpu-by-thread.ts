// `node --conditions=development --import tsx tools/pipeline-cpu-by-thread.ts <folder> [--photos N]`:
// where the embedded pipeline's CPU goes, by thread. It runs the bench's pipeline arm (every photo
// submitted at once, result cache empty) and reads utime+stime of every thread of the process from
// /proc/self/task before and after, grouped by thread name (main thread = the JS event loop with
// every stage's synchronous work; onnxruntime's intra-op pool; libuv's pool running sharp and
// fs; tesseract.js / worker_threads; V8's GC helpers). CPU of threads that ended during the run is
// the remainder of the process total (getrusage) less the threads still alive. Figures are printed,
// never asserted; Linux only. Add --cpu-prof to the node flags for the main thread's JS breakdown.
// Who is who among the threads named "node" (gdb thread backtraces, 2026-12-06): the first four after
// main are V8's platform workers (GC helpers and background compiles of every isolate, ~90 ms per
// photo), then libuv's pool (4 x ~3.5); the OCR reader's worker thread is the first thread created
// after the models load (its tid is readlink /proc/thread-self inside it); the next is another
// node Worker (~18 ms); a thread parked in libonnxruntime's condition variable is an intra-op pool.
import { readdirSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { buildPostCreatedEvent, EmbeddedPipeline } from '@media-ai/pipeline';
import { createRuntime } from '@media-ai/runtime';
import type { StageEvent } from '@media-ai/stream';
import { CURRENT, listPhotos, runNaive } from './quality/run-bench.js';
import { loadAverage, processCpuMs } from './quality/cpu.js';
import { mebibytes, rssSampler } from './quality/measure.js';

interface ThreadCpu {
  name: string;
  ms: number;
  /** When the thread started (clock ticks since boot): orders threads by creation. */
  start: number;
}

/** utime+stime (ms) of each live thread of this process, by thread id. */
function threadsCpu(): Map<string, ThreadCpu> {
  const out = new Map<string, ThreadCpu>();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(tid, { name, ms: (Number(rest[11]) + Number(rest[12])) * 10, start: Number(rest[19]) });
    } catch {
      // The thread ended between readdir and read: its time lands in the remainder.
    }
  }
  return out;
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { photos: { type: 'string' }, naive: { type: 'boolean', default: false }, 'sharp-cache': { type: 'string', default: 'on' } },
});
const folder = positionals[0];
if (!folder) {
  process.stderr.write('usage: tools/pipeline-cpu-by-thread.ts <folder> [--photos N]\n');
  process.exit(2);
}
// --sharp-cache off: libvips' operation cache off (sharp.cache(false)), to see what it holds.
if (values['sharp-cache'] === 'off') sharp.cache(false);
const env = process.env.LOG_LEVEL ? process.env : { ...process.env, LOG_LEVEL: 'WARNING' };
const runtime = createRuntime({ logToStderr: true, env });
const files = await listPhotos(folder, values.photos === undefined ? undefined : Number(values.photos), false);
const n = files.length;
const stageMs = new Map<string, number>();
const onStageEvent = (event: StageEvent) => {
  if (event.type === 'processed') stageMs.set(event.stage, (stageMs.get(event.stage) ?? 0) + event.durationMs);
};
const pipeline = values.naive ? null : await EmbeddedPipeline.start({ ...runtime, onStageEvent });
const arm = values.naive ? 'naive loop' : 'pipeline';
process.stdout.write(`${arm} CPU by thread: ${n} photos from ${folder}; load average at start ${loadAverage()}\n`);
const rss = rssSampler();
let before = threadsCpu();
let total0 = processCpuMs();
let t0 = performance.now();
// The window in V8's profiler clock (µs), so that a --cpu-prof profile can be cut to it.
let windowStartUs = process.hrtime.bigint() / 1000n;
if (pipeline) {
  const posts = files.map((file) => buildPostCreatedEvent({ photoUrls: [pathToFileURL(file).href] }));
  for (const post of posts) await pipeline.submit(post.event);
  await Promise.all(posts.map(({ postId }) => pipeline.waitForEnrichment(postId).catch(() => undefined)));
} else {
  // runNaive loads its models inside; its own window starts after loading, so take the window
  // from its first photo: the models' load is not counted (as the bench does not).
  const onFirst = (): void => {
    before = threadsCpu();
    total0 = processCpuMs();
    t0 = performance.now();
    windowStartUs = process.hrtime.bigint() / 1000n;
  };
  await runNaive(runtime, files, CURRENT, onFirst);
}
const windowEndUs = process.hrtime.bigint() / 1000n;
const seconds = (performance.now() - t0) / 1000;
const total = processCpuMs() - total0;
const after = threadsCpu();
const peakRss = rss.stop();
await pipeline?.stop();
process.stdout.write(`profile window (µs, V8 clock): ${windowStartUs} ${windowEndUs}\n`);

const byName = new Map<string, { ms: number; threads: number }>();
let alive = 0;
for (const [tid, t] of after) {
  const ms = t.ms - (before.get(tid)?.ms ?? 0);
  alive += ms;
  const key = tid === String(process.pid) ? 'main (event loop)' : t.name;
  const entry = byName.get(key) ?? { ms: 0, threads: 0 };
  entry.ms += ms;
  entry.threads += 1;
  byName.set(key, entry);
}
const rows = [...byName].sort((a, b) => b[1].ms - a[1].ms);
process.stdout.write(
  `${(n / seconds) * 60 > 0 ? ((n / seconds) * 60).toFixed(1) : 'NaN'} photos/min, ${(total / n).toFixed(0)} ms CPU per photo (getrusage), peak RSS ${mebibytes(peakRss).toFixed(0)} MiB, sharp cache ${values['sharp-cache']}\n`,
);
process.stdout.write('thread name                 threads  cpu ms/photo\n');
for (const [name, { ms, threads }] of rows) {
  if (ms === 0) continue;
  process.stdout.write(`${name.padEnd(28)}${String(threads).padStart(7)}  ${(ms / n).toFixed(1).padStart(12)}\n`);
}
// Each busy thread alone (threads share the name "node": the OCR reader's worker thread, each ORT
// session's intra-op pool, V8's platform threads), in creation order, to tell them apart.
const busy = [...after]
  .map(([tid, t]) => ({ tid, ...t, ms: t.ms - (before.get(tid)?.ms ?? 0) }))
  .filter((t) => t.ms / n >= 1)
  .sort((a, b) => a.start - b.start || Number(a.tid) - Number(b.tid));
process.stdout.write('threads over 1 ms/photo, oldest first (tid, name, cpu ms/photo):');
for (const t of busy) process.stdout.write(` ${t.tid === String(process.pid) ? 'main' : t.tid}:${t.name}=${(t.ms / n).toFixed(1)}`);
process.stdout.write('\n');
process.stdout.write(`${'(threads ended meanwhile)'.padEnd(28)}${''.padStart(7)}  ${((total - alive) / n).toFixed(1).padStart(12)}\n`);
process.stdout.write('stage handling time (wall, summed per record, ms/photo):');
for (const [stage, ms] of stageMs) process.stdout.write(` ${stage}=${(ms / n).toFixed(0)}`);
process.stdout.write(`\nload average at end ${loadAverage()}\n`);
process.exit(0);
