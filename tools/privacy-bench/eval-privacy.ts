// `npm run eval:privacy [-- --split tune|holdout|all --seed N --limit N --count N --kinds K1,K2 --fresh --pipeline --no-faces --doc-type-from-text --dump FILE]`
// The privacy benchmark: generates (or reuses) the seeded images, runs each through the real ocr
// stage (ocr-harness.ts: the configured engine, the stage's own redaction) and prints, per split,
// leaks and over-redaction per document kind, leaks by category, the worst leaks, the elapsed time
// and the machine's load, ending with one line:
//   pii_strings=… leaked=… leak_rate=… words=… over_redacted=… over_redaction_rate=… doc_type_accuracy=… faces=… faces_blurred=…
// (`words` = non-personal words the OCR read: the population over-redaction is measured on). Scoring
// rules: score.ts. --pipeline also runs each image as a post through the embedded pipeline and scans
// the whole published post.enhanced event for the same leaks (slow; for closing notes).
// --doc-type-from-text types each image with @media-ai/privacy's recogniseDocument on the reading
// (text and context) instead of the stage's record, while the stage publishes no document type.
// --dump FILE writes, per image, the reading, what was published, the leaks and the over-redacted
// words as JSON (tune split only: holdout output must not be looked at while tuning rules).
import { loadavg, cpus } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { readFile, writeFile } from 'node:fs/promises';
import { loadConfig } from '@media-ai/config';
import { buildPostCreatedEvent, EmbeddedPipeline } from '@media-ai/pipeline';
import { createRuntime } from '@media-ai/runtime';
import { DEFAULT_COUNT, DEFAULT_SEED, defaultCacheDir, generateImages, kindOf, splitOf, generatorVersionOf } from './generate.js';
import type { Split } from './ground-truth.js';
import { createFacesHarness } from './faces-harness.js';
import { createOcrHarness, documentTypeOf, publishedByStage } from './ocr-harness.js';
import {
  bySplit,
  formatCategories,
  formatConfusion,
  formatOverRedacted,
  formatTable,
  formatWorstLeaks,
  summaryLine,
  totals,
  type ScoredImage,
} from './report.js';
import { RETIRED_HOLDOUT_SEEDS } from './retired-seeds.js';
import { scoreImage } from './score.js';
import { documentKindFromText } from './text-document-type.js';

const args = process.argv.slice(2);
const arg = (name: string): string | undefined => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const split = (arg('--split') ?? 'all') as Split | 'all';
if (!['tune', 'holdout', 'all'].includes(split)) {
  process.stderr.write('--split must be tune, holdout or all\n');
  process.exit(2);
}
const seed = Number(arg('--seed') ?? DEFAULT_SEED);
const count = Number(arg('--count') ?? DEFAULT_COUNT);
const limit = arg('--limit') ? Number(arg('--limit')) : Infinity;
/** Only these kinds (comma-separated, before --limit): tune a few layouts without reading the whole split. */
const kinds = arg('--kinds')?.split(',');
const photosDir = path.resolve(arg('--photos') ?? path.join(import.meta.dirname, '../../../shared/photos'));
const cacheDir = arg('--cache-dir') ?? defaultCacheDir(seed);
const docTypeFromText = args.includes('--doc-type-from-text');
const dumpFile = arg('--dump');
if (dumpFile && split !== 'tune' && !(split === 'holdout' && RETIRED_HOLDOUT_SEEDS.has(seed))) {
  process.stderr.write(
    '--dump only with --split tune (or a retired holdout, seeds 4-9, 13-16 and 19-52): holdout output is not for tuning\n',
  );
  process.exit(2);
}
/** Score the readings an earlier OCR version cached (the directory name under readings/); nothing is read. */
const readingVersion = arg('--readings');
if (readingVersion !== undefined && (args.includes('--fresh') || readingVersion.includes('/'))) {
  process.stderr.write('--readings names a directory under the reading cache, and does not go with --fresh\n');
  process.exit(2);
}
/** Totals, per kind and per category only: no image's leaks or words (a held-out set scored again stays unread). */
const totalsOnly = args.includes('--totals');
const dump: unknown[] = [];
const env = process.env.LOG_LEVEL ? process.env : { ...process.env, LOG_LEVEL: 'WARNING' };

const started = performance.now();
const cpu0 = process.cpuUsage();
const load0 = loadavg()[0]!;
const indices = Array.from({ length: count }, (_, i) => i)
  .filter((i) => split === 'all' || splitOf(i) === split)
  .filter((i) => !kinds || kinds.includes(kindOf(i)))
  .slice(0, limit);
const images = await generateImages({
  seed,
  indices,
  photosDir,
  cacheDir,
  onProgress: (done, total, fresh) => {
    if (fresh > 0 && (done % 25 === 0 || done === total)) process.stderr.write(`generated ${done}/${total} (${fresh} new)\n`);
  },
});
const generatedMs = performance.now() - started;

const config = loadConfig(env);
const harness = await createOcrHarness(config, {
  readingCacheDir: args.includes('--fresh') ? null : path.join(cacheDir, 'readings'),
  readingVersion,
});
const scored: ScoredImage[] = new Array(images.length);
let cached = 0;
/** Faces on the photo records the stage got (the fetcher's detector), and photos it took for a card with a portrait. */
let stageFaces = 0;
let portraits = 0;
let next = 0;
let done = 0;
const readStarted = performance.now();
try {
  // One more in flight than the reader takes, so normalising the next photo overlaps reading this one.
  await Promise.all(
    Array.from({ length: harness.concurrency + 1 }, async () => {
      while (next < images.length) {
        const slot = next++;
        const { truth, path: file } = images[slot]!;
        const outcome = await harness.run(truth.id, await readFile(file));
        if (outcome.fromCache) cached++;
        stageFaces += outcome.faces;
        if (outcome.portrait) portraits++;
        const published = publishedByStage(outcome.record);
        const score = scoreImage(truth, outcome.raw, published);
        const documentType = docTypeFromText ? documentKindFromText(outcome.raw, outcome.context) : documentTypeOf(outcome.record);
        scored[slot] = { truth, score, documentType, facesBlurred: null };
        if (dumpFile) {
          dump[slot] = {
            id: truth.id,
            kind: truth.kind,
            template: truth.template,
            documentType,
            raw: outcome.raw,
            context: outcome.context,
            portrait: outcome.portrait,
            published: published.lines,
            identifiers: published.identifiers,
            // Lone particles too: a particle left beside a redacted name is part of the name.
            leaks: score.personal.filter((p) => p.leaked || p.leakedCountingParticles),
            overRedacted: score.words.filter((w) => w.read && !w.published).map((w) => w.word),
          };
        }
        if (++done % 25 === 0) process.stderr.write(`read ${done}/${images.length}\n`);
      }
    }),
  );
} finally {
  await harness.stop();
}
const readMs = performance.now() - readStarted;
if (dumpFile) await writeFile(dumpFile, `${JSON.stringify(dump, null, 1)}\n`);

// Faces: every image with a face in its ground truth goes through the fetcher's face detector and the
// llm stage against the OpenAI-compatible stand-in (faces-harness.ts); --no-faces skips it (n/a).
const facesStarted = performance.now();
let facesDetected = 0;
if (!args.includes('--no-faces')) {
  const faces = await createFacesHarness(config, env);
  try {
    for (const [slot, { truth, path: file }] of images.entries()) {
      if (truth.faces.length === 0) {
        scored[slot]!.facesBlurred = 0;
        continue;
      }
      const outcome = await faces.run(truth.id, await readFile(file), truth.faces);
      scored[slot]!.facesBlurred = outcome.blurred;
      facesDetected += outcome.detected;
    }
  } finally {
    await faces.stop();
  }
}
const facesMs = performance.now() - facesStarted;

const out = (s: string) => void process.stdout.write(s);
for (const s of (split === 'all' ? ['tune', 'holdout'] : [split]) as Split[]) {
  const part = bySplit(scored, s);
  if (part.length === 0) continue;
  out(`\n${formatTable(`split ${s} (${part.length} images)`, part)}`);
}
if (split === 'all') out(`\n${formatTable(`all (${scored.length} images)`, scored)}`);
out(`\n${formatCategories(scored)}`);
out(`\n${formatConfusion(scored)}`);
if (!totalsOnly) out(`\n${formatWorstLeaks(scored)}\n${formatOverRedacted(scored)}`);

if (args.includes('--pipeline')) await pipelineLeaks(scored);

const elapsed = (performance.now() - started) / 1000;
out(
  `\nmeasured on: split ${split}, seed ${seed}, ${scored.length} images (generator ${generatorVersionOf(seed)}, ${cacheDir}), ` +
    `engine ${harness.engine} (${Object.entries(harness.modelVersions)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}), ${harness.concurrency} photo(s) at a time on ${cpus().length} cores` +
    `${readingVersion ? `; readings cached by an earlier OCR version: ${readingVersion}` : ''}\n` +
    `time: ${elapsed.toFixed(1)} s in all (images ${(generatedMs / 1000).toFixed(1)} s, ocr stage ${(readMs / 1000).toFixed(1)} s: ` +
    `${scored.length - cached} read, ${cached} from the reading cache, ${stageFaces} faces on the photo records, ${portraits} photos with a printed portrait; faces ${(facesMs / 1000).toFixed(1)} s, ${facesDetected} found by the detector); this process used ${cpuSeconds().toFixed(0)} s of CPU; ` +
    `load average ${load0.toFixed(1)} at start, ${loadavg()[0]!.toFixed(1)} at the end (above ${cpus().length}: the machine was shared)\n`,
);
out(`${summaryLine(totals(scored))}\n`);
process.exit(0);

function cpuSeconds(): number {
  const used = process.cpuUsage(cpu0);
  return (used.user + used.system) / 1e6;
}

/** Each image as a post through the embedded pipeline; every string of post.enhanced is scanned. */
async function pipelineLeaks(images: ScoredImage[]): Promise<void> {
  const runtime = createRuntime({ logToStderr: true, env });
  const pipeline = await EmbeddedPipeline.start(runtime);
  let leaked = 0;
  let total = 0;
  const examples: string[] = [];
  try {
    const posts = images.map(({ truth }) => ({
      truth,
      ...buildPostCreatedEvent({ photoUrls: [pathToFileURL(path.join(cacheDir, truth.file)).href] }),
    }));
    for (const post of posts) await pipeline.submit(post.event);
    for (const post of posts) {
      const event = await pipeline.waitForEnrichment(post.postId).catch(() => null);
      const strings: string[] = [];
      const walk = (v: unknown): void => {
        if (typeof v === 'string') strings.push(v);
        else if (Array.isArray(v)) v.forEach(walk);
        else if (v && typeof v === 'object') Object.values(v).forEach(walk);
      };
      walk(event);
      const score = scoreImage(post.truth, [], { lines: strings, identifiers: [] });
      total += score.personal.length;
      for (const p of score.personal.filter((x) => x.leaked)) {
        leaked++;
        if (examples.length < 10)
          examples.push(`  ${post.truth.id} ${post.truth.template} ${p.category}: "${p.value}" in "${(p.where ?? '').slice(0, 60)}"`);
      }
    }
  } finally {
    await pipeline.stop();
  }
  process.stdout.write(`\npipeline (whole post.enhanced): ${leaked} of ${total} personal strings leaked\n${examples.join('\n')}\n`);
}
