// `node --conditions=development --import tsx tools/privacy-bench/faces-only.ts [--seed N] [--split tune|holdout] [--limit N] [--quiet] [--no-keypoints]`
// The privacy benchmark's faces alone, fast enough to rerun while tuning the blur: only the images
// whose document prints a portrait are generated (or taken from the cache), and each goes through
// faces-harness.ts (fetcher's normalising and detector, llm stage, OpenAI-compatible stand-in); no
// OCR. Prints, per ground-truth face, the detector's box (with its keypoints' eye and ear spans in box
// sides, keypointSpans: short spans mark a box over half a face), the truth box, the bounds of the area the
// release blurs (faceBlurArea) and the share of fine detail left, all in pixels of the image the stand-in
// received, then faces / detected / blurred and the median blurred region as a share of the photo.
//
// --no-keypoints: the photo records carry no keypoints (media-ai.photos v4 data), so the release
// blurs the upright head around each box only: today's data, and the before of round 4.
//
// Per-face output is for tuning: --split holdout only for retired seeds (RETIRED_HOLDOUT_SEEDS).
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { loadConfig } from '@media-ai/config';
import type { Box } from '@media-ai/contracts';
import { faceBlurArea, keypointSpans, pixelsCovered, type PixelRegion } from '@media-ai/vision';
import { createFacesHarness, FACE_BLURRED_BELOW } from './faces-harness.js';
import { DEFAULT_COUNT, defaultCacheDir, draftImage, generateImages, splitOf } from './generate.js';
import { RETIRED_HOLDOUT_SEEDS } from './retired-seeds.js';

const args = process.argv.slice(2);
const arg = (name: string): string | undefined => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const seed = Number(arg('--seed') ?? 1);
const split = arg('--split') ?? 'tune';
const limit = arg('--limit') ? Number(arg('--limit')) : Infinity;
const quiet = args.includes('--quiet');
if (split !== 'tune' && !(split === 'holdout' && RETIRED_HOLDOUT_SEEDS.has(seed))) {
  process.stderr.write('--split tune, or holdout of a retired seed: per-face output is for tuning\n');
  process.exit(2);
}
const photosDir = path.resolve(arg('--photos') ?? path.join(import.meta.dirname, '../../../shared/photos'));
const env = process.env.LOG_LEVEL ? process.env : { ...process.env, LOG_LEVEL: 'WARNING' };

// Drafting is cheap (no pixels): only the images with a portrait are rendered.
const indices = Array.from({ length: DEFAULT_COUNT }, (_, i) => i)
  .filter((i) => splitOf(i) === split)
  .filter((i) => draftImage(seed, i).model.items.some((item) => item.type === 'portrait'))
  .slice(0, limit);
const images = await generateImages({ seed, indices, photosDir, cacheDir: defaultCacheDir(seed) });

const px = (b: Box, w: number, h: number) =>
  `${Math.round(b.x * w)},${Math.round(b.y * h)} ${Math.round(b.width * w)}x${Math.round(b.height * h)}`;
const region = (r: PixelRegion) => `${r.left},${r.top} ${r.width}x${r.height}`;
const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

const harness = await createFacesHarness(loadConfig(env), env, { keypoints: !args.includes('--no-keypoints') });
let faces = 0;
let found = 0;
let detected = 0;
let blurred = 0;
let largestDetectedDetail = 0;
const shares: number[] = [];
try {
  for (const { truth, path: file } of images) {
    if (truth.faces.length === 0) continue;
    const outcome = await harness.run(truth.id, await readFile(file), truth.faces);
    const { width: w, height: h } = outcome.sentSize;
    const areas = outcome.found.map((face) => faceBlurArea(face, w, h));
    const regions = areas.map((area) => area.bounds);
    for (const area of areas) shares.push(pixelsCovered(area) / (w * h));
    faces += outcome.faces;
    found += outcome.found.length;
    blurred += outcome.blurred;
    if (!quiet) process.stdout.write(`${truth.id} ${truth.template} rotation ${truth.render.rotation} sent ${w}x${h}\n`);
    for (const face of outcome.perFace) {
      const hits = outcome.found
        .map((found, i) => ({ box: found.box, region: regions[i]!, spans: keypointSpans(found, w, h) }))
        .filter(({ box }) => overlaps(box, face.box));
      if (hits.length > 0) {
        detected++;
        largestDetectedDetail = Math.max(largestDetectedDetail, face.detail);
      }
      if (quiet) continue;
      const mark = face.detail < FACE_BLURRED_BELOW ? 'blurred' : 'SHARP';
      const spans = (hit: (typeof hits)[number]) =>
        hit.spans ? ` eyes ${hit.spans.eyes.toFixed(2)} ears ${hit.spans.ears.toFixed(2)}` : '';
      const seen =
        hits.map((hit) => `detected ${px(hit.box, w, h)}${spans(hit)} region ${region(hit.region)}`).join('; ') || 'NOT DETECTED';
      process.stdout.write(`  truth ${px(face.box, w, h)} ${seen} detail ${face.detail.toFixed(3)} ${mark}\n`);
    }
    const stray = outcome.found.filter(({ box }) => !outcome.perFace.some((face) => overlaps(box, face.box)));
    if (!quiet) for (const { box } of stray) process.stdout.write(`  no face under detection ${px(box, w, h)}\n`);
  }
} finally {
  await harness.stop();
}
shares.sort((a, b) => a - b);
const median = shares.length === 0 ? 0 : shares[Math.floor((shares.length - 1) / 2)]!;
process.stdout.write(
  `seed ${seed} split ${split}, ${images.length} images with a portrait: faces=${faces} detected=${detected} blurred=${blurred} ` +
    `(detections ${found}; median blurred region ${(median * 100).toFixed(1)} % of the photo; ` +
    `largest detail left on a detected face ${largestDetectedDetail.toFixed(3)})\n`,
);
process.exit(0);
