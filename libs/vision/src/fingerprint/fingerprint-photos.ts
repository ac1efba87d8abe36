/**
 * The visual fingerprint of each photo of a batch: the perceptual hash of the whole photo, the
 * embedding of its main item's crop (one session run for every crop of the batch) and the embedding
 * of the whole photo (given: the classifier's run already computed it). The crop comes first because
 * a whole-photo vector follows the background: the same item on another table shares little else.
 * When no detected object qualifies as the main item (cards, passports, pages have no detector class),
 * the photo's salient object (separated from its border ring) is the crop, labelled SALIENT_OBJECT_LABEL.
 *
 * Must never run a model of its own: the embedder is the classifier's session, so a photo costs one
 * more small run (its crop) and a pHash, not another network.
 */
import type { Box, PhotoFingerprint } from '@media-ai/contracts';
import type { DecodedImage } from '../detection/decoded-image.js';
import { cropItem, encodeEmbedding, mainItemOf, perceptualHash, type BoxedObject } from './photo-fingerprint.js';

/** What computes the embeddings (ItemClassifier.embed). */
export interface PhotoEmbedder {
  /** Model id and version the vectors are compared under. */
  readonly embeddingModel: string;
  embed(images: DecodedImage[]): Promise<Float32Array[]>;
}

/** The crop's label when it is the photo's salient object, not a detected object. */
export const SALIENT_OBJECT_LABEL = 'salient_object';

const round4 = (v: number) => Math.round(v * 1e4) / 1e4;

/**
 * One fingerprint per image, in input order. `objects[i]` are image i's detected objects (boxes
 * normalized), `wholePhoto[i]` its pooled features from the classifier run, `salientBoxes[i]` the box
 * of its salient object (normalized; null when none was separated), the crop when no object qualifies.
 */
export async function fingerprintPhotos(
  embedder: PhotoEmbedder,
  images: readonly DecodedImage[],
  objects: ReadonlyArray<readonly BoxedObject[]>,
  wholePhoto: readonly Float32Array[],
  salientBoxes: ReadonlyArray<Box | null> = [],
): Promise<PhotoFingerprint[]> {
  const mains = images.map((_, i) => {
    const salient = salientBoxes[i];
    return mainItemOf(objects[i] ?? []) ?? (salient ? { label: SALIENT_OBJECT_LABEL, box: salient } : null);
  });
  const crops: DecodedImage[] = [];
  mains.forEach((main, i) => {
    if (main) crops.push(cropItem(images[i]!, main.box));
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
        embedding: encodeEmbedding(cropVectors[next++]!),
      });
    }
    if (wholePhoto[i]) items.push({ label: null, box: null, embedding: encodeEmbedding(wholePhoto[i]) });
    return { model: embedder.embeddingModel, perceptual_hash: hashes[i]!, items };
  });
}
