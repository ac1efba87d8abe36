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
 * FingerprintOptions (crop-variants.ts) are measurement levers, off in the product, which passes none.
 */
import type { Box, PhotoFingerprint } from '@media-ai/contracts';
import type { DecodedImage } from '../detection/decoded-image.js';
import type { ItemMask } from '../colors/salient-object.js';
import { symmetricMeans, variantCrops, type Crop, type FingerprintOptions } from './crop-variants.js';
import {
  coveredShare,
  encodeColorHistogram,
  encodeEmbedding,
  itemImage,
  mainItemOf,
  perceptualHash,
  SALIENT_OBJECT_LABEL,
  type BoxedObject,
} from './photo-fingerprint.js';

export type { FingerprintOptions } from './crop-variants.js';

/** What computes the embeddings (ItemClassifier.embed). */
export interface PhotoEmbedder {
  /** Model id and version the vectors are compared under. */
  readonly embeddingModel: string;
  /** `side`: the network's input side (CLASSIFIER_CROP by default; a smaller one costs less). */
  embed(images: DecodedImage[], side?: number): Promise<Float32Array[]>;
}

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
    const candidates = region ? (objects[i] ?? []).filter((o) => coveredShare(o.box, region.box) >= MASK_OVERLAP) : (objects[i] ?? []);
    const detected = mainItemOf(candidates);
    const main: Crop | null = detected
      ? { label: detected.label, box: detected.box, mask: region?.mask ?? null }
      : region
        ? { label: SALIENT_OBJECT_LABEL, box: region.box, mask: region.mask }
        : null;
    if (!main) return [];
    // Measurement options (crop-variants.ts), off in the product: without them this is [main].
    return variantCrops(main, images[i]!, region?.box ?? null, objects[i] ?? [], options);
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
    options.mirrored || options.turned ? symmetricMeans(embedder, drawn, options, options.side) : embedder.embed(drawn, options.side),
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
