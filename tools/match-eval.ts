// `npm run eval:match -- [--split tune|holdout] [--photos ../shared/photos] [--write DIR] [--example] [--local ...]`
// The matching benchmark (tools/match-bench/generate.ts): every generated photo goes through the real
// detector stage (YOLOX + NanoDet, MobileNetV2, colours, the fingerprint) and fusion into a post.enhanced
// event; each lost post is then ranked against the gallery of every found photo (one per item: the
// query's own item once, every distractor another item) by libs/matching. Prints one line per signal alone,
// then the CPU cost of the fingerprint per photo, the time to rank 10,000 candidates, and last the
// fused score: `queries=… top1=… top5=… mrr=… auc=…`. Ranks are pessimistic: a tie counts against.
// Run --split holdout only to report: its scenes and seed were never looked at while tuning.
// --local measures instance matching by local features (ORB + RANSAC) as a re-rank of the top-K (localRerank).
import { randomUUID, createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { TOPICS, type Box, type PhotoFingerprint, type PhotoRecord, type PostEnhancedEvent, DEFAULT_THRESHOLDS } from '@media-ai/contracts';
import { manifest as sampleManifest } from '@media-ai/contracts/test-support';
import { createDetectorStage } from '@media-ai/detector-service';
import { fusePost } from '@media-ai/enrich';
import {
  MATCH_SIGNALS,
  MATCH_WEIGHTS,
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
import {
  decodeImage,
  CLASSIFIER_CROP,
  encodeEmbedding,
  fingerprintOptionsNamed,
  fingerprintPhotos,
  itemCellsOf,
  loadDetectionModels,
  maskedMeanMax,
  NEUTRAL,
  ITEM_IMAGE_SIDE,
  ModelManager,
  salientObject,
  SALIENT_OBJECT_LABEL,
  type BoxedObject,
  type DecodedImage,
  type FingerprintOptions,
  type PhotoEmbedder,
  type SalientRegion,
} from '@media-ai/vision';
import { localFeatures, openCv, verifiedMatches, type LocalFeatures, type Verified } from './match-bench/local-features.js';
import { MATCH_BENCHMARK_VERSION, matchBenchmark, type BenchItem, type BenchPhoto, type Split } from './match-bench/generate.js';

const args = process.argv.slice(2);
const arg = (name: string, fallback: string): string => (args.includes(name) ? args[args.indexOf(name) + 1]! : fallback);
const split = arg('--split', 'tune') as Split;
const photosDir = arg('--photos', '../shared/photos');
const write = arg('--write', '');
// --cache FILE keeps the analysed events: re-scoring (tuning the matcher) then needs no generation or models.
const cacheFile = arg('--cache', '');
// --local: re-rank each query's top-K by local features (ORB + RANSAC inliers) of the item crops in --crops DIR.
const cropDir = arg('--crops', path.join(os.tmpdir(), `media-ai-match-crops-${split}`));
// Tuning (tune split only): --pairs crops|same-kind, --weights category=0.2,embedding=0.6,...
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

// --local: OpenCV's load first, in a fresh process, so its CPU and the memory it adds are its own.
if (args.includes('--local')) {
  const loadCpu = process.cpuUsage();
  const loadRss = process.memoryUsage().rss;
  const loadWall = performance.now();
  await openCv();
  const loadUsed = process.cpuUsage(loadCpu);
  console.log(
    `opencv_load_cpu_ms=${((loadUsed.user + loadUsed.system) / 1000).toFixed(0)} opencv_load_wall_ms=${(performance.now() - loadWall).toFixed(0)} ` +
      `opencv_rss_added_mb=${((process.memoryUsage().rss - loadRss) / 1e6).toFixed(0)} load_average=${os.loadavg()[0]!.toFixed(1)}`,
  );
}

type PhotoMeta = Omit<BenchPhoto, 'jpeg' | 'itemPixels' | 'camera'> & Partial<Pick<BenchPhoto, 'camera'>>;
interface Analysed {
  version: number;
  items: BenchItem[];
  photos: PhotoMeta[];
  events: Array<[string, PostEnhancedEvent]>;
  /** --ablate: each photo's fingerprint with its crop unmasked (letterboxed only), for the mask's A/B. */
  unmasked: Array<[string, PhotoFingerprint]>;
  /** --layers: each photo's crop embedding per variant (global, alone:<map>, concat:<map>), encoded as published. */
  layerCrops?: Array<[string, Record<string, string>]>;
  costs: string;
  /** Each photo's detected objects as the detector stage recorded them (what the fingerprint chose its crop from). */
  objects?: Array<[string, BoxedObject[]]>;
}

/** Generates the split, runs every photo through the detector stage and fusion, and measures the fingerprint's cost. */
async function analyseBenchmark(): Promise<Analysed> {
  const started = performance.now();
  const { items, photos } = await matchBenchmark(split, photosDir);
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
  const detectedObjects: Array<[string, BoxedObject[]]> = [];
  const analyseStarted = process.cpuUsage();
  for (let start = 0; start < photos.length; start += 8) {
    const batch = photos.slice(start, start + 8);
    const records = await Promise.all(batch.map((p) => photoRecord(blobs, p)));
    const results = await stage.handleBatch!(records, { signal: new AbortController().signal });
    results.forEach((result, i) => {
      if (result instanceof Error) throw result;
      const detections = result[0]!.value as import('@media-ai/contracts').DetectionsRecord;
      const p = batch[i]!;
      detectedObjects.push([p.id, detections.objects.map(({ label, confidence, box }) => ({ label, confidence, box }))]);
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

  // The fingerprint's own cost: the item images (mask, letterbox, colour histogram), the crops'
  // embedding run and the pHash, on decoded photos with their detected objects and salient objects
  // (measured before the clock starts: the salient object is the colour step's, issue 20, not the fingerprint's).
  // --ablate: every photo's fingerprint again without the salient mask, to compare the embedding alone.
  const costPhotos = args.includes('--ablate') || args.includes('--layers') || args.includes('--local') ? photos : photos.slice(0, 48);
  const decoded: DecodedImage[] = [];
  const objects: BoxedObject[][] = [];
  const regions: Array<SalientRegion | null> = [];
  for (const p of costPhotos) {
    const image = await decodeImage(p.jpeg);
    decoded.push(image);
    const items = events.get(p.id)!.data.fingerprints[0]?.items ?? [];
    objects.push(
      items
        .filter((i) => i.label && i.label !== SALIENT_OBJECT_LABEL && i.box)
        .map((i) => ({ label: i.label!, confidence: 1, box: i.box! })),
    );
    const salient = salientObject(image);
    regions.push(salient ? { box: salient.box, mask: salient.mask } : null);
  }
  const whole = await loaded.classifier.embed(decoded.slice(0, 1));
  const fingerprintSlice = (s: number, e: number, masked: boolean) =>
    fingerprintPhotos(
      loaded.classifier!,
      decoded.slice(s, e),
      objects.slice(s, e),
      decoded.slice(s, e).map(() => whole[0]!),
      regions.slice(s, e).map((r) => (r && !masked ? { ...r, mask: null } : r)),
    );
  await fingerprintSlice(0, 8, true); // warm
  const timed = Math.min(48, decoded.length);
  const fpCpu = process.cpuUsage();
  const fpWall = performance.now();
  for (let s = 0; s < timed; s += 8) await fingerprintSlice(s, Math.min(timed, s + 8), true);
  const fpCpuUsed = process.cpuUsage(fpCpu);
  const fingerprintCpuMs = (fpCpuUsed.user + fpCpuUsed.system) / 1000 / timed;
  const fingerprintWallMs = (performance.now() - fpWall) / timed;
  const unmasked: Array<[string, PhotoFingerprint]> = [];
  if (args.includes('--ablate')) {
    for (let s = 0; s < decoded.length; s += 8) {
      (await fingerprintSlice(s, s + 8, false)).forEach((f, i) => unmasked.push([costPhotos[s + i]!.id, f]));
    }
  }
  const layerCrops: Array<[string, Record<string, string>]> = [];
  if (args.includes('--layers')) {
    // Every crop again, its vector per intermediate feature map pooled over the item's cells: alone,
    // and concatenated with the global pool (each unit length: the cosine is the mean of the two).
    const recorded: Array<Record<string, string>> = [];
    const layerEmbedder: PhotoEmbedder = {
      embeddingModel: loaded.classifier.embeddingModel,
      async embed(images) {
        const { embeddings, maps } = await loaded.classifier!.embedWithFeatureMaps(images);
        images.forEach((image, i) => {
          const global = unit(embeddings[i]!);
          const variants: Record<string, string> = { global: encodeEmbedding(global) };
          for (const [name, map] of Object.entries(maps[i]!)) {
            const own = maskedMeanMax(map, itemCellsOf(image, map.height, map.width, CLASSIFIER_CROP));
            variants[`alone:${name}`] = encodeEmbedding(own);
            const both = new Float32Array(global.length + own.length);
            both.set(global);
            both.set(own, global.length);
            variants[`concat:${name}`] = encodeEmbedding(both);
          }
          recorded.push(variants);
        });
        return embeddings;
      },
    };
    for (let s = 0; s < decoded.length; s += 8) {
      const slice = (await fingerprintPhotos(
        layerEmbedder,
        decoded.slice(s, s + 8),
        objects.slice(s, s + 8),
        decoded.slice(s, s + 8).map(() => whole[0]!),
        regions.slice(s, s + 8),
      )) as PhotoFingerprint[];
      slice.forEach((f, i) => {
        if (f.items.some((item) => item.label !== null)) layerCrops.push([costPhotos[s + i]!.id, recorded.shift()!]);
      });
    }
  }
  if (args.includes('--local')) {
    // Every photo's item crop as the fingerprint draws it (the masked 256-px square the embedding sees),
    // kept raw in --crops DIR for the local-feature measurement (ORB needs pixels the events do not carry).
    await rm(cropDir, { recursive: true, force: true }); // no crop of an earlier run may stand in for a photo without one
    mkdirSync(cropDir, { recursive: true });
    for (let s = 0; s < decoded.length; s += 8) {
      const drawn: DecodedImage[] = [];
      const recorder: PhotoEmbedder = {
        embeddingModel: loaded.classifier.embeddingModel,
        embed: async (images) => (drawn.push(...images), images.map(() => new Float32Array(1))), // the vectors are not used here
      };
      const fingerprints = await fingerprintPhotos(recorder, decoded.slice(s, s + 8), objects.slice(s, s + 8), [], regions.slice(s, s + 8));
      // Only the photos with an item crop reach the embedder, in input order.
      fingerprints.forEach((f, i) => {
        if (f.items.some((item) => item.label !== null))
          writeFileSync(path.join(cropDir, `${costPhotos[s + i]!.id}.rgb`), drawn.shift()!.data);
      });
    }
  }
  await stage.stop?.();
  await rm(cacheDir, { recursive: true, force: true });

  return {
    version: MATCH_BENCHMARK_VERSION,
    items,
    photos: photos.map(({ jpeg: _jpeg, itemPixels: _pixels, ...meta }) => meta),
    events: [...events],
    unmasked,
    layerCrops,
    objects: detectedObjects,
    costs:
      `generated_s=${generatedS.toFixed(1)} detector_stage_cpu_ms_per_photo=${perPhotoStageMs.toFixed(1)} ` +
      `fingerprint_cpu_ms_per_photo=${fingerprintCpuMs.toFixed(1)} fingerprint_wall_ms_per_photo=${fingerprintWallMs.toFixed(1)} ` +
      `load_average=${os.loadavg()[0]!.toFixed(1)}`,
  };
}

const cached = cacheFile && existsSync(cacheFile) ? (JSON.parse(readFileSync(cacheFile, 'utf8')) as Analysed) : null;
// A cache from before photos carried their paste box cannot say whether a crop is the item: analysed again.
const analysed: Analysed = cached?.version === MATCH_BENCHMARK_VERSION && cached.photos[0]?.pasteBox ? cached : await analyseBenchmark();
if (cacheFile && analysed !== cached) writeFileSync(cacheFile, JSON.stringify(analysed));
const { photos, items } = analysed;
const events: Array<[string, PostEnhancedEvent]> = analysed.events;
const profiles = new Map(events.map(([id, event]) => [id, matchProfileOf(event)]));

// Rank each lost post against the gallery: every found photo, one per item. The benchmark is
// well-posed only if the query's own item is in it exactly once (its answer): checked, not assumed.
const lost = photos.filter((p) => p.role === 'lost');
const found = photos.filter((p) => p.role === 'found');
for (const q of lost) {
  const own = found.filter((f) => f.item === q.item).length;
  if (own !== 1) throw new Error(`ill-posed: query ${q.id} has ${own} photos of its own item in the gallery`);
}
type Line = { queries: number; top1: number; top5: number; mrr: number; auc: number };
function evaluate(
  signals?: readonly MatchSignal[],
  using: ReadonlyMap<string, MatchProfile> = profiles,
  queries: readonly PhotoMeta[] = lost,
): Line {
  let top1 = 0;
  let top5 = 0;
  let rr = 0;
  let aucSum = 0;
  for (const q of queries) {
    const gallery = found;
    const query = using.get(q.id)!;
    const scores = gallery.map((f) => ({
      f,
      score: scoreMatch(query, using.get(f.id)!, { ...tuning, ...(signals ? { signals } : {}) }).score,
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
  const n = queries.length;
  return { queries: n, top1: top1 / n, top5: top5 / n, mrr: rr / n, auc: aucSum / n };
}
const fmt = (l: Line) =>
  `queries=${l.queries} top1=${l.top1.toFixed(3)} top5=${l.top5.toFixed(3)} mrr=${l.mrr.toFixed(3)} auc=${l.auc.toFixed(3)}`;

const sameKind = lost.reduce((n, q) => n + found.filter((f) => f.item !== q.item && items[f.item]!.kind === items[q.item]!.kind).length, 0);
console.log(
  `benchmark=v${MATCH_BENCHMARK_VERSION} split=${split} items=${items.length} lost=${lost.length} found=${found.length} ` +
    `distractors_per_query=${found.length - 1} same_kind_distractors_per_query=${(sameKind / lost.length).toFixed(0)}`,
);
console.log(`${analysed.costs}${analysed === cached ? ' (analysed earlier, --cache)' : ''}`);

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
  const gallery = found.map((f) => profiles.get(f.id)!);
  const idOf = new Map([...profiles].map(([id, p]) => [p.postId, id]));
  console.log(`example: lost ${q.id} (${items[q.item]!.name})`);
  for (const r of rankMatches(profiles.get(q.id)!, gallery, { ...tuning, limit: 3 })) {
    console.log(
      `  ${r.score.toFixed(3)} ${idOf.get(r.postId)} (${items[photos.find((p) => p.id === idOf.get(r.postId))!.item]!.name}) ${JSON.stringify(r.signals)}\n    ${r.reasons.join('\n    ')}`,
    );
  }
}

if (args.includes('--learn-weights')) {
  if (split !== 'tune') throw new Error('weights are learnt on the tune split only');
  if (!args.includes('--rank')) console.log(`learnt_weights=${learnWeights()}`);
  console.log(`learnt_rank_weights=${learnRankWeights()}`);
}
if (analysed.unmasked?.length) {
  // The mask's A/B: the same photos' embeddings with the crop letterboxed but not masked.
  const fingerprints = new Map(analysed.unmasked);
  const unmaskedProfiles = new Map(
    analysed.events.map(([id, event]) => [
      id,
      matchProfileOf({
        ...event,
        data: { ...event.data, fingerprints: [withUnmaskedCrop(event.data.fingerprints[0]!, fingerprints.get(id)!)] },
      }),
    ]),
  );
  console.log(`signal=embedding-unmasked ${fmt(evaluate(['embedding'], unmaskedProfiles))}`);
  console.log(`signal=histogram-unmasked ${fmt(evaluate(['histogram'], unmaskedProfiles))}`);
}
if (analysed.layerCrops?.length) {
  // The layers' A/B: the same photos' crop embedding replaced by each variant (the whole photo's stays).
  const byPhoto = new Map(analysed.layerCrops);
  for (const variant of Object.keys(analysed.layerCrops[0]![1])) {
    const variantProfiles = new Map(
      analysed.events.map(([id, event]) => {
        const crop = byPhoto.get(id)?.[variant];
        const published = event.data.fingerprints[0]!;
        const items = published.items.map((i) => (i.label !== null && crop ? { ...i, embedding: crop } : i));
        return [id, matchProfileOf({ ...event, data: { ...event.data, fingerprints: [{ ...published, items }] } })];
      }),
    );
    console.log(`layer=${variant} embedding ${fmt(evaluate(['embedding'], variantProfiles))}`);
    console.log(`layer=${variant} fused ${fmt(evaluate(undefined, variantProfiles))}`);
  }
}
for (const signal of MATCH_SIGNALS) console.log(`signal=${signal} ${fmt(evaluate([signal]))}`);
// The fused score by where the query's item came from: a photo's cut-out or a generated drawing.
const fromPhotos = lost.filter((q) => !items[q.item]!.name.startsWith('generated-'));
console.log(`fused_photo_items ${fmt(evaluate(undefined, profiles, fromPhotos))}`);
console.log(
  `fused_generated_items ${fmt(
    evaluate(
      undefined,
      profiles,
      lost.filter((q) => !fromPhotos.includes(q)),
    ),
  )}`,
);
console.log(`signal=fused ${fmt(evaluate())}`);
reportCrops();
if (args.includes('--local')) await localRerank();
let variantInputs: Promise<{
  generated: BenchPhoto[];
  decoded: DecodedImage[];
  regions: Array<SalientRegion | null>;
  classifier: PhotoEmbedder;
}> | null = null;

// --variants A;B;...: every photo's fingerprint made again under each FingerprintOptions (variantOptions), then scored.
if (args.includes('--variants'))
  for (const name of arg('--variants', 'none').split(';')) {
    const variantEvents = await reFingerprinted(variantOptions(name));
    reportVariant(name, variantEvents);
    reportFailures(name, variantEvents, (await variantInputsOnce()).generated);
  }

/**
 * Which queries a variant misses at top-1 (fused and the embedding alone), as counts `missed/queries` per group:
 * the item's source and kind, whether what outranked it is of the item's kind (a same-category distractor), and
 * the found photo's draws against the lost one's (mirrored relative to it, turned past 45°, blurred, JPEG quality
 * under 50, the item's side changed by more than a quarter).
 */
function reportFailures(name: string, variantEvents: Array<[string, PostEnhancedEvent]>, generated: readonly BenchPhoto[]): void {
  const using = new Map(variantEvents.map(([id, event]) => [id, matchProfileOf(event)]));
  const camera = new Map(generated.map((p) => [p.id, p.camera]));
  const ownFound = new Map(found.map((f) => [f.item, f.id]));
  for (const signals of [undefined, ['embedding'] as MatchSignal[]]) {
    const groups = new Map<string, [number, number]>();
    const count = (group: string, missed: boolean) => {
      const [m, n] = groups.get(group) ?? [0, 0];
      groups.set(group, [m + (missed ? 1 : 0), n + 1]);
    };
    for (const q of lost) {
      const query = using.get(q.id)!;
      const scored = found.map((f) => ({
        f,
        score: scoreMatch(query, using.get(f.id)!, { ...tuning, ...(signals ? { signals } : {}) }).score,
      }));
      const positive = scored.find((x) => x.f.item === q.item)!.score;
      const above = scored.filter((x) => x.f.item !== q.item && x.score >= positive).sort((a, b) => b.score - a.score);
      const missed = above.length > 0;
      const kind = items[q.item]!.kind;
      const lostCamera = camera.get(q.id)!;
      const foundCamera = camera.get(ownFound.get(q.item)!)!;
      count('all', missed);
      count(items[q.item]!.name.startsWith('generated-') ? 'source=generated' : 'source=photo', missed);
      count(`kind=${kind}`, missed);
      if (missed) count(items[above[0]!.f.item]!.kind === kind ? 'missed_top_wrong=same_kind' : 'missed_top_wrong=other_kind', true);
      count(`mirrored=${lostCamera.flopped !== foundCamera.flopped}`, missed);
      count(`turned_over_45=${Math.abs(foundCamera.angle - lostCamera.angle) > 45}`, missed);
      count(`found_blurred=${foundCamera.blurred}`, missed);
      count(`found_quality_under_50=${foundCamera.quality < 50}`, missed);
      const ratio = foundCamera.side / lostCamera.side;
      count(`side_changed_over_25pct=${ratio < 0.8 || ratio > 1.25}`, missed);
    }
    console.log(
      `variant=${name} top1_missed_by ${signals ? 'embedding' : 'fused'} ` +
        [...groups]
          .sort((a, b) => a[0].localeCompare(b[0]))
          .map(([g, [m, n]]) => (g.startsWith('missed_top_wrong') ? `${g}:${m}` : `${g}:${m}/${n}`))
          .join(' '),
    );
  }
}

/**
 * One variant's figures: fused and embedding alone (all queries, and split by the main crops being right),
 * the histogram alone. `none` is main's fingerprint made again the same way: a variant's reference (the
 * stage rounds the detected boxes before they are recorded, so it may differ from the published one by a hair).
 */
function reportVariant(name: string, variantEvents: Array<[string, PostEnhancedEvent]>): void {
  const using = new Map(variantEvents.map(([id, event]) => [id, matchProfileOf(event)]));
  const mainRight = new Map(
    variantEvents.map(([id, event]) => {
      const crop = event.data.fingerprints[0]?.items.find((i) => i.label !== null);
      return [id, crop?.box ? boxIou(crop.box, photos.find((p) => p.id === id)!.pasteBox) >= 0.5 : false];
    }),
  );
  const ownFound = new Map(found.map((f) => [f.item, f.id]));
  const bothRight = lost.filter((q) => mainRight.get(q.id) && mainRight.get(ownFound.get(q.item)!));
  const bothWrong = lost.filter((q) => !mainRight.get(q.id) && !mainRight.get(ownFound.get(q.item)!));
  console.log(`variant=${name} fused ${fmt(evaluate(undefined, using))}`);
  console.log(`variant=${name} embedding ${fmt(evaluate(['embedding'], using))}`);
  console.log(`variant=${name} histogram ${fmt(evaluate(['histogram'], using))}`);
  // The signals the crop does not make (the post's, the whole photo's): the same in every variant, printed to read each table whole.
  for (const signal of MATCH_SIGNALS.filter((s) => s !== 'embedding' && s !== 'histogram'))
    console.log(`variant=${name} ${signal} ${fmt(evaluate([signal], using))}`);
  console.log(`variant=${name} both_right fused ${fmt(evaluate(undefined, using, bothRight))}`);
  console.log(`variant=${name} both_wrong fused ${fmt(evaluate(undefined, using, bothWrong))}`);
  if (!variantEvents.some(([, e]) => e.data.fingerprints[0]!.items.filter((i) => i.label !== null).length > 1)) return;
  // With alternate crops: how much a pair with one must beat the main crops' (the matcher's alternatePenalty), their histograms too or not.
  const base = { ...tuning };
  for (const histograms of [false, true]) {
    for (const penalty of [0, 0.02, 0.05, 0.1]) {
      tuning.alternatePenalty = penalty;
      tuning.alternateHistograms = histograms;
      console.log(
        `variant=${name} penalty=${penalty} alternate_histograms=${histograms} fused ${fmt(evaluate(undefined, using))} | embedding ${fmt(evaluate(['embedding'], using))}`,
      );
    }
  }
  delete tuning.alternatePenalty;
  delete tuning.alternateHistograms;
  Object.assign(tuning, base);
}

/**
 * Whether the fingerprint cropped the item: its crop box against where the generator pasted it (IoU >= 0.5).
 * Prints the rate per role, what the wrong crops were labelled, and top-1 split by the query's and its
 * own found photo's crop being right or wrong (fused and the embedding alone).
 */
function reportCrops(): void {
  const right = new Map<string, boolean>();
  const wrongLabels = new Map<string, number>();
  for (const p of photos) {
    const crop = events.find(([id]) => id === p.id)![1].data.fingerprints[0]?.items.find((i) => i.label !== null);
    const ok = crop?.box ? boxIou(crop.box, p.pasteBox) >= 0.5 : false;
    right.set(p.id, ok);
    if (!ok) {
      const label = crop?.label ?? 'none (whole photo)';
      wrongLabels.set(label, (wrongLabels.get(label) ?? 0) + 1);
    }
  }
  const rate = (list: readonly PhotoMeta[]) => list.filter((p) => right.get(p.id)).length / list.length;
  console.log(
    `crop_correct all=${rate(photos).toFixed(3)} lost=${rate(lost).toFixed(3)} found=${rate(found).toFixed(3)} (IoU of the crop box with the paste box >= 0.5) ` +
      `wrong_crop_labels=${[...wrongLabels]
        .sort((a, b) => b[1] - a[1])
        .map(([l, n]) => `${l}:${n}`)
        .join(',')}`,
  );
  const ownFound = new Map(found.map((f) => [f.item, f.id]));
  const groups: Array<[string, (q: PhotoMeta) => boolean]> = [
    ['both_right', (q) => right.get(q.id)! && right.get(ownFound.get(q.item)!)!],
    ['query_wrong', (q) => !right.get(q.id) && right.get(ownFound.get(q.item)!)!],
    ['found_wrong', (q) => right.get(q.id)! && !right.get(ownFound.get(q.item)!)],
    ['both_wrong', (q) => !right.get(q.id) && !right.get(ownFound.get(q.item)!)],
  ];
  for (const [name, test] of groups) {
    const queries = lost.filter(test);
    if (queries.length === 0) continue;
    console.log(`crops=${name} fused ${fmt(evaluate(undefined, profiles, queries))}`);
    console.log(`crops=${name} embedding ${fmt(evaluate(['embedding'], profiles, queries))}`);
  }
}

function boxIou(a: Box, b: Box): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  if (w <= 0 || h <= 0) return 0;
  return (w * h) / (a.width * a.height + b.width * b.height - w * h);
}

function unit(v: Float32Array): Float32Array {
  let norm = 0;
  for (const x of v) norm += x * x;
  norm = Math.sqrt(norm) || 1;
  return v.map((x) => x / norm);
}

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

/** The published fingerprint with its crop's embedding and histogram from the unmasked run (the whole photo's stays). */
function withUnmaskedCrop<T extends PhotoFingerprint>(published: T, unmasked: PhotoFingerprint): T {
  const crop = unmasked.items.find((i) => i.label !== null);
  return { ...published, items: published.items.map((i) => (i.label !== null && crop ? crop : i)) };
}

/**
 * Logistic regression of "same item" on the signal values of every (query, candidate) pair of the
 * tune split (a missing signal counts 0), positives weighted up to the negatives' total; plain batch
 * gradient descent with a little L2 (8 features: no library needed). The coefficients, negatives
 * clamped to 0 and scaled so the largest is 1, are the fused score's weights (MATCH_WEIGHTS).
 */
function learnWeights(): string {
  const rows: Array<{ x: number[]; y: number }> = [];
  for (const q of lost) {
    for (const f of found) {
      const { signals } = scoreMatch(profiles.get(q.id)!, profiles.get(f.id)!, tuning);
      rows.push({ x: MATCH_SIGNALS.map((name) => signals[name] ?? 0), y: f.item === q.item ? 1 : 0 });
    }
  }
  const positives = rows.filter((r) => r.y === 1).length;
  const up = (rows.length - positives) / positives;
  const w = MATCH_SIGNALS.map(() => 0);
  let bias = 0;
  for (let step = 0; step < 3000; step++) {
    const grad = w.map(() => 0);
    let gradBias = 0;
    let total = 0;
    for (const { x, y } of rows) {
      const z = bias + x.reduce((sum, v, k) => sum + v * w[k]!, 0);
      const error = (1 / (1 + Math.exp(-z)) - y) * (y === 1 ? up : 1);
      x.forEach((v, k) => (grad[k]! += error * v));
      gradBias += error;
      total += y === 1 ? up : 1;
    }
    w.forEach((_, k) => (w[k] = w[k]! - 2 * (grad[k]! / total + 1e-4 * w[k]!)));
    bias -= (2 * gradBias) / total;
  }
  const top = Math.max(...w.map((v) => Math.max(0, v))) || 1;
  return (
    MATCH_SIGNALS.map((name, k) => `${name}=${(Math.max(0, w[k]!) / top).toFixed(3)}`).join(',') +
    ` (bias ${bias.toFixed(2)}, raw ${w.map((v) => v.toFixed(2)).join(' ')})`
  );
}

/**
 * The same, learnt for ranking: within each query, the logistic loss of the fused score's difference
 * (the weighted mean over the signals both posts carry, as scoreMatch computes it; temperature 0.05)
 * between its right candidate and each distractor, plain batch gradient descent from MATCH_WEIGHTS.
 * Only signals that vary on the benchmark are learnt; the rest and the 0.05 floors are set by hand.
 */
function learnRankWeights(): string {
  const learnt = new Set<MatchSignal>(['category', 'color', 'text', 'embedding', 'photo', 'histogram']);
  const floor = (name: MatchSignal) => (name === 'category' || name === 'color' ? 0.05 : 0.001);
  const T = 0.05;
  type Pair = { x: number[]; c: number[] };
  const pairOf = (q: PhotoMeta, f: PhotoMeta): Pair => {
    const { signals } = scoreMatch(profiles.get(q.id)!, profiles.get(f.id)!, tuning);
    return { x: MATCH_SIGNALS.map((n) => signals[n] ?? 0), c: MATCH_SIGNALS.map((n) => (signals[n] === null ? 0 : 1)) };
  };
  const queries = lost.map((q) => ({
    right: pairOf(
      q,
      found.find((f) => f.item === q.item)!,
    ),
    wrong: found.filter((f) => f.item !== q.item).map((f) => pairOf(q, f)),
  }));
  const w = MATCH_SIGNALS.map((n) => MATCH_WEIGHTS[n]);
  // The fused score and its gradient in w: d(sum/total)/dw_k = c_k (x_k - score) / total.
  const fused = ({ x, c }: Pair) => {
    let sum = 0;
    let total = 0;
    x.forEach((v, k) => ((sum += c[k]! * w[k]! * v), (total += c[k]! * w[k]!)));
    const score = total > 0 ? sum / total : 0;
    return { score, grad: x.map((v, k) => (total > 0 ? (c[k]! * (v - score)) / total : 0)) };
  };
  let loss = 0;
  for (let step = 0; step < 400; step++) {
    const grad = w.map(() => 0);
    loss = 0;
    let n = 0;
    for (const { right, wrong } of queries) {
      const r = fused(right);
      for (const p of wrong) {
        const d = fused(p);
        const margin = (r.score - d.score) / T;
        loss += Math.log1p(Math.exp(-margin));
        const pull = 1 / (1 + Math.exp(margin)) / T;
        w.forEach((_, k) => (grad[k]! -= pull * (r.grad[k]! - d.grad[k]!)));
        n++;
      }
    }
    loss /= n;
    MATCH_SIGNALS.forEach((name, k) => {
      if (learnt.has(name)) w[k] = Math.max(floor(name), w[k]! - 0.5 * (grad[k]! / n));
    });
    const top = Math.max(...MATCH_SIGNALS.map((name, k) => (learnt.has(name) ? w[k]! : 0)));
    MATCH_SIGNALS.forEach((name, k) => learnt.has(name) && (w[k] = Math.max(floor(name), w[k]! / top)));
  }
  return MATCH_SIGNALS.map((name, k) => `${name}=${w[k]!.toFixed(3)}`).join(',') + ` (pairwise loss ${loss.toFixed(4)})`;
}

/**
 * --local: each query's top-K gallery photos by the fused score re-ranked with the local-feature
 * signal (ORB inliers under a RANSAC affine map or homography between the two item crops), for a grid
 * of weights; also the signal alone within the top-K and (with --local-all) over the whole gallery, the
 * top-K's recall, and the costs (OpenCV's load, ORB per crop, a verified pair).
 * --local-k K (30), --local-features N (300), --local-levels L (4), --local-unmasked (keypoints on the
 * neutral fill too), --local-model affine|homography and --local-px P (affine, 3), --local-mirror (each
 * query's crop also mirrored), --local-cap C (30) and --local-grid (floors 0-8 and cap 15 too): the
 * bonus is weight × min(1, max(0, inliers - floor) / (cap - floor)), added within the top-K only.
 */
async function localRerank(): Promise<void> {
  const k = Number(arg('--local-k', '30'));
  const cap = Number(arg('--local-cap', '30'));
  const options = {
    features: Number(arg('--local-features', '300')),
    levels: Number(arg('--local-levels', '4')),
    ...(args.includes('--local-unmasked') ? {} : { neutral: NEUTRAL }),
  };
  // Affine within 3 px: on tune its chance inliers among other items were fewer than the homography's at 6 px (p95 11 against 15-17).
  const verifyOptions = { model: arg('--local-model', 'affine') as 'homography' | 'affine', px: Number(arg('--local-px', '3')) };
  // --local-mirror: a query's crop is also matched mirrored (the benchmark flops half its pastes; a real photo never mirrors).
  const mirror = args.includes('--local-mirror');
  const mirroredFeatures = new Map<string, LocalFeatures>();
  const features = new Map<string, LocalFeatures>();
  const crops = photos.filter((p) => existsSync(path.join(cropDir, `${p.id}.rgb`)));
  if (!crops.length) throw new Error(`no item crops in ${cropDir}: run once with --local and without --cache`);
  for (const p of crops.slice(0, 8))
    await localFeatures(
      { data: readFileSync(path.join(cropDir, `${p.id}.rgb`)), width: ITEM_IMAGE_SIDE, height: ITEM_IMAGE_SIDE },
      options,
    );
  let orbCpu = 0;
  let keypoints = 0;
  for (const p of crops) {
    const data = readFileSync(path.join(cropDir, `${p.id}.rgb`));
    const before = process.cpuUsage();
    const f = await localFeatures({ data, width: ITEM_IMAGE_SIDE, height: ITEM_IMAGE_SIDE }, options);
    const used = process.cpuUsage(before);
    orbCpu += (used.user + used.system) / 1000;
    keypoints += f.points.length / 2;
    features.set(p.id, f);
    if (mirror && p.role === 'lost')
      mirroredFeatures.set(
        p.id,
        await localFeatures({ data, width: ITEM_IMAGE_SIDE, height: ITEM_IMAGE_SIDE }, { ...options, mirrored: true }),
      );
  }
  console.log(
    `local_features=orb features=${options.features} levels=${options.levels} masked=${options.neutral ? 'yes' : 'no'} mirror=${mirror ? 'query' : 'no'} ` +
      `verify=${verifyOptions.model} px=${verifyOptions.px} crops=${crops.length}/${photos.length} ` +
      `orb_cpu_ms_per_crop=${(orbCpu / crops.length).toFixed(2)} keypoints_per_crop=${(keypoints / crops.length).toFixed(0)} load_average=${os.loadavg()[0]!.toFixed(1)}`,
  );
  const none: Verified = { matches: 0, inliers: 0 };
  let pairs = 0;
  let pairCpu = 0;
  const verify = async (a: string, b: string): Promise<Verified> => {
    const fa = features.get(a);
    const fb = features.get(b);
    if (!fa || !fb) return none;
    const before = process.cpuUsage();
    let v = await verifiedMatches(fa, fb, verifyOptions);
    const fm = mirroredFeatures.get(a);
    if (fm) {
      const m = await verifiedMatches(fm, fb, verifyOptions);
      if (m.inliers > v.inliers) v = m;
    }
    const used = process.cpuUsage(before);
    pairCpu += (used.user + used.system) / 1000;
    pairs++;
    return v;
  };
  type Row = { f: PhotoMeta; fused: number; inliers: number };
  const perQuery: Array<{ q: PhotoMeta; rows: Row[] }> = [];
  let inTopK = 0;
  const positives: number[] = [];
  const negatives: number[] = [];
  for (const q of lost) {
    const query = profiles.get(q.id)!;
    const rows: Row[] = found
      .map((f) => ({ f, fused: scoreMatch(query, profiles.get(f.id)!, tuning).score, inliers: -1 }))
      .sort((x, y) => y.fused - x.fused);
    const scoreAll = args.includes('--local-all');
    for (const [i, row] of rows.entries()) if (i < k || scoreAll) row.inliers = (await verify(q.id, row.f.id)).inliers;
    if (rows.slice(0, k).some((r) => r.f.item === q.item)) inTopK++;
    for (const r of rows.slice(0, k)) (r.f.item === q.item ? positives : negatives).push(r.inliers);
    perQuery.push({ q, rows });
  }
  const median = (v: number[]) => (v.length ? [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]! : NaN);
  const quantile = (v: number[], at: number) => (v.length ? [...v].sort((a, b) => a - b)[Math.floor((v.length - 1) * at)]! : NaN);
  console.log(
    `local_top${k}_recall=${(inTopK / lost.length).toFixed(3)} pairs_verified=${pairs} verify_cpu_ms_per_pair=${(pairCpu / pairs).toFixed(2)} ` +
      `inliers_same_item median=${median(positives)} p25=${quantile(positives, 0.25)} | other_items median=${median(negatives)} p95=${quantile(negatives, 0.95)} max=${Math.max(...negatives)}`,
  );
  const rankWith = (score: (r: Row, i: number) => number): Line => {
    let top1 = 0;
    let top5 = 0;
    let rr = 0;
    let aucSum = 0;
    for (const { q, rows } of perQuery) {
      const scored = rows.map((r, i) => ({ r, s: score(r, i) }));
      const positive = scored.find((x) => x.r.f.item === q.item)!.s;
      const others = scored.filter((x) => x.r.f.item !== q.item).map((x) => x.s);
      const rank = 1 + others.filter((s) => s >= positive).length;
      if (rank === 1) top1++;
      if (rank <= 5) top5++;
      rr += 1 / rank;
      aucSum += others.reduce((sum, s) => sum + (positive > s ? 1 : positive === s ? 0.5 : 0), 0) / others.length;
    }
    const n = perQuery.length;
    return { queries: n, top1: top1 / n, top5: top5 / n, mrr: rr / n, auc: aucSum / n };
  };
  console.log(`local_rerank weight=0 (fused alone) ${fmt(rankWith((r) => r.fused))}`);
  // The bonus: weight × the inliers above a floor (what other items reach by chance), up to cap, as a share of cap - floor.
  for (const floor of args.includes('--local-grid') ? [0, 4, 6, 8] : [0]) {
    for (const top of args.includes('--local-grid') ? [15, cap] : [cap]) {
      for (const w of [0.05, 0.1, 0.2, 0.3, 0.5, 1]) {
        const bonus = (r: Row) => w * Math.min(1, Math.max(0, r.inliers - floor) / (top - floor));
        console.log(
          `local_rerank weight=${w} floor=${floor} cap=${top} k=${k} ${fmt(rankWith((r, i) => r.fused + (i < k ? bonus(r) : 0)))}`,
        );
      }
    }
  }
  // Inliers first within the top-K (the fused score breaks their ties), the rest below by fused.
  console.log(`local_rerank inliers-first k=${k} ${fmt(rankWith((r, i) => (i < k ? 1000 + r.inliers + r.fused / 10 : r.fused)))}`);
  console.log(`signal=local within top-${k} (ties against) ${fmt(rankWith((r, i) => (i < k ? r.inliers : -1)))}`);
  if (args.includes('--local-all')) console.log(`signal=local whole gallery (ties against) ${fmt(rankWith((r) => r.inliers))}`);
}

/**
 * `--variants none|detector|loose|detector+loose[,mirrored][,grown][,s<side>]`: FingerprintOptions by name
 * (fingerprintOptionsNamed). `oracle` or `oracle-masked` in place of the crops part is a CEILING, not a product
 * option: it uses the benchmark's truth (the generator's paste box, and for -masked its item pixels, the rest
 * greyed) as every photo's only crop, query and candidates alike, instead of the salient object or a detection.
 */
function variantOptions(name: string): FingerprintOptions & { name: string; oracle?: Oracle } {
  const [crops, ...rest] = name.split(',');
  const oracle = ({ oracle: 'box', 'oracle-masked': 'masked', 'oracle-salient': 'salient' } as const)[crops as string];
  if (oracle) return { name, oracle, ...fingerprintOptionsNamed(['none', ...rest].join(',')) };
  return { name, ...fingerprintOptionsNamed(name) };
}

/**
 * Which truth the oracle's crop takes: 'box' the paste box alone, 'masked' also its item pixels, 'salient' the paste
 * box with the PRODUCT's salient mask (the photo's salient object's cells, none when none was separated): the
 * true box, the product's mask, so a masked variant's loss splits into box error and mask error.
 */
type Oracle = 'box' | 'masked' | 'salient';

/** The oracle's crop of a photo: its paste box, and for 'masked' its pasted pixels as a one-pixel cell mask. */
function oracleRegion(p: BenchPhoto, oracle: Oracle, product: SalientRegion | null): SalientRegion {
  const { width, height, data } = p.itemPixels;
  return {
    box: p.pasteBox,
    mask:
      oracle === 'masked'
        ? { columns: width, rows: height, step: 1, x0: 0, y0: 0, cells: data }
        : oracle === 'salient'
          ? (product?.mask ?? null)
          : null,
  };
}

/**
 * The cached events with each photo's fingerprint made again under `options`: the photos generated
 * again (the same seed), decoded, their salient object measured as the stage does (box rounded to 4
 * digits), the stage's recorded objects; the whole photo's vector is the published one. Prints the
 * fingerprint's CPU per photo under these options (every photo, 8 a batch, as the stage batches) and
 * how often any of a photo's crops is the item.
 */
/** The split's photos generated again (the same seed), decoded, their salient objects measured as the stage does; once per run. */
function variantInputsOnce() {
  variantInputs ??= (async () => {
    const { photos: generated } = await matchBenchmark(split, photosDir);
    const cacheDir = await mkdtemp(path.join(os.tmpdir(), 'media-ai-match-variant-'));
    const models = new ModelManager({ cacheDir, source: path.join(photosDir, '../models'), downloadTimeoutMs: 5000, allowUpstream: false });
    const loaded = await loadDetectionModels({ models });
    if (!loaded.classifier) throw new Error(`models missing: ${JSON.stringify(loaded.unavailable)}`);
    const decoded: DecodedImage[] = [];
    const regions: Array<SalientRegion | null> = [];
    const r4 = (v: number) => Math.round(v * 1e4) / 1e4;
    for (const p of generated) {
      const image = await decodeImage(p.jpeg);
      decoded.push(image);
      const salient = salientObject(image);
      regions.push(
        salient
          ? {
              box: { x: r4(salient.box.x), y: r4(salient.box.y), width: r4(salient.box.width), height: r4(salient.box.height) },
              mask: salient.mask,
            }
          : null,
      );
    }
    return { generated, decoded, regions, classifier: loaded.classifier };
  })();
  return variantInputs;
}

async function reFingerprinted(
  options: FingerprintOptions & { name: string; oracle?: Oracle },
): Promise<Array<[string, PostEnhancedEvent]>> {
  const { name, oracle } = options;
  const { generated, decoded, regions, classifier } = await variantInputsOnce();
  const objectsOf = new Map(analysed.objects ?? []);
  const byId = new Map(analysed.events);
  // The oracle: no detected object, so the given region (the truth) is the crop.
  const run = (s: number, e: number) =>
    fingerprintPhotos(
      classifier,
      decoded.slice(s, e),
      generated.slice(s, e).map((p) => (oracle ? [] : (objectsOf.get(p.id) ?? []))),
      [],
      oracle ? generated.slice(s, e).map((p, k) => oracleRegion(p, oracle, regions[s + k] ?? null)) : regions.slice(s, e),
      options,
    );
  await run(0, 8); // warm
  const out: Array<[string, PostEnhancedEvent]> = [];
  let anyRight = 0;
  let crops = 0;
  const before = process.cpuUsage();
  for (let s = 0; s < decoded.length; s += 8) {
    const slice = await run(s, Math.min(decoded.length, s + 8));
    slice.forEach((f, k) => {
      const p = generated[s + k]!;
      const event = byId.get(p.id)!;
      const published = event.data.fingerprints[0]!;
      const itemsOf = [...f.items, ...published.items.filter((i) => i.label === null)];
      const fingerprint = { ...published, model: f.model, perceptual_hash: f.perceptual_hash, items: itemsOf };
      const labelled = f.items.filter((i) => i.box);
      crops += labelled.length;
      if (labelled.some((i) => boxIou(i.box!, p.pasteBox) >= 0.5)) anyRight++;
      out.push([p.id, { ...event, data: { ...event.data, fingerprints: [fingerprint] } }]);
    });
  }
  const used = process.cpuUsage(before);
  console.log(
    `variant=${name} fingerprint_cpu_ms_per_photo=${((used.user + used.system) / 1000 / decoded.length).toFixed(1)} ` +
      `crops_per_photo=${(crops / decoded.length).toFixed(2)} any_crop_correct=${(anyRight / decoded.length).toFixed(3)} load_average=${os.loadavg()[0]!.toFixed(1)}`,
  );
  return out;
}
