/**
 * Print scenes (issue 20, print colours): a light page or card filling most of the frame, with or without print, so
 * that naming the colour of a document's print is measured. People name a book page's black text ("white, black"), a
 * card's thin blue or green print, a business card's greyish-green logo lettering; they do not name a colour that
 * is not printed. Four kinds:
 * - `page`: lines of black text, book-like, at several letter sizes, stroke widths and line spacings (the print is black);
 * - `card`: a card with a portrait (skin and dark hair: blobs, not strokes) and two to four lines of thin print in one
 *   ink, blue, green, red, or a greyish green of low chroma (C* about 13, the business card's); on half of them a line of
 *   black print too, which people leave unnamed beside the coloured one;
 * - `logo`: a business card: its portrait's place taken by a ring logo (two concentric rings) in one of those inks, beside
 *   lines of black print; the logo's colour is what people name;
 * - `plain`: blank paper (no print colour to find);
 * - `photo`: paper with a picture only (a portrait or a grey photo), no print (no print colour to find).
 * Each photo then goes through a phone camera's last steps: a slight blur (sigma 0.5-0.9 px) and JPEG at quality 75-90
 * with its halved chroma resolution, which smears a thin coloured stroke's colour into the paper.
 * Letters are drawn, not typeset: each a few strokes (stems, bars, an ascender) of a glyph cell, so no font is needed and
 * the images are the same on every machine. Seeded apart from every other scene (its own generator), so the older
 * scenes stay byte-identical. Test and tool code, never used by the product.
 */
import sharp from 'sharp';
import type { ColorName } from '@media-ai/contracts';
import { labToRgb, mulberry32 } from '@media-ai/vision';
import {
  boxGivenFor,
  frameBox,
  jitteredLab,
  pick,
  PORTRAIT_LAB,
  textureSpread,
  type BenchSample,
  type Picture,
  type Split,
} from './generate.js';

export type PrintKind = 'page' | 'card' | 'logo' | 'plain' | 'photo';

/** A print scene's facts: its kind, the colour people name its print by (none on plain and photo-only paper). */
export interface PrintScene {
  kind: PrintKind;
  ink?: ColorName;
  /** Letter height (x-height) and stroke width, in pixels of the 320 x 240 photo. */
  letter: number;
  stroke: number;
}

/** The inks of the cards' print: the colour named, and its Lab (the greyish green of low chroma is still called green). */
const CARD_INKS: ReadonlyArray<{ name: ColorName; lab: (rng: () => number) => { l: number; a: number; b: number } }> = [
  { name: 'blue', lab: (rng) => jitteredLab('blue', rng) },
  { name: 'green', lab: (rng) => jitteredLab('green', rng) },
  { name: 'red', lab: (rng) => jitteredLab('red', rng) },
  // A business card's muted logo lettering: C* about 13 at L* 45-55.
  { name: 'green', lab: (rng) => ({ l: 45 + rng() * 10, a: -9 - rng() * 3, b: 7 + rng() * 4 }) },
];

/** Letter heights and stroke widths of the pages: small dense text, ordinary text, large text. */
const PAGE_TYPE = [
  { letter: 4, stroke: 1 },
  { letter: 6, stroke: 1.3 },
  { letter: 8, stroke: 1.8 },
] as const;

/** The print scenes: pages, cards in every ink, plain and photo-only paper; half boxed; seeded apart from every other scene. */
export async function printScenes(
  split: Split,
  perColor: number,
  backgrounds: readonly Picture[],
  textures: readonly Picture[],
  width: number,
  height: number,
): Promise<BenchSample[]> {
  const rng = mulberry32(split === 'tune' ? 0x9a9e5 : 0x1c4b7);
  const scene = (kind: PrintKind, n: number, type: { letter: number; stroke: number }, ink?: (typeof CARD_INKS)[number]) =>
    printScene({ split, kind, n, rng, type, ink, background: pick(backgrounds, rng), texture: pick(textures, rng), width, height });
  const samples: BenchSample[] = [];
  for (const type of PAGE_TYPE) for (let n = 0; n < perColor; n++) samples.push(scene('page', n, type));
  for (const [k, ink] of CARD_INKS.entries())
    for (let n = 0; n < perColor; n++)
      samples.push(scene('card', k * perColor + n, { letter: 5 + Math.floor(rng() * 3), stroke: 1 + rng() * 0.6 }, ink));
  for (const [k, ink] of CARD_INKS.entries())
    for (let n = 0; n < perColor; n++)
      samples.push(scene('logo', k * perColor + n, { letter: 5 + Math.floor(rng() * 3), stroke: 1 + rng() * 0.6 }, ink));
  for (const kind of ['plain', 'photo'] as const) for (let n = 0; n < perColor; n++) samples.push(scene(kind, n, { letter: 0, stroke: 0 }));
  // The camera's blur and JPEG, drawn after every scene so the scenes' own draws stay as they are.
  for (const sample of samples) {
    const { data, width: w, height: h } = sample.image;
    const jpeg = await sharp(data, { raw: { width: w, height: h, channels: 3 } })
      .blur(0.5 + rng() * 0.4)
      .jpeg({ quality: 75 + Math.floor(rng() * 16), chromaSubsampling: '4:2:0' })
      .toBuffer();
    sample.image = { data: await sharp(jpeg).removeAlpha().raw().toBuffer(), width: w, height: h };
  }
  return samples;
}

interface PrintSceneInput {
  split: Split;
  kind: PrintKind;
  n: number;
  rng: () => number;
  type: { letter: number; stroke: number };
  ink: (typeof CARD_INKS)[number] | undefined;
  background: Picture;
  texture: Picture;
  width: number;
  height: number;
}

/** One line of drawn letters: its top, its left and right ends, and each glyph's strokes (a bit mask; 0 is a space). */
interface TextLine {
  top: number;
  left: number;
  right: number;
  glyphs: number[];
  black: boolean;
}

/**
 * One print scene: the paper (white, its light and shade from the texture, ±1.5 L* a standard deviation) turned by up to ±5° over the whole
 * frame but for a margin of the background photo (0-12 %) at up to four edges, its picture and its lines of letters.
 * Even n: no box; odd n: a detector-like box about the paper.
 */
function printScene(input: PrintSceneInput): BenchSample {
  const { split, kind, n, rng, type, ink, background, texture, width, height } = input;
  const angle = ((rng() - 0.5) * 10 * Math.PI) / 180;
  const x0 = rng() < 0.5 ? rng() * 0.12 * width : -4;
  const y0 = rng() < 0.5 ? rng() * 0.12 * height : -4;
  const x1 = width + 4 - (rng() < 0.3 ? rng() * 0.12 * width : 0);
  const y1 = height + 4 - (rng() < 0.3 ? rng() * 0.12 * height : 0);
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const paper = jitteredLab('white', rng);
  const inkLab = ink ? ink.lab(rng) : jitteredLab('black', rng);
  const blackLab = { ...jitteredLab('black', rng), l: 15 + rng() * 15 };
  if (!ink) inkLab.l = 15 + rng() * 15;
  // The picture: a card's portrait on its left (skin, dark hair on top), a photo's grey or coloured block.
  const picture =
    kind === 'card' || kind === 'logo' || (kind === 'photo' && rng() < 0.5)
      ? {
          x0: x0 + 0.08 * (x1 - x0),
          x1: x0 + (0.3 + rng() * 0.06) * (x1 - x0),
          y0: y0 + 0.2 * (y1 - y0),
          y1: y0 + 0.8 * (y1 - y0),
          portrait: true,
        }
      : kind === 'photo' || (kind === 'page' && rng() < 0.3)
        ? { x0: x0 + 0.15 * (x1 - x0), x1: x0 + 0.85 * (x1 - x0), y0: y0 + 0.08 * (y1 - y0), y1: y0 + 0.35 * (y1 - y0), portrait: false }
        : undefined;
  // A logo's rings: centred in the picture's place, the outer one a third of its width across (radius), each 0.14 of that wide.
  const ring = picture
    ? { x: (picture.x0 + picture.x1) / 2, y: (picture.y0 + picture.y1) / 2, r: (picture.x1 - picture.x0) / 3 }
    : undefined;
  const pictureLab = picture?.portrait
    ? { l: PORTRAIT_LAB.l + (rng() - 0.5) * 10, a: PORTRAIT_LAB.a, b: PORTRAIT_LAB.b }
    : jitteredLab('gray', rng);
  const hairLab = { l: 22 + rng() * 12, a: 6, b: 10 };
  // Lines of letters: a page's fill it below its picture; a card's sit right of the portrait.
  const lines: TextLine[] = [];
  const { letter, stroke } = type;
  if (kind === 'page' || kind === 'card' || kind === 'logo') {
    const spacing = letter * (kind === 'page' ? 1.7 + rng() * 0.8 : 2.2 + rng() * 0.8);
    const left = kind !== 'page' ? picture!.x1 + 0.06 * (x1 - x0) : x0 + 0.08 * (x1 - x0);
    const first = kind !== 'page' ? y0 + 0.22 * (y1 - y0) : picture && !picture.portrait ? picture.y1 + letter * 2 : y0 + 0.1 * (y1 - y0);
    const count = kind !== 'page' ? 2 + Math.floor(rng() * 3) : Math.floor((y0 + 0.92 * (y1 - y0) - first) / spacing);
    const advance = letter * 0.55 + Math.max(1, letter * 0.25);
    const blackLine = kind === 'card' && n % 2 === 1 ? Math.floor(rng() * count) : -1;
    for (let k = 0; k < count; k++) {
      const right = x0 + (0.75 + rng() * 0.17) * (x1 - x0);
      const glyphs = Array.from({ length: Math.ceil((right - left) / advance) }, () => (rng() < 0.17 ? 0 : 1 + Math.floor(rng() * 127)));
      lines.push({ top: first + k * spacing, left, right, glyphs, black: kind === 'logo' || k === blackLine });
    }
  }
  const advance = letter * 0.55 + Math.max(1, letter * 0.25);
  /** Which stroke of a glyph covers a point (gx, gy) of its cell (letter-height units from its top left), if any. */
  const inGlyph = (mask: number, gx: number, gy: number): boolean => {
    const w = stroke;
    const cell = letter * 0.55;
    if (gx < 0 || gx >= cell || gy < -letter * 0.5 || gy >= letter) return false;
    if (gy < 0) return (mask & 64) !== 0 && gx < w; // ascender
    return (
      ((mask & 1) !== 0 && gx < w) ||
      ((mask & 2) !== 0 && gx >= cell - w) ||
      ((mask & 4) !== 0 && gy < w) ||
      ((mask & 8) !== 0 && Math.abs(gy - letter / 2) < w / 2) ||
      ((mask & 16) !== 0 && gy >= letter - w) ||
      ((mask & 32) !== 0 && Math.abs(gx - cell / 2) < w / 2) ||
      // Every glyph has at least one stem, as letters do.
      ((mask & 3) === 0 && gx < w)
    );
  };
  /** What covers a point of the paper (its frame coordinates turned back): 0 paper, 1 ink, 2 black ink, 3 picture, 4 hair. */
  const layer = (x: number, y: number): number => {
    if (kind === 'logo' && ring) {
      const d = Math.hypot(x - ring.x, y - ring.y) / ring.r;
      if ((d > 0.86 && d <= 1) || (d > 0.56 && d <= 0.7)) return 1;
    } else if (picture && x >= picture.x0 && x < picture.x1 && y >= picture.y0 && y < picture.y1) {
      if (!picture.portrait) return 3;
      const hx = (x - (picture.x0 + picture.x1) / 2) / (picture.x1 - picture.x0);
      const hy = (y - picture.y0) / (picture.y1 - picture.y0);
      return hy < 0.3 || (hy < 0.55 && Math.abs(hx) > 0.32) ? 4 : 3;
    }
    for (const line of lines) {
      if (y < line.top - letter * 0.5 || y >= line.top + letter || x < line.left || x >= line.right) continue;
      const index = Math.floor((x - line.left) / advance);
      const mask = line.glyphs[index] ?? 0;
      if (mask !== 0 && inGlyph(mask, x - line.left - index * advance, y - line.top)) return line.black ? 2 : 1;
    }
    return 0;
  };
  const { mean, std } = textureSpread(texture.data);
  const data = Buffer.from(background.data);
  const colours = [paper, inkLab, blackLab, pictureLab, hairLab];
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      // 3 x 3 supersampled: the paper's edge and the letters' strokes are anti-aliased.
      const counts = [0, 0, 0, 0, 0];
      let inside = 0;
      for (let sy = 0; sy < 3; sy++)
        for (let sx = 0; sx < 3; sx++) {
          const fx = x + (sx + 0.5) / 3 - cx;
          const fy = y + (sy + 0.5) / 3 - cy;
          const px = cx + fx * cos + fy * sin;
          const py = cy - fx * sin + fy * cos;
          if (px < x0 || px >= x1 || py < y0 || py >= y1) continue;
          inside++;
          counts[layer(px, py)]!++;
        }
      if (inside === 0) continue;
      const tx = Math.min(127, Math.max(0, Math.floor((x / width) * 128)));
      const ty = Math.min(127, Math.max(0, Math.floor((y / height) * 128)));
      const shade = Math.max(-2.5, Math.min(2.5, ((texture.data[ty * 128 + tx] ?? mean) - mean) / std));
      const i = (y * width + x) * 3;
      for (let c = 0; c < 3; c++) {
        let own = 0;
        for (let k = 0; k < colours.length; k++) {
          if (counts[k] === 0) continue;
          const lab = colours[k]!;
          own += (labToRgb({ l: Math.min(100, Math.max(0, lab.l + 1.5 * shade)), a: lab.a, b: lab.b })[c] ?? 0) * counts[k]!;
        }
        data[i + c] = Math.round((own / inside) * (inside / 9) + (data[i + c] ?? 0) * (1 - inside / 9));
      }
    }
  const boxGiven = n % 2 === 1;
  const truthBox = frameBox(x0, y0, x1, y1, width, height);
  const printed: PrintScene = { kind, letter, stroke, ...(kind === 'page' ? { ink: 'black' as const } : ink ? { ink: ink.name } : {}) };
  return {
    id: `${split}-print-${kind}-${printed.ink ?? 'none'}-${letter}-${boxGiven ? '' : 'unboxed-'}${n}`,
    split,
    color: 'white',
    scale: 1,
    shape: `print-${kind}`,
    background: background.file,
    texture: texture.file,
    image: { data, width, height },
    boxGiven,
    box: boxGivenFor(boxGiven, truthBox, rng),
    truthBox,
    printed,
  };
}
