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
  embed(images: DecodedImage[]): Promise<Float32Array[]>;
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
): Promise<PhotoFingerprint[]> {
  const mains = images.map((_, i) => {
    const region = salient[i];
    // A photo of a lost item is framed around it: with a salient object, only a detected item that is
    // that object (overlapping it) names the crop; a laptop or a dog elsewhere in the scene does not.
    const candidates = region ? (objects[i] ?? []).filter((o) => overlap(o.box, region.box) >= MASK_OVERLAP) : (objects[i] ?? []);
    const detected = mainItemOf(candidates);
    if (detected) return { label: detected.label, box: detected.box, mask: region?.mask ?? null };
    return region ? { label: SALIENT_OBJECT_LABEL, box: region.box, mask: region.mask } : null;
  });
  const crops: DecodedImage[] = [];
  const histograms: string[] = [];
  mains.forEach((main, i) => {
    if (!main) return;
    const item = itemImage(images[i]!, main.box, main.mask);
    crops.push(item.image);
    histograms.push(encodeColorHistogram(item.colorHistogram));
  });
  const [cropVectors, hashes] = await Promise.all([embedder.embed(crops), Promise.all(images.map((image) => perceptualHash(image)))]);
  let next = 0;
  return images.map((_, i) => {
    const main = mains[i];
    const items: PhotoFingerprint['items'] = [];
    if (main) {
      const { x, y, width, height } = main.box;
      items.push({
        label: main.label,
        box: { x: round4(x), y: round4(y), width: round4(width), height: round4(height) },
        embedding: encodeEmbedding(cropVectors[next]!),
        color_histogram: histograms[next++]!,
      });
    }
    if (wholePhoto[i]) items.push({ label: null, box: null, embedding: encodeEmbedding(wholePhoto[i]), color_histogram: null });
    return { model: embedder.embeddingModel, perceptual_hash: hashes[i]!, items };
  });
}

/** Share of box a's area that box b also covers. */
function overlap(a: Box, b: Box): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? (w * h) / (a.width * a.height || 1) : 0;
}
