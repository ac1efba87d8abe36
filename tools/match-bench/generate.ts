/**
 * The generated matching benchmark, version MATCH_BENCHMARK_VERSION: lost items pasted onto crops of
 * real scene photos at other scales, angles and places; every "second photo" also cropped, flipped,
 * rotated, re-lit, blurred and re-encoded. Seeded: the same split gives the same images.
 *
 * Each physical item has exactly one lost photo (the query) or none, and exactly one found photo: a
 * query's gallery is every found photo, so it holds the query's own item once (the answer) and every
 * distractor is another item. Items: the cut-outs of ../shared/photos (transparent backgrounds, matted
 * with sharp from plain backgrounds, documents whole) and seeded generated items (generated-objects.ts)
 * of the kinds people lose, many of one kind (the same-category distractors).
 *
 * v1 pasted 11 items 41 times each (10 queries and 31 found photos per item): well-posed (a query's
 * gallery held its item once) but its 110 queries were 11 items, and its 310 distractors 10 items.
 *
 * Splits: `tune` and `holdout` paste onto disjoint scene photos, with different seeds (their generated
 * items differ). Look at `holdout` only to report. Must never write into ../shared (it reads it only).
 */
import path from 'node:path';
import type { Box } from '@media-ai/contracts';
import sharp from 'sharp';
import { mulberry32 } from '@media-ai/vision';
import { GENERATED_KINDS, generatedItem } from './generated-objects.js';

/** Bump when the benchmark's images or its queries change: figures of two versions never compare. */
export const MATCH_BENCHMARK_VERSION = 2;

export type Split = 'tune' | 'holdout';

/** How an item is cut out of its photo. */
type CutOut = 'alpha' | 'matte' | 'whole';

/**
 * Items with their kind; two of one kind are the same-category distractors (phones, cards and
 * documents, paper). The business card on its desk is left out: its white card on pale wood does not
 * matte (only the print came out).
 */
export const PHOTO_ITEMS: ReadonlyArray<{ file: string; cut: CutOut; kind: string }> = [
  { file: 'hard_alpha_phone_powerbank.png', cut: 'alpha', kind: 'phone' },
  { file: 'hard_dark_phone_in_hand.jpg', cut: 'matte', kind: 'phone' },
  { file: 'health_insurance_card_on_table.png', cut: 'alpha', kind: 'card' },
  { file: 'id_driver_license_specimen_wa.jpg', cut: 'whole', kind: 'card' },
  { file: 'passport_specimen_canada.jpg', cut: 'whole', kind: 'document' },
  { file: 'book_page_text_with_numbers.png', cut: 'whole', kind: 'paper' },
  { file: 'book_page_watson_studio.jpg', cut: 'whole', kind: 'paper' },
  { file: 'pen_on_lined_paper.jpg', cut: 'matte', kind: 'pen' },
  { file: 'batteries_varta.jpg', cut: 'matte', kind: 'battery' },
  { file: 'skateboard_closeup.jpg', cut: 'matte', kind: 'skateboard' },
  { file: 'toy_astronaut_on_desk.jpg', cut: 'matte', kind: 'toy' },
];

/** Scene photos the items are pasted onto: disjoint per split. */
const BACKGROUNDS: Record<Split, string[]> = {
  tune: ['bicycle_and_dog_on_porch.jpg', 'cafe_terrace_table_menu.jpg', 'laptop_on_kitchen_table.jpg', 'taxis_street.jpg'],
  holdout: ['bicycles_two_riders.jpg', 'exif_rotated_landscape_6.jpg', 'person_with_dog.jpg', 'coffee_cup_saucer.jpg'],
};
const SEEDS: Record<Split, number> = { tune: 17, holdout: 1017 };

/** Queries: every photo item and generated ones up to this many; distractor-only items (a found photo, no query) after. */
export const QUERIES = 110;
export const DISTRACTOR_ONLY = 201;

/** One physical item of the split. */
export interface BenchItem {
  /** The photo it was cut from, or `generated-<kind>-<n>`. */
  name: string;
  kind: string;
  /** Whether it has a lost photo (a query). */
  query: boolean;
}

export interface BenchPhoto {
  id: string;
  /** Index into the split's items. */
  item: number;
  role: 'lost' | 'found';
  jpeg: Buffer;
  /** Where the item lies in the photo (normalized): the bounding box of its pasted pixels, after the second photo's reframing. */
  pasteBox: Box;
  /**
   * The benchmark's truth, for measurement only (the `oracle` variants of eval:match): 1 where the photo's
   * pixel is the pasted item's (its alpha >= 128), row by row, at the photo's size. Never drawn, never cached.
   */
  itemPixels: { width: number; height: number; data: Uint8Array };
  /** The draws that made the photo (read only to break results down): the item's side in canvas pixels, its angle, whether it was mirrored, blurred, and the JPEG quality. */
  camera: { side: number; angle: number; flopped: boolean; blurred: boolean; quality: number };
}

const CANVAS = { width: 960, height: 720 };
/** Intermediate images are lossless and never kept: spend no time compressing them. */
const FAST = { compressionLevel: 0 } as const;

interface RawImage {
  data: Buffer;
  width: number;
  height: number;
}

/** The item as an RGBA PNG, trimmed to it. */
export async function cutOut(photos: string, item: (typeof PHOTO_ITEMS)[number]): Promise<Buffer> {
  const source = sharp(path.join(photos, item.file)).rotate().resize(640, 640, { fit: 'inside', withoutEnlargement: true });
  if (item.cut === 'alpha')
    return source
      .ensureAlpha()
      .png(FAST)
      .toBuffer()
      .then((b) => sharp(b).trim().png(FAST).toBuffer());
  if (item.cut === 'whole') return source.ensureAlpha().png(FAST).toBuffer();
  // Matte against the border colour: a pixel far from it belongs to the item; the mask is softened
  // (blur, then a ramp) so the edge does not carry a hard outline the embedding could key on.
  const { data, info } = await source.removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const { width, height } = info;
  const border: number[] = [0, 0, 0];
  let n = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (x > 6 && y > 6 && x < width - 7 && y < height - 7) continue;
      for (let c = 0; c < 3; c++) border[c]! += data[(y * width + x) * 3 + c]!;
      n++;
    }
  }
  const mean = border.map((v) => v / n);
  // The threshold between background and item is Otsu's on the distances (one photo's contrast is not another's).
  const distance = new Float32Array(width * height);
  const histogram = new Float64Array(442);
  for (let i = 0; i < width * height; i++) {
    distance[i] = Math.hypot(data[i * 3]! - mean[0]!, data[i * 3 + 1]! - mean[1]!, data[i * 3 + 2]! - mean[2]!);
    histogram[Math.floor(distance[i]!)]!++;
  }
  const threshold = otsu(histogram, width * height);
  const mask = Buffer.alloc(width * height);
  for (let i = 0; i < width * height; i++) mask[i] = distance[i]! > threshold ? 255 : 0;
  const soft = await sharp(mask, { raw: { width, height, channels: 1 } })
    .blur(1.5)
    .extractChannel(0)
    .raw()
    .toBuffer();
  const rgba = Buffer.alloc(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    rgba.set([data[i * 3]!, data[i * 3 + 1]!, data[i * 3 + 2]!, Math.min(255, Math.max(0, (soft[i]! - 64) * 2))], i * 4);
  }
  return sharp(rgba, { raw: { width, height, channels: 4 } })
    .png(FAST)
    .toBuffer()
    .then((b) => sharp(b).trim().png(FAST).toBuffer());
}

/** Otsu's threshold: the bin that best separates the histogram into two classes. */
function otsu(histogram: Float64Array, total: number): number {
  let sum = 0;
  for (let i = 0; i < histogram.length; i++) sum += i * histogram[i]!;
  let below = 0;
  let sumBelow = 0;
  let best = 0;
  let threshold = 40;
  for (let t = 0; t < histogram.length; t++) {
    below += histogram[t]!;
    if (below === 0 || below === total) continue;
    sumBelow += t * histogram[t]!;
    const meanBelow = sumBelow / below;
    const meanAbove = (sum - sumBelow) / (total - below);
    const between = below * (total - below) * (meanBelow - meanAbove) ** 2;
    if (between > best) [best, threshold] = [between, t];
  }
  return threshold;
}

/** One photo of the item: a crop of a scene, the item pasted at a scale, angle and place, then camera effects. */
async function compose(
  random: () => number,
  item: Buffer,
  background: RawImage,
  second: boolean,
): Promise<Pick<BenchPhoto, 'jpeg' | 'pasteBox' | 'itemPixels' | 'camera'>> {
  const { width: bw, height: bh } = background;
  // A close view of a part of the scene: where someone photographs an item they found (a table, a
  // seat, a pavement), with whatever else lies there, not a whole street.
  const cropW = Math.round(bw * (0.2 + 0.25 * random()));
  const cropH = Math.min(bh, Math.round((cropW * CANVAS.height) / CANVAS.width));
  const scene = await sharp(background.data, { raw: { width: bw, height: bh, channels: 3 } })
    .extract({ left: Math.floor(random() * (bw - cropW + 1)), top: Math.floor(random() * (bh - cropH + 1)), width: cropW, height: cropH })
    .resize(CANVAS.width, CANVAS.height, { fit: 'fill' })
    .png(FAST)
    .toBuffer();

  // The item is what the photo is of: 60-95 % of the frame's height (at 30-65 % the scene's own
  // objects outweighed it: embedding alone top-1 0.04-0.08 on the tune split).
  const side = Math.round(CANVAS.height * (0.6 + 0.35 * random()));
  let angle = (random() - 0.5) * (second ? 50 : 20);
  if (second && random() < 0.2) angle += 90;
  let pasted = sharp(item).resize(side, side, { fit: 'inside' });
  const flopped = random() < 0.5;
  if (flopped) pasted = pasted.flop();
  const placed = await sharp(await pasted.png(FAST).toBuffer())
    .rotate(angle, { background: { r: 0, g: 0, b: 0, alpha: 0 } })
    .png(FAST)
    .toBuffer({ resolveWithObject: true });
  const scale = Math.min(1, (CANVAS.width * 0.9) / placed.info.width, (CANVAS.height * 0.9) / placed.info.height);
  const fitted =
    scale < 1
      ? await sharp(placed.data)
          .resize(Math.floor(placed.info.width * scale))
          .png(FAST)
          .toBuffer({ resolveWithObject: true })
      : placed;
  const left = Math.floor(random() * (CANVAS.width - fitted.info.width));
  const top = Math.floor(random() * (CANVAS.height - fitted.info.height));
  let photo = sharp(scene).composite([{ input: fitted.data, left, top }]);
  const composed = await photo.png(FAST).toBuffer();
  // The item's own pixels (alpha > 0) in canvas pixels: the answer a crop is measured against (draws nothing).
  const opaque = await opaqueBounds(fitted.data);
  let frame = { left: 0, top: 0, width: CANVAS.width, height: CANVAS.height };

  // The camera: a second photo is framed, lit and encoded differently.
  photo = sharp(composed);
  if (second) {
    const keep = 0.85 + 0.15 * random();
    const w = Math.round(CANVAS.width * keep);
    const h = Math.round(CANVAS.height * keep);
    const frameLeft = Math.floor(random() * (CANVAS.width - w));
    const frameTop = Math.floor(random() * (CANVAS.height - h));
    frame = { left: frameLeft, top: frameTop, width: w, height: h };
    photo = sharp(await photo.extract(frame).png(FAST).toBuffer());
  }
  const x0 = Math.max(0, left + opaque.x0 - frame.left);
  const y0 = Math.max(0, top + opaque.y0 - frame.top);
  const x1 = Math.min(frame.width, left + opaque.x1 - frame.left);
  const y1 = Math.min(frame.height, top + opaque.y1 - frame.top);
  const pasteBox = {
    x: x0 / frame.width,
    y: y0 / frame.height,
    width: Math.max(0, x1 - x0) / frame.width,
    height: Math.max(0, y1 - y0) / frame.height,
  };
  const itemPixels = await pastedPixels(fitted.data, left - frame.left, top - frame.top, frame.width, frame.height);
  photo = photo.modulate({
    brightness: 0.75 + 0.5 * random(),
    saturation: 0.8 + 0.4 * random(),
    hue: Math.round((random() - 0.5) * (second ? 30 : 10)),
  });
  const blurred = second && random() < 0.4;
  if (blurred) photo = photo.blur(0.5 + random());
  const quality = second ? Math.round(35 + 55 * random()) : 88;
  return { jpeg: await photo.jpeg({ quality }).toBuffer(), pasteBox, itemPixels, camera: { side, angle, flopped, blurred, quality } };
}

/** The pasted PNG's pixels with alpha >= 128 as 1s on a width × height photo, its top-left at (left, top) (draws nothing). */
async function pastedPixels(png: Buffer, left: number, top: number, width: number, height: number): Promise<BenchPhoto['itemPixels']> {
  const { data: alpha, info } = await sharp(png).ensureAlpha().extractChannel(3).raw().toBuffer({ resolveWithObject: true });
  const data = new Uint8Array(width * height);
  for (let y = Math.max(0, -top); y < info.height && top + y < height; y++) {
    for (let x = Math.max(0, -left); x < info.width && left + x < width; x++) {
      if (alpha[y * info.width + x]! >= 128) data[(top + y) * width + left + x] = 1;
    }
  }
  return { width, height, data };
}

/** The bounding box (pixels, end exclusive) of an RGBA PNG's pixels whose alpha is above 0. */
async function opaqueBounds(png: Buffer): Promise<{ x0: number; y0: number; x1: number; y1: number }> {
  const { data, info } = await sharp(png).ensureAlpha().extractChannel(3).raw().toBuffer({ resolveWithObject: true });
  let [x0, y0, x1, y1] = [info.width, info.height, 0, 0];
  for (let y = 0; y < info.height; y++) {
    for (let x = 0; x < info.width; x++) {
      if (data[y * info.width + x]! === 0) continue;
      if (x < x0) x0 = x;
      if (x >= x1) x1 = x + 1;
      if (y < y0) y0 = y;
      if (y >= y1) y1 = y + 1;
    }
  }
  return x1 > x0 ? { x0, y0, x1, y1 } : { x0: 0, y0: 0, x1: info.width, y1: info.height };
}

/** Every item of a split and its photos: a lost photo for each query item, a found photo for every item. */
export async function matchBenchmark(split: Split, photos: string): Promise<{ items: BenchItem[]; photos: BenchPhoto[] }> {
  // Two streams: the items' draws never shift when composing changes, and the other way round.
  const random = mulberry32(SEEDS[split]);
  const drawRandom = mulberry32(SEEDS[split] + 1);
  const backgrounds: RawImage[] = [];
  for (const file of BACKGROUNDS[split]) {
    const { data, info } = await sharp(path.join(photos, file)).rotate().removeAlpha().raw().toBuffer({ resolveWithObject: true });
    backgrounds.push({ data, width: info.width, height: info.height });
  }
  const items: BenchItem[] = [];
  const out: BenchPhoto[] = [];
  const total = QUERIES + DISTRACTOR_ONLY;
  for (let item = 0; item < total; item++) {
    let cut: Buffer;
    if (item < PHOTO_ITEMS.length) {
      const spec = PHOTO_ITEMS[item]!;
      items.push({ name: spec.file, kind: spec.kind, query: true });
      cut = await cutOut(photos, spec);
    } else {
      const kind = GENERATED_KINDS[item % GENERATED_KINDS.length]!;
      items.push({ name: `generated-${kind}-${item}`, kind, query: item < QUERIES });
      cut = await generatedItem(kind, drawRandom);
    }
    const roles = item < QUERIES ? (['lost', 'found'] as const) : (['found'] as const);
    for (const role of roles) {
      const background = backgrounds[Math.floor(random() * backgrounds.length)]!;
      out.push({ id: `${split}-${item}-${role}`, item, role, ...(await compose(random, cut, background, role === 'found')) });
    }
  }
  return { items, photos: out };
}
