// `npm run eval:match -- [--split tune|holdout] [--photos ../shared/photos] [--write DIR] [--example]`
// The matching benchmark (tools/match-bench/generate.ts): every generated photo goes through the real
// detector stage (YOLOX + NanoDet, MobileNetV2, colours, the fingerprint) and fusion into a post.enhanced
// event; each lost post is then ranked against its found gallery (the one found photo of the same
// item among every found photo of the other items) by libs/matching. Prints one line per signal alone,
// then the CPU cost of the fingerprint per photo, the time to rank 10,000 candidates, and last the
// fused score: `queries=… top1=… top5=… mrr=… auc=…`. Ranks are pessimistic: a tie counts against.
// Run --split holdout only to report: its scenes and seed were never looked at while tuning.
import { randomUUID, createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { TOPICS, type PhotoRecord, type PostEnhancedEvent, DEFAULT_THRESHOLDS } from '@media-ai/contracts';
import { manifest as sampleManifest } from '@media-ai/contracts/test-support';
import { createDetectorStage } from '@media-ai/detector-service';
import { fusePost } from '@media-ai/enrich';
import {
  MATCH_SIGNALS,
  matchProfileOf,
  rankMatches,
  scoreMatch,
  type EmbeddingPairs,
  type MatchOptions,
  type MatchProfile,
  type MatchSignal,
} from '@media-ai/matching';
import { MemoryResultCache } from '@media-ai/state';
import { MemoryBlobStore } from '@media-ai/storage/test-support';
import { decodeImage, fingerprintPhotos, loadDetectionModels, ModelManager } from '@media-ai/vision';
import { ITEMS, matchBenchmark, type BenchPhoto, type Split } from './match-bench/generate.js';

const args = process.argv.slice(2);
const arg = (name: string, fallback: string): string => (args.includes(name) ? args[args.indexOf(name) + 1]! : fallback);
const split = arg('--split', 'tune') as Split;
const photosDir = arg('--photos', '../shared/photos');
const write = arg('--write', '');
// --cache FILE keeps the analysed events: re-scoring (tuning the matcher) then needs no generation or models.
const cacheFile = arg('--cache', '');
// Tuning (tune split only): --pairs crops-first|same-kind, --weights category=0.2,embedding=0.6,...
const tuning: MatchOptions = {
  ...(args.includes('--pairs') ? { embeddingPairs: arg('--pairs', '') as EmbeddingPairs } : {}),
  ...(args.includes('--weights')
    ? {
        weights: Object.fromEntries(
          arg('--weights', '')
            .split(',')
            .map((kv) => [kv.split('=')[0]!, Number(kv.split('=')[1])]),
        ),
      }
    : {}),
};

type PhotoMeta = Omit<BenchPhoto, 'jpeg'>;
interface Analysed {
  photos: PhotoMeta[];
  events: Array<[string, PostEnhancedEvent]>;
  costs: string;
}

/** Generates the split, runs every photo through the detector stage and fusion, and measures the fingerprint's cost. */
async function analyseBenchmark(): Promise<Analysed> {
  const started = performance.now();
  const photos = await matchBenchmark(split, photosDir);
  const generatedS = (performance.now() - started) / 1000;
  if (write) {
    mkdirSync(write, { recursive: true });
    for (const p of photos) writeFileSync(path.join(write, `${p.id}.jpg`), p.jpeg);
  }

  // The real detector stage, models from ../shared/models through the ModelManager.
  const cacheDir = await mkdtemp(path.join(os.tmpdir(), 'media-ai-match-eval-'));
  const models = new ModelManager({ cacheDir, source: path.join(photosDir, '../models'), downloadTimeoutMs: 5000, allowUpstream: false });
  const loaded = await loadDetectionModels({ models });
  if (!loaded.detector || !loaded.classifier) throw new Error(`models missing: ${JSON.stringify(loaded.unavailable)}`);
  const blobs = new MemoryBlobStore();
  const stage = createDetectorStage({
    detector: loaded.detector,
    classifier: loaded.classifier,
    blobs,
    cache: new MemoryResultCache(),
    cacheTtlSeconds: 60,
    maxBatchSize: 8,
  });
  await stage.start?.();

  const sample = sampleManifest;
  const events = new Map<string, PostEnhancedEvent>();
  const analyseStarted = process.cpuUsage();
  for (let start = 0; start < photos.length; start += 8) {
    const batch = photos.slice(start, start + 8);
    const records = await Promise.all(batch.map((p) => photoRecord(blobs, p)));
    const results = await stage.handleBatch!(records, { signal: new AbortController().signal });
    results.forEach((result, i) => {
      if (result instanceof Error) throw result;
      const detections = result[0]!.value as import('@media-ai/contracts').DetectionsRecord;
      const p = batch[i]!;
      const event = fusePost({
        manifest: {
          ...sample,
          post_id: records[i]!.value.post_id,
          revision: 1,
          post_type: p.role,
          // Every post says as little as the photo shows: no words, no place or time to tell them apart.
          post_title: p.role === 'lost' ? 'Lost item' : 'Found item',
          post_description: null,
          photos: [{ ...sample.photos[0]!, photo_id: records[i]!.value.photo_id, sha256: records[i]!.value.sha256, colors: [] }],
          expected_stages: ['detector'],
          stale_before: {},
          post_details: {
            ...sample.post_details,
            photos: [{ ...sample.post_details.photos[0]!, id: records[i]!.value.photo_id }],
            photo_ids: [records[i]!.value.photo_id],
          },
          post_identifiers: [],
        },
        detections: [detections],
        texts: [],
        descriptions: [],
        thresholds: DEFAULT_THRESHOLDS,
        now: sample.received_at + 1000,
      });
      events.set(p.id, event);
    });
  }
  const analyseCpu = process.cpuUsage(analyseStarted);
  const perPhotoStageMs = (analyseCpu.user + analyseCpu.system) / 1000 / photos.length;

  // The fingerprint's own cost: the crops' embedding run and the pHash, on decoded photos with their objects.
  const costSample = photos.slice(0, 48);
  const decoded = await Promise.all(costSample.map((p) => decodeImage(p.jpeg)));
  const objects = costSample.map(
    (p) =>
      events
        .get(p.id)!
        .data.fingerprints[0]?.items.filter((i) => i.label && i.box)
        .map((i) => ({ label: i.label!, confidence: 1, box: i.box! })) ?? [],
  );
  const whole = await loaded.classifier.embed(decoded.slice(0, 1));
  await fingerprintPhotos(
    loaded.classifier,
    decoded.slice(0, 8),
    objects.slice(0, 8),
    decoded.slice(0, 8).map(() => whole[0]!),
  ); // warm
  const fpCpu = process.cpuUsage();
  const fpWall = performance.now();
  for (let s = 0; s < decoded.length; s += 8) {
    await fingerprintPhotos(
      loaded.classifier,
      decoded.slice(s, s + 8),
      objects.slice(s, s + 8),
      decoded.slice(s, s + 8).map(() => whole[0]!),
    );
  }
  const fpCpuUsed = process.cpuUsage(fpCpu);
  const fingerprintCpuMs = (fpCpuUsed.user + fpCpuUsed.system) / 1000 / decoded.length;
  const fingerprintWallMs = (performance.now() - fpWall) / decoded.length;
  await stage.stop?.();
  await rm(cacheDir, { recursive: true, force: true });

  return {
    photos: photos.map(({ jpeg: _jpeg, ...meta }) => meta),
    events: [...events],
    costs:
      `generated_s=${generatedS.toFixed(1)} detector_stage_cpu_ms_per_photo=${perPhotoStageMs.toFixed(1)} ` +
      `fingerprint_cpu_ms_per_photo=${fingerprintCpuMs.toFixed(1)} fingerprint_wall_ms_per_photo=${fingerprintWallMs.toFixed(1)} ` +
      `load_average=${os.loadavg()[0]!.toFixed(1)}`,
  };
}

const analysed: Analysed =
  cacheFile && existsSync(cacheFile) ? (JSON.parse(readFileSync(cacheFile, 'utf8')) as Analysed) : await analyseBenchmark();
if (cacheFile && !existsSync(cacheFile)) writeFileSync(cacheFile, JSON.stringify(analysed));
const photos = analysed.photos;
const profiles = new Map(analysed.events.map(([id, event]) => [id, matchProfileOf(event)]));

// Rank each lost post against its gallery.
const lost = photos.filter((p) => p.role === 'lost');
const found = photos.filter((p) => p.role === 'found');
type Line = { queries: number; top1: number; top5: number; mrr: number; auc: number };
function evaluate(signals?: readonly MatchSignal[]): Line {
  let top1 = 0;
  let top5 = 0;
  let rr = 0;
  let aucSum = 0;
  for (const q of lost) {
    const gallery = found.filter((f) => f.item !== q.item || f.index === q.index);
    const query = profiles.get(q.id)!;
    const scores = gallery.map((f) => ({
      f,
      score: scoreMatch(query, profiles.get(f.id)!, { ...tuning, ...(signals ? { signals } : {}) }).score,
    }));
    const positive = scores.find((s) => s.f.item === q.item)!.score;
    const negatives = scores.filter((s) => s.f.item !== q.item).map((s) => s.score);
    const above = negatives.filter((s) => s >= positive).length; // a tie counts against
    const rank = 1 + above;
    if (rank === 1) top1++;
    if (rank <= 5) top5++;
    rr += 1 / rank;
    aucSum += negatives.reduce((sum, s) => sum + (positive > s ? 1 : positive === s ? 0.5 : 0), 0) / negatives.length;
  }
  const n = lost.length;
  return { queries: n, top1: top1 / n, top5: top5 / n, mrr: rr / n, auc: aucSum / n };
}
const fmt = (l: Line) =>
  `queries=${l.queries} top1=${l.top1.toFixed(3)} top5=${l.top5.toFixed(3)} mrr=${l.mrr.toFixed(3)} auc=${l.auc.toFixed(3)}`;

const distractors = found.length - found.filter((f) => f.item === lost[0]!.item).length;
console.log(`split=${split} items=${ITEMS.length} lost=${lost.length} found=${found.length} distractors_per_query=${distractors}`);
console.log(`${analysed.costs}${cacheFile && existsSync(cacheFile) ? ' (analysed earlier, --cache)' : ''}`);

// 10,000 candidates for one query: the found profiles repeated under new ids, brute force over int8.
const many: MatchProfile[] = [];
for (let i = 0; many.length < 10_000; i++) many.push({ ...profiles.get(found[i % found.length]!.id)!, postId: randomUUID() });
const queryProfile = profiles.get(lost[0]!.id)!;
rankMatches(queryProfile, many.slice(0, 500));
const rankTimes: number[] = [];
for (let r = 0; r < 5; r++) {
  const t = performance.now();
  rankMatches(queryProfile, many, { ...tuning, limit: 20 });
  rankTimes.push(performance.now() - t);
}
console.log(`rank_10000_candidates_ms_median=${rankTimes.sort((a, b) => a - b)[2]!.toFixed(0)} (brute force, int8 cosine, 5 runs)`);

if (args.includes('--example')) {
  const q = lost[0]!;
  const gallery = found.filter((f) => f.item !== q.item || f.index === q.index).map((f) => profiles.get(f.id)!);
  const idOf = new Map([...profiles].map(([id, p]) => [p.postId, id]));
  console.log(`example: lost ${q.id} (${ITEMS[q.item]!.file})`);
  for (const r of rankMatches(profiles.get(q.id)!, gallery, { ...tuning, limit: 3 })) {
    console.log(`  ${r.score.toFixed(3)} ${idOf.get(r.postId)} ${JSON.stringify(r.signals)}\n    ${r.reasons.join('\n    ')}`);
  }
}

for (const signal of MATCH_SIGNALS) console.log(`signal=${signal} ${fmt(evaluate([signal]))}`);
console.log(`signal=fused ${fmt(evaluate())}`);

async function photoRecord(blobs: MemoryBlobStore, p: BenchPhoto) {
  const sha256 = createHash('sha256').update(p.jpeg).digest('hex');
  await blobs.put(sha256, p.jpeg);
  const value: PhotoRecord = {
    post_id: randomUUID(),
    photo_id: randomUUID(),
    revision: 1,
    sha256,
    blob_key: sha256,
    content_type: 'image/jpeg',
    width: 0,
    height: 0,
    original_width: 0,
    original_height: 0,
    byte_length: p.jpeg.length,
    colors: [],
    post_title: null,
    post_description: null,
    post_type: p.role,
    correlation_id: null,
  };
  return { topic: TOPICS.photos, partition: 0, offset: '0', key: value.post_id, value, headers: {}, timestamp: 0 };
}
