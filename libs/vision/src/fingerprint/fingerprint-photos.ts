/**
 * The visual fingerprint of each photo of a batch: the perceptual hash of the whole photo, the
 * embedding of its main item's crop (one session run for every crop of the batch) and the embedding
 * of the whole photo (given: the classifier's run already computed it). The crop comes first because
 * a whole-photo vector follows the background: the same item on another table shares little else.
 * When the photo has a salient object (separated from its border ring), only a detected object that is
 * it names the crop; when none is (cards, passports, pages have no detector class; the detector boxed
 * the scene around it), the salient object is the crop, labelled SALIENT_OBJECT_LABEL.
 * The crop is the item alone (itemImage): drawn into a neutral square, and where the salient object's
 * mask covers it, every cell that is not the item greyed out; the same pixels give its colour histogram.
 *
 * Must never run a model of its own: the embedder is the classifier's session, so a photo costs one
 * more small run (its crop) and a pHash, not another network.
 */
import type { Box, PhotoFingerprint } from '@media-ai/contracts';
import type { DecodedImage } from '../detection/decoded-image.js';
import type { ItemMask } from '../colors/salient-object.js';
import { encodeColorHistogram, encodeEmbedding, itemImage, mainItemOf, perceptualHash, type BoxedObject } from './photo-fingerprint.js';

/** What computes the embeddings (ItemClassifier.embed). */
export interface PhotoEmbedder {
  /** Model id and version the vectors are compared under. */
  readonly embeddingModel: string;
  /** `side`: the network's input side (CLASSIFIER_CROP by default; a smaller one costs less). */
  embed(images: DecodedImage[], side?: number): Promise<Float32Array[]>;
}

/** The crop's label when it is the photo's salient object, not a detected object. */
export const SALIENT_OBJECT_LABEL = 'salient_object';

const round4 = (v: number) => Math.round(v * 1e4) / 1e4;

/** The photo's salient object: its box (the crop when no detected object qualifies) and its cell mask. */
export interface SalientRegion {
  box: Box;
  mask: ItemMask | null;
}

/**
 * A detected item is the salient object (names the crop, takes its mask) when at least this share of its box is the salient box's.
 * Measured against the benchmark's paste boxes (eval:match crop_correct, tune 0.475): requiring IoU >= 0.3 instead,
 * ranking by confidence × size × centrality, scenery (plants, screens) last, and also letting a box that holds the
 * salient object whole name the crop moved crop_correct to 0.485-0.501 but not the fused top-1 (0.264 in every variant)
 * and cost the embedding alone 1-4 queries of top-5, so this rule stays. Most wrong crops are the salient object itself,
 * a part of the item (its box mostly inside the item's) or beside it: the segmentation, not the choice, is the lever.
 */
const MASK_OVERLAP = 0.5;

/**
 * Experimental levers (issue 17), off by default: the published fingerprint is main's unless asked.
 * `alternates`: more item crops per photo, each its own item entry (the matcher takes the best crop pair):
 * 'detector', the most confident detected item of the whole photo (not only one overlapping the salient
 * object), unmasked; 'loose', the main crop's box grown by LOOSE_GROWTH each way, unmasked (the item's
 * neighbours, or the rest of an item of which the salient object is a part). Skipped when its box is the
 * main crop's (IoU >= SAME_BOX_IOU). `mirrored`: each crop's vector is the mean of its own and its
 * mirror image's (one session run for both).
 * Measured on the tune split (`eval:match --variants`, each against `none` made the same way: fused top-1 /
 * top-5 / MRR .255 / .473 / .356, embedding alone .245 / .436 / .340, fingerprint 10.1 ms CPU per photo on
 * ../shared/photos at load 6): 'loose' .273 / .473 / .365 (14.8 ms), 'detector' .218 / .473 / .330, mirrored
 * .273 / .482 / .368 (14.9 ms), loose + mirrored .291 / .473 / .378 (30.9 ms), 'grown' moved crop_correct
 * .475 -> .477 only; an input side of 128 .273 / .473 / .362, embedding AUC .842 -> .867 (6.5 ms). At most 4
 * of 110 queries gained, over the 10 ms budget: none is on in the product.
 */
export interface FingerprintOptions {
  alternates?: ReadonlyArray<'detector' | 'loose'>;
  mirrored?: boolean;
  /**
   * 'grown': when a detected item (not scenery, SCENERY) holds the salient object (at least HOLDS of
   * the salient box inside it) and is at most GROWN_MAX_AREA times its area, the main crop is that
   * box, unmasked: the salient object was a part of it.
   */
  main?: 'salient' | 'grown';
  /** The crops' input side for the network (default the classifier's 224). */
  side?: number;
}

/** Detector classes that are the scene around an item rather than the item (besides NOT_AN_ITEM). */
const SCENERY = new Set(['potted plant', 'tv', 'refrigerator', 'oven', 'microwave', 'vase', 'clock']);
const HOLDS = 0.8;
const GROWN_MAX_AREA = 4;

/** A loose crop's box: the main box grown by this share of its size on each side (clamped to the photo). */
const LOOSE_GROWTH = 0.35;
/** Two crop boxes this alike are one crop. */
const SAME_BOX_IOU = 0.7;

interface Crop {
  label: string;
  box: Box;
  mask: ItemMask | null;
}

/**
 * One fingerprint per image, in input order. `objects[i]` are image i's detected objects (boxes
 * normalized), `wholePhoto[i]` its pooled features from the classifier run, `salient[i]` its salient
 * object (null when none was separated): the main item is then the detected item that is the salient
 * object (its box mostly inside the salient box), else the salient object itself; its mask greys the crop.
 */
export async function fingerprintPhotos(
  embedder: PhotoEmbedder,
  images: readonly DecodedImage[],
  objects: ReadonlyArray<readonly BoxedObject[]>,
  wholePhoto: readonly Float32Array[],
  salient: ReadonlyArray<SalientRegion | null> = [],
  options: FingerprintOptions = {},
): Promise<PhotoFingerprint[]> {
  const perPhoto: Crop[][] = images.map((_, i) => {
    const region = salient[i];
    // A photo of a lost item is framed around it: with a salient object, only a detected item that is
    // that object (overlapping it) names the crop; a laptop or a dog elsewhere in the scene does not.
    const candidates = region ? (objects[i] ?? []).filter((o) => overlap(o.box, region.box) >= MASK_OVERLAP) : (objects[i] ?? []);
    const detected = mainItemOf(candidates);
    const main: Crop | null = detected
      ? { label: detected.label, box: detected.box, mask: region?.mask ?? null }
      : region
        ? { label: SALIENT_OBJECT_LABEL, box: region.box, mask: region.mask }
        : null;
    if (!main) return [];
    if (options.main === 'grown' && region && main.label === SALIENT_OBJECT_LABEL) {
      const area = region.box.width * region.box.height;
      const holder = mainItemOf(
        (objects[i] ?? []).filter(
          (o) => !SCENERY.has(o.label) && overlap(region.box, o.box) >= HOLDS && o.box.width * o.box.height <= area * GROWN_MAX_AREA,
        ),
      );
      if (holder) {
        main.label = holder.label;
        main.box = holder.box;
        main.mask = null;
      }
    }
    const crops = [main];
    for (const kind of options.alternates ?? []) {
      const extra = kind === 'detector' ? detectorCrop(objects[i] ?? []) : looseCrop(main);
      if (extra && crops.every((c) => iou(c.box, extra.box) < SAME_BOX_IOU)) crops.push(extra);
    }
    return crops;
  });
  const drawn: DecodedImage[] = [];
  const histograms: string[] = [];
  for (const [i, crops] of perPhoto.entries()) {
    for (const crop of crops) {
      const item = itemImage(images[i]!, crop.box, crop.mask);
      drawn.push(item.image);
      histograms.push(encodeColorHistogram(item.colorHistogram));
    }
  }
  const [cropVectors, hashes] = await Promise.all([
    options.mirrored ? mirroredMeans(embedder, drawn, options.side) : embedder.embed(drawn, options.side),
    Promise.all(images.map((image) => perceptualHash(image))),
  ]);
  let next = 0;
  return images.map((_, i) => {
    const items: PhotoFingerprint['items'] = [];
    for (const crop of perPhoto[i]!) {
      const { x, y, width, height } = crop.box;
      items.push({
        label: crop.label,
        box: { x: round4(x), y: round4(y), width: round4(width), height: round4(height) },
        embedding: encodeEmbedding(cropVectors[next]!),
        color_histogram: histograms[next++]!,
      });
    }
    if (wholePhoto[i]) items.push({ label: null, box: null, embedding: encodeEmbedding(wholePhoto[i]), color_histogram: null });
    return { model: embedder.embeddingModel, perceptual_hash: hashes[i]!, items };
  });
}

/** The most confident detected item of the whole photo, unmasked. */
function detectorCrop(objects: readonly BoxedObject[]): Crop | null {
  const best = mainItemOf(objects);
  return best ? { label: best.label, box: best.box, mask: null } : null;
}

/** The main crop's box grown by LOOSE_GROWTH each way, unmasked. */
function looseCrop(main: Crop): Crop {
  const { x, y, width, height } = main.box;
  const left = Math.max(0, x - width * LOOSE_GROWTH);
  const top = Math.max(0, y - height * LOOSE_GROWTH);
  const right = Math.min(1, x + width * (1 + LOOSE_GROWTH));
  const bottom = Math.min(1, y + height * (1 + LOOSE_GROWTH));
  return { label: main.label, box: { x: left, y: top, width: right - left, height: bottom - top }, mask: null };
}

/** Each image's vector as the mean of its own and its mirror image's, from one session run. */
async function mirroredMeans(embedder: PhotoEmbedder, images: readonly DecodedImage[], side?: number): Promise<Float32Array[]> {
  if (images.length === 0) return [];
  const vectors = await embedder.embed([...images, ...images.map(mirrorOf)], side);
  return images.map((_, k) => {
    const own = vectors[k]!;
    const mirror = vectors[images.length + k]!;
    return own.map((v, d) => (v + mirror[d]!) / 2);
  });
}

/** The image flipped left to right. */
function mirrorOf(image: DecodedImage): DecodedImage {
  const { width, height } = image;
  const data = Buffer.alloc(image.data.length);
  for (let y = 0; y < height; y++) {
    const row = y * width * 3;
    for (let x = 0; x < width; x++) {
      const from = row + x * 3;
      const to = row + (width - 1 - x) * 3;
      data[to] = image.data[from]!;
      data[to + 1] = image.data[from + 1]!;
      data[to + 2] = image.data[from + 2]!;
    }
  }
  return { data, width, height };
}

function iou(a: Box, b: Box): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  if (w <= 0 || h <= 0) return 0;
  return (w * h) / (a.width * a.height + b.width * b.height - w * h);
}

/** Share of box a's area that box b also covers. */
function overlap(a: Box, b: Box): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? (w * h) / (a.width * a.height || 1) : 0;
}
