/**
 * The generated colour benchmark: item cut-outs recoloured to a named colour of the platform's
 * vocabulary (COLOR_HEX: its lightness, chroma and hue, slightly jittered), with the shading of a real
 * photo kept (shadows darken, highlights brighten and wash out), pasted with a soft drop shadow onto a
 * real photo whose own dominant colours do not include that name, at three scales. The box handed to
 * the measurement is the cut-out's box loosened and shifted the way detector boxes are. Unboxed scenes
 * (an item filling half or most of the frame near its middle, no box given) stand for the items only the
 * classifier names: there the item must first be found in the whole frame. Accented scenes (boxed and
 * not) paint a second named colour, far from the item's, on part of the item: a band, a logo patch or
 * three lines of bold print, so the accent colours people name (a red band, a green logo) are measured.
 * Finished scenes render silver and gold items as metal (broad reflections and a highlight streak) and
 * white and yellow ones matte, the whole photo under- or over-exposed, so silver/white and gold/yellow
 * naming is measured where it is hard. Frame-filling scenes (a card, a page, a package close up: a
 * slightly turned, keystoned rectangle over 80-100 % of the frame, table at two edges at most, a portrait
 * or logo patch and lines of print) measure whether the item is taken as the whole frame, not its patch.
 *
 * Cut-outs are shapes (tune: ellipse, card, capsule, a mug with a loop handle, a badge with a lanyard slot,
 * a mitten with its thumb, an irregular polygon; holdout: bag with a handle, tag with a hole, an irregular blob)
 * textured with the luminance of a real photo patch: no npm package ships item cut-outs with masks,
 * and cutting them out of the labelled photos with the segmentation under test would be circular.
 *
 * Two splits, disjoint in everything a tuner could fit to: `tune` and `holdout` take their backgrounds
 * and textures from different photos (every other photo of the manifest), use different shapes and a
 * different colour jitter seed. Look at `holdout` only to report. Seeded: the same call gives the same
 * images. Test and tool code: reads ../shared photos, never used by the product.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { COLOR_HEX, COLOR_NAMES, type Box, type ColorName } from '@media-ai/contracts';
import { metalRimScenes, type MetalRimKind } from './metal-rims.js';
import { dominantColors, hexToLab, labToRgb, mulberry32, rgbToLab, type DecodedImage, type Lab } from '@media-ai/vision';
import { lightScenes, type LightOf } from './light.js';
import { printScenes, type PrintScene } from './print-scenes.js';

export type Split = 'tune' | 'holdout';

export interface BenchSample {
  id: string;
  split: Split;
  color: ColorName;
  /** The cut-out's longer side as a share of the frame's shorter side. */
  scale: number;
  shape: string;
  background: string;
  texture: string;
  image: DecodedImage;
  /**
   * Whether the measurement is given a box: false for a scene with no detector box (the classifier named
   * the item), where the item must first be found in the whole frame (salientObject).
   */
  boxGiven: boolean;
  /** The box given to the measurement: the cut-out's, loosened and shifted like a detector's; the whole frame when none is given. */
  box: Box;
  /** The cut-out's exact bounding box. */
  truthBox: Box;
  /** A second, clearly different named colour painted on part of the item (a band, a logo patch, printed lines); absent on plain scenes. */
  accent?: { color: ColorName; kind: AccentKind };
  /**
   * Finished scenes: silver and gold items rendered as metal (a specular gradient and a highlight
   * streak), white and yellow ones matte, the whole photo then under- or over-exposed by `exposure`
   * stops, so naming silver against white and gold against yellow is measured; absent on the others.
   */
  finish?: { kind: 'metallic' | 'matte'; exposure: number };
  /**
   * Frame-filling scenes: a card, a document page or a package photographed close up, a flat rectangle
   * over 80-100 % of the frame (`cover`), turned by `angle` degrees and slightly keystoned, the table
   * showing at `margins` (0-2) edges; `accent` is its portrait or logo patch, `print` its lines of print.
   * The item is the whole rectangle, so its colours are the rectangle's, not the patch's. `textLines`:
   * the boxes (normalised, clipped to the frame) of its lines of print, as an OCR stage would find them:
   * what the colour benchmark passes, in place of OCR, to the aggregator's frame-filling document rule.
   * Absent on the others.
   */
  frame?: { kind: FrameKind; cover: number; angle: number; margins: number; print: ColorName; textLines: Box[] };
  /**
   * Document-accent scenes (a frame-filling white, grey or black card or page whose portrait is a muted
   * skin tone): the strongly coloured accent it carries (a band, a seal, two lines of coloured print),
   * or none: then any colour named besides the item's and its print is a false accent.
   */
  documentAccent?: { kind: DocumentAccentKind | 'none' };
  /**
   * Metal scenes (issue 20, the silver class): a thin or rounded item (a frame, a rod, a case, a bezel) of brushed
   * or anodised metal (truth silver: a lightness gradient along one direction, one or two specular bands, fine
   * brushing streaks, the surroundings' colours mirrored in), or of the counter-class a rule must not call silver:
   * matte grey plastic, white enamel, grey fabric; the whole photo under- or over-exposed by `exposure` stops.
   * Absent on the others.
   */
  metal?: { material: MetalMaterial; exposure: number };
  /**
   * Open scenes (issue 20, separation): a thin or open item whose box is mostly background (a frame, a rod,
   * a ring, a wire outline like a bicycle's, a strap), or a small rim or bezel round a black or white face
   * (`face`, a second colour the item has), on a real photo or a plain wall (`ground`), sometimes held by a
   * hand (`hand`: a skin-toned blob over part of the item, reaching past the box). The item's colour is the
   * frame's, the rim's or the wire's. Absent on the others.
   */
  open?: { ground: 'photo' | 'plain'; hand: boolean; face?: ColorName };
  /**
   * A same-ground scene (sameGroundScene): a phone-like slab held in a hand over a wall of its own colour, `rim`
   * the thin rim round its face. Absent on the others.
   */
  sameGround?: { rim: ColorName };
  /** A metal-rim scene (metal-rims.ts): a dark face with a thin metal rim or bezel (`rim`, named silver), or none. Absent on the others. */
  metalRim?: { kind: MetalRimKind; rim: boolean };
  /** A print scene (print-scenes.ts): a page or card with or without print, and the colour its print is named by. */
  printed?: PrintScene;
  /**
   * The COCO label a detector gives the drawn item, as the product passes it to itemColors (its outline, cocoOutline):
   * 'cell phone' on the same-ground slabs, 'bicycle' on the wire outline; absent where no COCO class names what is drawn.
   */
  label?: string;
  /** Light scenes (light.ts): the light the whole frame was photographed under, and its ground. Absent on the others. */
  lit?: LightOf;
}

/** What a metal scene's item is made of: metal (named silver) or the matte surfaces silver is confused with. */
export type MetalMaterial = 'brushed' | 'anodised' | 'plastic' | 'enamel' | 'fabric';
/** The metal scenes' materials and the name each is called by. */
export const METAL_MATERIALS: ReadonlyArray<{ material: MetalMaterial; color: ColorName }> = [
  { material: 'brushed', color: 'silver' },
  { material: 'anodised', color: 'silver' },
  { material: 'plastic', color: 'gray' },
  { material: 'enamel', color: 'white' },
  { material: 'fabric', color: 'gray' },
];
/** Their scales (the item's longer side over the frame's shorter side), each with and without a box. */
export const METAL_SCALES = [0.45, 0.75] as const;

/** What fills the frame: an ID or bank card (portrait patch), a document or book page (picture), a package (logo). */
export type FrameKind = 'card' | 'page' | 'package';

/** How an accent is painted on an item: a band across it, a logo patch, or three lines of print. */
export type AccentKind = 'band' | 'patch' | 'print' | 'portrait' | 'logo' | 'seal' | 'thin-print';

/**
 * How a document's accent is painted: a band along its top edge (a licence's header), a seal, two lines of coloured
 * print (bars as tall as a line), or two lines of thin coloured lettering (`thin-print`: strokes about 1.5 px wide at
 * 320 x 240, the way a licence's state name or a card's coloured print reads in a phone photo; its own generator).
 */
export type DocumentAccentKind = 'band' | 'seal' | 'print' | 'thin-print';
/** The document-accent scenes: achromatic documents, each with every accent kind and without one. */
export const DOCUMENT_COLORS = ['white', 'gray', 'black'] as const;
export const DOCUMENT_ACCENT_KINDS = ['band', 'seal', 'print', 'none'] as const;
/** Their accents: the strong colours documents are printed in. */
const DOCUMENT_ACCENT_COLORS = ['red', 'green', 'blue', 'orange', 'purple', 'yellow'] as const;
/** A portrait's muted skin tone (C* about 22): colourful to a camera, not an accent to a person. */
export const PORTRAIT_LAB = { l: 66, a: 12, b: 18 };

export interface BenchOptions {
  /** The labelled photos' manifest (backgrounds and textures come from its photos). */
  manifestPath: string;
  /** Samples per colour and scale. Default 4. */
  perColor?: number;
  width?: number;
  height?: number;
}

export const SCALES = [0.25, 0.45, 0.75] as const;
/** Scales of the scenes without a box: an item the photo is taken of, filling part of the frame. */
export const UNBOXED_SCALES = [0.5, 0.8] as const;
/** Scales of the scenes with an accent: boxed at the two larger scales, and one unboxed (a card or a passport photographed alone). */
export const ACCENT_SCALES = [
  { scale: 0.45, boxGiven: true },
  { scale: 0.75, boxGiven: true },
  { scale: 0.6, boxGiven: false },
] as const;
/** The finished scenes: metal and the matte colour it is confused with, boxed at two scales. */
export const FINISHED = [
  { color: 'silver', kind: 'metallic' },
  { color: 'gold', kind: 'metallic' },
  { color: 'white', kind: 'matte' },
  { color: 'yellow', kind: 'matte' },
] as const;
export const FINISHED_SCALES = [0.45, 0.75] as const;
/** Frame-filling scenes: alternately with no box (the classifier names a document) and with a box about the frame. */
export const FRAME_KINDS = ['card', 'page', 'package'] as const;
/** An accent colour differs from the item's by at least this ΔE between their reference colours: a person would name both. */
const ACCENT_MIN_DISTANCE = 30;

type Shape = (u: number, v: number, rng: () => number) => (u: number, v: number) => boolean;

/** An item's width and height in pixels: `side` along its longer axis, `aspect` = width / height, each at least `min`. */
function itemSize(side: number, aspect: number, min: number): { itemW: number; itemH: number } {
  return {
    itemW: Math.max(min, Math.round(aspect >= 1 ? side : side * aspect)),
    itemH: Math.max(min, Math.round(aspect >= 1 ? side / aspect : side)),
  };
}

/**
 * Where an item sits along one axis, as a share of the room left beside it (one draw of `random`). Without a
 * box the item is what the photo was taken of: near the middle (the middle half), not at the edge.
 */
function placedAt(boxGiven: boolean, random: () => number): number {
  const spread = boxGiven ? 1 : 0.5;
  return 0.5 - spread / 2 + random() * spread;
}

/** u, v in [-1, 1] over the cut-out's box; true inside. Each factory may draw its own irregularity. */
const SHAPES: Record<Split, Record<string, Shape>> = {
  tune: {
    ellipse: () => (u, v) => u * u + v * v <= 1,
    card: () => (u, v) => roundedRect(u, v, 0.25),
    capsule: () => (u, v) => roundedRect(u, v, 0.9),
    // A mug: a body on the left three quarters and a loop handle on its right side (background shows through the loop).
    mug: () => (u, v) =>
      roundedRect((u + 0.25) / 0.75, v, 0.12) || (u > 0.45 && Math.abs(Math.hypot((u - 0.45) / 0.5, v / 0.55) - 0.8) < 0.2),
    // A badge or a travel card: a slot punched near its top edge for a lanyard.
    badge: () => (u, v) => roundedRect(u, v, 0.15) && !(Math.abs(u) < 0.28 && Math.abs(v + 0.75) < 0.07),
    // A mitten: a body with a thumb standing off one side, the notch between them open to the background.
    mitten: () => (u, v) => roundedRect((u + 0.2) / 0.8, v, 0.7) || (Math.hypot((u - 0.72) / 0.25, (v + 0.1) / 0.45) <= 1 && v < 0.25),
    // An irregular outline: a polygon of 7-10 corners at random radii (a crumpled pouch, a toy, a glove seen flat).
    polygon: (_u, _v, rng) => {
      const corners = 7 + Math.floor(rng() * 4);
      const radii = Array.from({ length: corners }, () => 0.6 + rng() * 0.4);
      return (u, v) => {
        const at = (((Math.atan2(v, u) / (Math.PI * 2)) % 1) + 1) % 1;
        const k = Math.floor(at * corners);
        const t = at * corners - k;
        return Math.hypot(u, v) <= radii[k]! * (1 - t) + radii[(k + 1) % corners]! * t;
      };
    },
  },
  holdout: {
    // A bag: a body in the lower two thirds and a handle ring above it (the background shows through it).
    bag: () => (u, v) =>
      roundedRect(u, (v - 0.33) / 0.67, 0.2) || (v < -0.3 && Math.abs(Math.hypot(u / 0.55, (v + 0.3) / 0.7) - 0.85) < 0.15),
    tag: () => (u, v) => roundedRect(u, v, 0.3) && Math.hypot(u + 0.6, v + 0.6) > 0.18,
    blob: (_u, _v, rng) => {
      const harmonics = [1, 2, 3].map((k) => ({ k: k + 1, amp: 0.08 + 0.1 * rng(), phase: rng() * Math.PI * 2 }));
      return (u, v) => {
        const angle = Math.atan2(v, u);
        const radius = 0.8 + harmonics.reduce((sum, h) => sum + h.amp * Math.cos(h.k * angle + h.phase), 0) * 0.6;
        return Math.hypot(u, v) <= Math.min(1, radius);
      };
    },
  },
};

function roundedRect(u: number, v: number, r: number): boolean {
  if (Math.abs(u) > 1 || Math.abs(v) > 1) return false;
  const du = Math.max(0, Math.abs(u) - (1 - r));
  const dv = Math.max(0, Math.abs(v) - (1 - r));
  return du * du + dv * dv <= r * r;
}

export interface Picture {
  file: string;
  data: Buffer;
  names: string[];
}

export async function colourBenchmark(split: Split, options: BenchOptions): Promise<BenchSample[]> {
  const width = options.width ?? 320;
  const height = options.height ?? 240;
  const perColor = options.perColor ?? 4;
  const folder = path.dirname(path.resolve(options.manifestPath));
  const files = (JSON.parse(readFileSync(options.manifestPath, 'utf8')) as Array<{ file: string }>).map((e) => e.file).sort();
  const half = (parity: number) => files.filter((_, i) => i % 2 === parity);
  const backgroundFiles = half(split === 'tune' ? 0 : 1);
  const textureFiles = half(split === 'tune' ? 1 : 0);

  const backgrounds: Picture[] = [];
  for (const file of backgroundFiles) {
    const bytes = readFileSync(path.join(folder, file));
    const data = await sharp(bytes)
      .rotate()
      .flatten({ background: '#ffffff' })
      .resize(width, height, { fit: 'cover' })
      .removeAlpha()
      .raw()
      .toBuffer();
    const names = (await dominantColors(bytes, { max: 3, ignoreBackground: false, accents: false })).map((c) => c.name);
    backgrounds.push({ file, data, names });
  }
  const textures: Picture[] = [];
  for (const file of textureFiles) {
    const image = sharp(readFileSync(path.join(folder, file))).rotate();
    const meta = await image.metadata();
    const w = meta.autoOrient?.width ?? meta.width ?? 1;
    const h = meta.autoOrient?.height ?? meta.height ?? 1;
    // The middle of the photo: where its item's own light and shade are.
    const data = await image
      .extract({ left: Math.round(w * 0.25), top: Math.round(h * 0.25), width: Math.round(w * 0.5), height: Math.round(h * 0.5) })
      .resize(128, 128, { fit: 'fill' })
      .greyscale()
      .raw()
      .toBuffer();
    textures.push({ file, data, names: [] });
  }

  const rng = mulberry32(split === 'tune' ? 0xc0105 : 0x4e1d0);
  const shapes = Object.entries(SHAPES[split]);
  const samples: BenchSample[] = [];
  const scene = (
    color: ColorName,
    scale: number,
    n: number,
    random: () => number,
    boxGiven: boolean,
    withAccent = false,
    finishKind?: 'metallic' | 'matte',
    look: { paint?: Lab; ground?: (data: Buffer) => void } = {},
  ): BenchSample => {
    const eligible = backgrounds.filter((b) => !b.names.includes(color));
    const background = pick(eligible.length > 0 ? eligible : backgrounds, random);
    const texture = pick(textures, random);
    const [shapeName, shapeFactory] = pick(shapes, random);
    const aspect = 0.55 + random() * 0.9;
    const side = scale * Math.min(width, height);
    const { itemW, itemH } = itemSize(side, aspect, 8);
    const left = Math.round(placedAt(boxGiven, random) * (width - itemW));
    const top = Math.round(placedAt(boxGiven, random) * (height - itemH));
    const inside = shapeFactory(0, 0, random);
    const target = look.paint ?? jitteredLab(color, random);
    const accent = withAccent ? accentOn(color, random) : undefined;
    const specular = finishKind === 'metallic' ? specularOn(random) : undefined;
    const data = Buffer.from(background.data);
    look.ground?.(data);
    paste(data, width, { left, top, itemW, itemH }, inside, texture.data, target, accent, specular);
    // A camera's exposure changes the whole photo: -0.8 to +0.6 stops.
    const exposure = finishKind ? Math.round((-0.8 + random() * 1.4) * 100) / 100 : 0;
    if (finishKind) expose(data, exposure);
    const truthBox = { x: left / width, y: top / height, width: itemW / width, height: itemH / height };
    return {
      id: `${split}-${withAccent ? 'accent-' : ''}${finishKind ? `${finishKind}-` : ''}${boxGiven ? '' : 'unboxed-'}${color}-${scale}-${n}`,
      split,
      color,
      scale,
      shape: shapeName,
      background: background.file,
      texture: texture.file,
      image: { data, width, height },
      boxGiven,
      box: boxGivenFor(boxGiven, truthBox, random),
      truthBox,
      ...(accent ? { accent: { color: accent.color, kind: accent.kind } } : {}),
      ...(finishKind ? { finish: { kind: finishKind, exposure } } : {}),
    };
  };
  for (const color of COLOR_NAMES) {
    for (const scale of SCALES) {
      for (let n = 0; n < perColor; n++) samples.push(scene(color, scale, n, rng, true));
    }
  }
  // A generator of its own, so the boxed scenes stay what they were before the unboxed ones were added.
  const unboxedRng = mulberry32(split === 'tune' ? 0x5a11e : 0x0b1ec7);
  for (const color of COLOR_NAMES) {
    for (const scale of UNBOXED_SCALES) {
      for (let n = 0; n < perColor; n++) samples.push(scene(color, scale, n, unboxedRng, false));
    }
  }
  // Accented items from a third generator: the scenes above stay byte-identical.
  const accentRng = mulberry32(split === 'tune' ? 0xacce47 : 0x7e11a5);
  for (const color of COLOR_NAMES) {
    for (const { scale, boxGiven } of ACCENT_SCALES) {
      for (let n = 0; n < perColor; n++) samples.push(scene(color, scale, n, accentRng, boxGiven, true));
    }
  }
  // Finished (metal and matte) items from a fourth generator: the scenes above stay byte-identical.
  const finishRng = mulberry32(split === 'tune' ? 0xf1a15 : 0x3e7a1);
  for (const { color, kind } of FINISHED) {
    for (const scale of FINISHED_SCALES) {
      for (let n = 0; n < perColor; n++) samples.push(scene(color, scale, n, finishRng, true, false, kind));
    }
  }
  // Frame-filling items (cards, pages, packages close up) from a fifth generator: the scenes above stay byte-identical.
  const frameRng = mulberry32(split === 'tune' ? 0xf7a3e : 0x0d0c5);
  for (const color of COLOR_NAMES) {
    for (let n = 0; n < perColor; n++) {
      const eligible = backgrounds.filter((b) => !b.names.includes(color));
      const background = pick(eligible.length > 0 ? eligible : backgrounds, frameRng);
      const texture = pick(textures, frameRng);
      samples.push(frameScene(split, color, n, frameRng, background, texture, width, height));
    }
  }
  // Achromatic documents with and without a small strong accent, from a sixth generator: the scenes above stay byte-identical.
  const documentRng = mulberry32(split === 'tune' ? 0xd0cacc : 0x5ea1ed);
  for (const color of DOCUMENT_COLORS) {
    for (const kind of DOCUMENT_ACCENT_KINDS) {
      for (let n = 0; n < perColor; n++) {
        const background = pick(backgrounds, documentRng);
        const texture = pick(textures, documentRng);
        samples.push(frameScene(split, color, n, documentRng, background, texture, width, height, { kind }));
      }
    }
  }
  // Achromatic documents with two lines of thin coloured lettering, from a ninth generator: the other scenes stay byte-identical.
  samples.push(...thinPrintDocuments(split, perColor, backgrounds, textures, width, height));
  // Metal items and their matte counter-class, boxed and not, from a seventh generator: the scenes above stay byte-identical.
  const metalRng = mulberry32(split === 'tune' ? 0x5117e2 : 0xa10d1e);
  const metalShapes = Object.entries(METAL_SHAPES[split]);
  for (const { material, color } of METAL_MATERIALS) {
    for (const scale of METAL_SCALES) {
      for (const boxGiven of [true, false]) {
        for (let n = 0; n < perColor; n++) {
          const background = pick(backgrounds, metalRng);
          const texture = pick(textures, metalRng);
          const [shape, inside] = pick(metalShapes, metalRng);
          samples.push(
            metalScene({ split, material, color, scale, boxGiven, n, rng: metalRng, background, texture, shape, inside, width, height }),
          );
        }
      }
    }
  }
  // Open items (thin frames, rods, rings, wire outlines, rims round a face), boxed and not, from an eighth
  // generator: the scenes above stay byte-identical.
  const openRng = mulberry32(split === 'tune' ? 0x0be45 : 0x7a1e5);
  const openShapes = Object.entries(OPEN_SHAPES[split]);
  for (const color of COLOR_NAMES) {
    for (const boxGiven of [true, false]) {
      for (let n = 0; n < Math.max(1, perColor / 2); n++) {
        const [shape, outline] = pick(openShapes, openRng);
        samples.push(
          openScene({
            split,
            color,
            boxGiven,
            n,
            rng: openRng,
            backgrounds,
            texture: pick(textures, openRng),
            shape,
            outline,
            width,
            height,
          }),
        );
      }
    }
  }
  // Same-ground items (a phone-like slab in a hand over a wall of its own colour), from a tenth generator: the
  // scenes above stay byte-identical.
  const sameGroundRng = mulberry32(split === 'tune' ? 0x5a3e6 : 0xc0ffe);
  for (const color of SAME_GROUND_COLORS)
    for (let n = 0; n < Math.max(2, perColor / 2); n++)
      samples.push(sameGroundScene(split, color, n, sameGroundRng, pick(textures, sameGroundRng), width, height));
  // Dark items with a thin metal rim or bezel, and bare ones on a light table, from an eleventh generator (metal-rims.ts).
  samples.push(...metalRimScenes(split, perColor, backgrounds, width, height));
  // Plain items under a coloured or dim light (light.ts), from a twelfth generator: the scenes above stay byte-identical.
  samples.push(
    ...lightScenes(split, perColor, (color, scale, n, random, boxGiven, look) =>
      scene(color, scale, n, random, boxGiven, false, undefined, look),
    ),
  );
  // Pages and cards with and without print (print-scenes.ts), from a thirteenth generator: the scenes above stay byte-identical.
  samples.push(...(await printScenes(split, perColor, backgrounds, textures, width, height)));
  return samples;
}

/**
 * Open items' outlines, u, v in [-1, 1] over the item's box; `face` marks where a rim's face is (painted
 * black or white), absent on the items with nothing inside. Tune: a rectangular frame, a diagonal rod, a thin
 * ring, a bicycle-like wire outline (two wheels and a triangle), a bezel round a face; holdout: a strap loop,
 * a coat hanger, a square bezel round a face, a key ring with a tag's outline.
 */
interface OpenShape {
  inside: (u: number, v: number) => boolean;
  face?: (u: number, v: number) => boolean;
  /** The COCO label a detector gives it (BenchSample.label), where there is one. */
  label?: string;
}
const nearSegment = (u: number, v: number, a: [number, number], b: [number, number], w: number): boolean => {
  const [ax, ay] = a;
  const [bx, by] = b;
  const t = Math.max(0, Math.min(1, ((u - ax) * (bx - ax) + (v - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
  return Math.hypot(u - ax - t * (bx - ax), v - ay - t * (by - ay)) < w;
};
const OPEN_SHAPES: Record<Split, Record<string, OpenShape>> = {
  tune: {
    'open-frame': { inside: (u, v) => roundedRect(u, v, 0.1) && !roundedRect(u / 0.86, v / 0.86, 0.08) },
    'open-rod': { inside: (u, v) => nearSegment(u, v, [-0.95, 0.9], [0.95, -0.9], 0.06) },
    'open-ring': { inside: (u, v) => Math.abs(Math.hypot(u, v) - 0.92) < 0.07 },
    'open-wire': {
      inside: (u, v) =>
        Math.abs(Math.hypot((u + 0.55) / 0.45, (v - 0.4) / 0.6) - 1) < 0.09 ||
        Math.abs(Math.hypot((u - 0.55) / 0.45, (v - 0.4) / 0.6) - 1) < 0.09 ||
        nearSegment(u, v, [-0.55, 0.4], [-0.1, -0.5], 0.05) ||
        nearSegment(u, v, [-0.1, -0.5], [0.45, -0.5], 0.05) ||
        nearSegment(u, v, [0.45, -0.5], [0.55, 0.4], 0.05) ||
        nearSegment(u, v, [-0.1, -0.5], [0.05, 0.4], 0.05) ||
        nearSegment(u, v, [-0.55, 0.4], [0.05, 0.4], 0.05),
      label: 'bicycle',
    },
    'open-bezel': { inside: (u, v) => Math.hypot(u, v) <= 1, face: (u, v) => Math.hypot(u, v) < 0.84 },
  },
  holdout: {
    'open-strap': { inside: (u, v) => Math.abs(Math.hypot(u / 0.9, (v + 0.1) / 0.9) - 0.85) < 0.1 && v > -0.95 },
    'open-hanger': {
      inside: (u, v) =>
        nearSegment(u, v, [-0.95, 0.8], [0.95, 0.8], 0.06) ||
        nearSegment(u, v, [-0.95, 0.8], [0, -0.3], 0.06) ||
        nearSegment(u, v, [0.95, 0.8], [0, -0.3], 0.06) ||
        (Math.abs(Math.hypot(u, v + 0.65) - 0.25) < 0.06 && !(u < 0 && v > -0.65)),
    },
    'open-square-bezel': { inside: (u, v) => roundedRect(u, v, 0.3), face: (u, v) => roundedRect(u / 0.82, v / 0.82, 0.25) },
    'open-key-ring': {
      inside: (u, v) =>
        Math.abs(Math.hypot(u + 0.55, v + 0.55) - 0.4) < 0.07 ||
        (roundedRect((u - 0.3) / 0.65, (v - 0.3) / 0.65, 0.2) && !roundedRect((u - 0.3) / 0.55, (v - 0.3) / 0.55, 0.15)),
    },
  },
};

interface OpenSceneInput {
  split: Split;
  color: ColorName;
  boxGiven: boolean;
  n: number;
  rng: () => number;
  backgrounds: Picture[];
  texture: Picture;
  shape: string;
  outline: OpenShape;
  width: number;
  height: number;
}

/**
 * One open scene: the item (its longer side 45-80 % of the frame's shorter side, thin parts 4-10 % of its box)
 * drawn by paste with the texture's shading, on a real photo whose colours do not include the item's, or on a
 * plain wall (a muted colour at least ACCENT_MIN_DISTANCE from the item's, a soft gradient and sensor noise).
 * A rim's face is black or white (whichever is farther from the rim), painted as paste's accent. Every third
 * scene a hand (a skin-toned ellipse from the frame's bottom edge) covers the item's lower part.
 */
function openScene(input: OpenSceneInput): BenchSample {
  const { split, color, boxGiven, n, rng, backgrounds, texture, shape, outline, width, height } = input;
  const own = hexToLab(COLOR_HEX[color]);
  const plain = rng() < 0.5;
  const eligible = backgrounds.filter((b) => !b.names.includes(color));
  const picture = pick(eligible.length > 0 ? eligible : backgrounds, rng);
  const data = Buffer.from(picture.data);
  if (plain) {
    const walls = COLOR_NAMES.filter((name) => {
      const other = hexToLab(COLOR_HEX[name]);
      return Math.hypot(own.l - other.l, own.a - other.a, own.b - other.b) >= ACCENT_MIN_DISTANCE;
    });
    paintWall(data, width, jitteredLab(pick(walls, rng), rng), 0.6, rng);
  }
  const scale = 0.45 + rng() * 0.35;
  const aspect = shape === 'open-rod' ? 1.6 + rng() * 0.8 : 0.75 + rng() * 0.5;
  const side = scale * Math.min(width, height);
  const { itemW, itemH } = itemSize(side, aspect, 16);
  const left = Math.round(placedAt(boxGiven, rng) * (width - itemW));
  const top = Math.round(placedAt(boxGiven, rng) * (height - itemH));
  const target = jitteredLab(color, rng);
  const black = hexToLab(COLOR_HEX.black);
  const white = hexToLab(COLOR_HEX.white);
  const faceColor: ColorName | undefined = outline.face
    ? Math.hypot(own.l - black.l, own.a - black.a, own.b - black.b) >= Math.hypot(own.l - white.l, own.a - white.a, own.b - white.b)
      ? 'black'
      : 'white'
    : undefined;
  const face =
    outline.face && faceColor
      ? { color: faceColor, kind: 'patch' as const, lab: jitteredLab(faceColor, rng), covers: outline.face }
      : undefined;
  paste(data, width, { left, top, itemW, itemH }, outline.inside, texture.data, target, face);
  const hand = n % 3 === 2 || rng() < 0.25;
  if (hand) drawHand(data, width, { left, top, itemW, itemH }, rng);
  const truthBox = { x: left / width, y: top / height, width: itemW / width, height: itemH / height };
  return {
    id: `${split}-open-${shape}-${boxGiven ? '' : 'unboxed-'}${color}-${n}`,
    split,
    color,
    scale: Math.round(scale * 100) / 100,
    shape,
    background: plain ? `plain wall (${split})` : picture.file,
    texture: texture.file,
    image: { data, width, height },
    boxGiven,
    box: boxGivenFor(boxGiven, truthBox, rng),
    truthBox,
    open: { ground: plain ? 'plain' : 'photo', hand, ...(faceColor ? { face: faceColor } : {}) },
    ...(outline.label ? { label: outline.label } : {}),
  };
}

/** A plain wall over the whole frame: `wall` with its chroma times `chroma`, a soft left-to-right gradient and sensor noise. */
export function paintWall(data: Buffer, width: number, wall: { l: number; a: number; b: number }, chroma: number, rng: () => number): void {
  const height = data.length / 3 / width;
  const tilt = (rng() - 0.5) * 16;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const rgb = labToRgb({
        l: Math.min(98, Math.max(2, wall.l + tilt * (x / width - 0.5) + (rng() - 0.5) * 4)),
        a: wall.a * chroma,
        b: wall.b * chroma,
      });
      for (let c = 0; c < 3; c++) data[(y * width + x) * 3 + c] = Math.round(rgb[c] ?? 0);
    }
}

/** A hand and wrist (a skin-toned ellipse) from the frame's bottom edge up over the item's lower part. */
export function drawHand(
  data: Buffer,
  width: number,
  at: { left: number; top: number; itemW: number; itemH: number },
  rng: () => number,
): void {
  const { left, top, itemW, itemH } = at;
  const height = data.length / 3 / width;
  const hx = left + itemW * (0.3 + rng() * 0.4);
  const hy = top + itemH * (0.8 + rng() * 0.15);
  const rx = itemW * 0.22;
  const skin = { l: 62 + rng() * 14, a: 12 + rng() * 6, b: 16 + rng() * 8 };
  for (let y = Math.max(0, Math.floor(hy - itemH * 0.2)); y < height; y++)
    for (let x = Math.max(0, Math.floor(hx - rx)); x < Math.min(width, Math.ceil(hx + rx)); x++) {
      const dy = y < hy ? (y - hy) / (itemH * 0.2) : 0;
      if (((x - hx) / rx) ** 2 + dy * dy > 1) continue;
      const rgb = labToRgb({ l: skin.l + ((x - hx) / rx) * -6, a: skin.a, b: skin.b });
      for (let c = 0; c < 3; c++) data[(y * width + x) * 3 + c] = Math.round(rgb[c] ?? 0);
    }
}

/** The item colours of the same-ground scenes: the neutrals and dark colours phones, wallets and cases come in, and a few vivid ones. */
export const SAME_GROUND_COLORS = ['black', 'white', 'gray', 'navy', 'brown', 'blue', 'red', 'green'] as const;

/**
 * One same-ground scene: a phone-like slab held in a hand over a plain wall of its own colour (a black phone at
 * night, a white one against a white wall; holdout: a rounder case): its face the item's colour, a thin rim in the opposite neutral (white
 * round a dark face, black round a light one), so only the rim and the hand part it from its surroundings. The item's
 * colour is its face's. Even n: a box is given; odd n: none.
 */
function sameGroundScene(
  split: Split,
  color: ColorName,
  n: number,
  rng: () => number,
  texture: Picture,
  width: number,
  height: number,
): BenchSample {
  const boxGiven = n % 2 === 0;
  const data = Buffer.alloc(width * height * 3);
  paintWall(data, width, jitteredLab(color, rng), 0.9, rng);
  // The slab (aspect w/h 0.5-0.6) held turned by 10-25 degrees either way: its box, as a detector draws it round the
  // turned slab, then shows the wall in its corners, as a phone held at an angle does.
  const scale = 0.55 + rng() * 0.25;
  const aspect = 0.5 + rng() * 0.1;
  const angle = ((10 + rng() * 15) * (rng() < 0.5 ? -1 : 1) * Math.PI) / 180;
  const cos = Math.abs(Math.cos(angle));
  const sin = Math.abs(Math.sin(angle));
  const boundsAspect = (aspect * cos + sin) / (aspect * sin + cos);
  const { itemW, itemH } = itemSize(scale * Math.min(width, height), boundsAspect, 16);
  /** u, v over the turned slab's bounds to u, v over the slab itself (scaled so the slab's height is 2). */
  const slab = (u: number, v: number) => {
    const x = u * (aspect * cos + sin);
    const y = v * (aspect * sin + cos);
    return { su: (x * Math.cos(angle) + y * Math.sin(angle)) / aspect, sv: -x * Math.sin(angle) + y * Math.cos(angle) };
  };
  const left = Math.round(placedAt(boxGiven, rng) * (width - itemW));
  const top = Math.round(placedAt(boxGiven, rng) * (height - itemH));
  const own = hexToLab(COLOR_HEX[color]);
  const rim: ColorName = own.l > 50 ? 'black' : 'white';
  // Tune: a phone's squarish corners; holdout: a rounder case (a power bank, a wallet).
  const corner = split === 'tune' ? 0.2 : 0.5;
  const face = {
    color,
    kind: 'patch' as const,
    lab: jitteredLab(color, rng),
    covers: (u: number, v: number) => {
      const { su, sv } = slab(u, v);
      return roundedRect(su / 0.88, sv / 0.93, 0.15);
    },
  };
  paste(
    data,
    width,
    { left, top, itemW, itemH },
    (u, v) => {
      const { su, sv } = slab(u, v);
      return roundedRect(su, sv, corner);
    },
    texture.data,
    jitteredLab(rim, rng),
    face,
  );
  drawHand(data, width, { left, top, itemW, itemH }, rng);
  const truthBox = { x: left / width, y: top / height, width: itemW / width, height: itemH / height };
  return {
    id: `${split}-same-ground-${boxGiven ? '' : 'unboxed-'}${color}-${n}`,
    split,
    color,
    scale: Math.round(scale * 100) / 100,
    shape: split === 'tune' ? 'same-ground-slab' : 'same-ground-case',
    background: `plain wall of its own colour (${split})`,
    texture: texture.file,
    image: { data, width, height },
    boxGiven,
    box: boxGivenFor(boxGiven, truthBox, rng),
    truthBox,
    sameGround: { rim },
    label: 'cell phone',
  };
}

/**
 * Metal scenes' outlines, u, v in [-1, 1] over the item's box (tune: a phone or picture frame with the
 * background showing through, a rod, a rounded case, a watch bezel; holdout: a bent tube, a round case with a
 * lug, a slab with a lens hole). Thin outlines are where a small area of metal meets a lot of background.
 */
const METAL_SHAPES: Record<Split, Record<string, (u: number, v: number) => boolean>> = {
  tune: {
    'metal-frame': (u, v) => roundedRect(u, v, 0.2) && !roundedRect(u / 0.78, v / 0.78, 0.15),
    // Drawn with an aspect of 3-5: a bicycle tube, a pen, a handle.
    'metal-rod': (u, v) => roundedRect(u, v, 0.9),
    'metal-case': (u, v) => roundedRect(u, v, 0.35),
    'metal-bezel': (u, v) => Math.hypot(u, v) <= 1 && Math.hypot(u, v) >= 0.7,
  },
  holdout: {
    'metal-tube': (u, v) => Math.abs(Math.hypot(u, v - 1.6) - 2) < 0.22 && Math.abs(u) < 0.98,
    'metal-watch': (u, v) => Math.hypot(u / 0.8, v / 0.8) <= 1 || (Math.abs(u) < 0.35 && Math.abs(v) <= 1),
    'metal-slab': (u, v) => roundedRect(u, v, 0.12) && Math.hypot(u + 0.55, v + 0.6) > 0.14,
  },
};

interface MetalSceneInput {
  split: Split;
  material: MetalMaterial;
  color: ColorName;
  scale: number;
  boxGiven: boolean;
  n: number;
  rng: () => number;
  background: Picture;
  texture: Picture;
  shape: string;
  inside: (u: number, v: number) => boolean;
  width: number;
  height: number;
}

/**
 * One metal scene. Metal: a base grey of L* 62-80 with a gradient of 8-20 L* along the light's direction, one
 * or two specular bands up to near white, a dark reflection band, fine streaks across the brushing direction
 * (anodised: softer, no streaks, a faint tint of its own), and the surroundings mirrored in (the background
 * point-reflected through the item's centre, 15-35 % of its lightness swing and its tint). Matte grey plastic
 * (L* 48-68), white enamel (L* 88-96, one small gloss spot) and grey fabric (L* 45-68, a fine weave) get only
 * lambertian shading and the texture photo's light and shade. Rotated by up to ±40°, a soft shadow beneath.
 */
function metalScene(input: MetalSceneInput): BenchSample {
  const { split, material, color, scale, boxGiven, n, rng, background, texture, shape, inside, width, height } = input;
  const metal = material === 'brushed' || material === 'anodised';
  const aspect = shape === 'metal-rod' || shape === 'metal-tube' ? 3 + rng() * 2 : 0.6 + rng() * 0.8;
  const side = scale * Math.min(width, height);
  const { itemW, itemH } = itemSize(side, aspect, 8);
  const angle = ((rng() - 0.5) * 80 * Math.PI) / 180;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  // The rotated item's bounding box in the frame.
  const boundW = Math.abs(itemW * cos) + Math.abs(itemH * sin);
  const boundH = Math.abs(itemW * sin) + Math.abs(itemH * cos);
  const cx = boundW / 2 + placedAt(boxGiven, rng) * Math.max(0, width - boundW);
  const cy = boundH / 2 + placedAt(boxGiven, rng) * Math.max(0, height - boundH);
  /** u, v in [-1, 1] over the item's own (unrotated) box, for a point of the frame. */
  const uv = (x: number, y: number) => ({
    u: (((x - cx) * cos + (y - cy) * sin) / itemW) * 2,
    v: ((-(x - cx) * sin + (y - cy) * cos) / itemH) * 2,
  });
  const light = rng() * Math.PI * 2;
  const dx = Math.cos(light);
  const dy = Math.sin(light);
  const base =
    material === 'brushed'
      ? 62 + rng() * 18
      : material === 'anodised'
        ? 66 + rng() * 14
        : material === 'enamel'
          ? 88 + rng() * 8
          : material === 'plastic'
            ? 48 + rng() * 20
            : 45 + rng() * 23;
  const ramp = material === 'brushed' ? 8 + rng() * 12 : material === 'anodised' ? 6 + rng() * 8 : 3 + rng() * 5;
  const bandCount = material === 'brushed' ? 1 + Math.floor(rng() * 2) : material === 'anodised' ? 1 : 0;
  const bands = Array.from({ length: bandCount }, () => ({
    at: (rng() - 0.5) * 1.4,
    width: material === 'brushed' ? 0.06 + rng() * 0.12 : 0.2 + rng() * 0.2,
    amp: material === 'brushed' ? 0.7 + rng() * 0.25 : 0.3 + rng() * 0.3,
  }));
  const dark = metal ? { at: (rng() - 0.5) * 1.6, width: 0.15 + rng() * 0.2, amp: 8 + rng() * 14 } : undefined;
  const mirror = metal ? 0.15 + rng() * 0.2 : 0;
  // Anodised aluminium keeps a faint tint of its own (a cool blue, a warm champagne); a plastic a faint cast.
  const tint = { a: (rng() - 0.5) * (material === 'anodised' ? 4 : 3), b: (rng() - 0.5) * (material === 'anodised' ? 6 : 3) };
  const gloss = material === 'enamel' ? { u: (rng() - 0.5) * 1.2, v: (rng() - 0.5) * 1.2 } : undefined;
  const streakPhase = Array.from({ length: 64 }, () => rng() - 0.5);
  const { mean, std } = textureSpread(texture.data);
  const backgroundLab = (x: number, y: number) => {
    const px = Math.min(width - 1, Math.max(0, Math.round(x)));
    const py = Math.min(height - 1, Math.max(0, Math.round(y)));
    const i = (py * width + px) * 3;
    return rgbToLab(background.data[i] ?? 0, background.data[i + 1] ?? 0, background.data[i + 2] ?? 0);
  };
  const coverage = (px: number, py: number) => {
    let hits = 0;
    for (let sy = 0; sy < 3; sy++)
      for (let sx = 0; sx < 3; sx++) {
        const { u, v } = uv(px + (sx + 0.5) / 3, py + (sy + 0.5) / 3);
        if (Math.abs(u) <= 1 && Math.abs(v) <= 1 && inside(u, v)) hits++;
      }
    return hits / 9;
  };
  const data = Buffer.from(background.data);
  const x0 = Math.max(0, Math.floor(cx - boundW / 2) - 1);
  const y0 = Math.max(0, Math.floor(cy - boundH / 2) - 1);
  const x1 = Math.min(width, Math.ceil(cx + boundW / 2) + 1);
  const y1 = Math.min(height, Math.ceil(cy + boundH / 2) + 1);
  const offset = Math.max(2, Math.round(Math.min(itemW, itemH) * 0.06));
  for (let y = y0; y < Math.min(height, y1 + offset); y++) {
    for (let x = x0; x < Math.min(width, x1 + offset); x++) {
      const shadow = coverage(x - offset, y - offset) * 0.3;
      if (shadow === 0) continue;
      const i = (y * width + x) * 3;
      for (let c = 0; c < 3; c++) data[i + c] = Math.round((data[i + c] ?? 0) * (1 - shadow));
    }
  }
  let minX = width;
  let minY = height;
  let maxX = 0;
  let maxY = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const alpha = coverage(x, y);
      if (alpha === 0) continue;
      minX = Math.min(minX, x);
      minY = Math.min(minY, y);
      maxX = Math.max(maxX, x + 1);
      maxY = Math.max(maxY, y + 1);
      const { u, v } = uv(x + 0.5, y + 0.5);
      const t = u * dx + v * dy;
      const tx = Math.min(127, Math.max(0, Math.floor(((u + 1) / 2) * 128)));
      const ty = Math.min(127, Math.max(0, Math.floor(((v + 1) / 2) * 128)));
      const shade = Math.max(-2.5, Math.min(2.5, ((texture.data[ty * 128 + tx] ?? mean) - mean) / std));
      let l = base + ramp * t + (metal ? 1.5 : 3) * shade;
      let a = tint.a;
      let b = tint.b;
      if (metal) {
        // The surroundings mirrored in: the background point-reflected through the item's centre.
        const seen = backgroundLab(2 * cx - x, 2 * cy - y);
        l += mirror * (seen.l - 55);
        a += mirror * 1.5 * seen.a;
        b += mirror * 1.5 * seen.b;
        if (dark) l -= dark.amp * Math.exp(-(((t - dark.at) / dark.width) ** 2));
        // Brushing: fine streaks along the light's direction, constant along each streak.
        if (material === 'brushed') l += 5 * (streakPhase[Math.floor(((u * -dy + v * dx + 1.5) / 3) * 64) & 63] ?? 0);
        for (const band of bands) {
          const g = band.amp * Math.exp(-(((t - band.at) / band.width) ** 2));
          l += (98 - l) * g;
          a *= 1 - g;
          b *= 1 - g;
        }
      } else if (material === 'fabric') {
        // A fine weave: alternate pixels lighter and darker.
        l += ((x + y) % 2 === 0 ? 3 : -3) + ((x % 3) - 1) * 1.5;
      } else if (gloss) {
        const g = Math.exp(-((Math.hypot(u - gloss.u, v - gloss.v) / 0.12) ** 2));
        l += (100 - l) * g;
      }
      const rgb = labToRgb({ l: Math.min(100, Math.max(0, l)), a, b });
      const i = (y * width + x) * 3;
      for (let c = 0; c < 3; c++) data[i + c] = Math.round((rgb[c] ?? 0) * alpha + (data[i + c] ?? 0) * (1 - alpha));
    }
  }
  const exposure = Math.round((-0.8 + rng() * 1.4) * 100) / 100;
  expose(data, exposure);
  const truthBox = { x: minX / width, y: minY / height, width: (maxX - minX) / width, height: (maxY - minY) / height };
  return {
    id: `${split}-metal-${material}-${boxGiven ? '' : 'unboxed-'}${color}-${scale}-${n}`,
    split,
    color,
    scale,
    shape,
    background: background.file,
    texture: texture.file,
    image: { data, width, height },
    boxGiven,
    box: boxGivenFor(boxGiven, truthBox, rng),
    truthBox,
    metal: { material, exposure },
  };
}

/** The thin-print documents: each achromatic document colour `perColor` times, half boxed; seeded apart from every other scene. */
function thinPrintDocuments(
  split: Split,
  perColor: number,
  backgrounds: readonly Picture[],
  textures: readonly Picture[],
  width: number,
  height: number,
): BenchSample[] {
  const rng = mulberry32(split === 'tune' ? 0x7e1e7 : 0x91a5e);
  return DOCUMENT_COLORS.flatMap((color) =>
    Array.from({ length: perColor }, (_, n) =>
      frameScene(split, color, n, rng, pick(backgrounds, rng), pick(textures, rng), width, height, { kind: 'thin-print' }),
    ),
  );
}

/**
 * A card, a page or a package photographed close up: a rectangle turned by up to ±6° and keystoned a
 * little, over the whole frame but for a margin of table (3-10 % of the frame) at no, one or two adjacent
 * edges; its own colour shaded by the texture; a portrait or logo patch in another named colour
 * (≥ ACCENT_MIN_DISTANCE away), and lines of print, dark on a light item and light on a dark one.
 * Even n: no box (the classifier names the document); odd n: a detector-like box about the rectangle.
 */
function frameScene(
  split: Split,
  color: ColorName,
  n: number,
  rng: () => number,
  background: Picture,
  texture: Picture,
  width: number,
  height: number,
  document?: { kind: DocumentAccentKind | 'none' },
): BenchSample {
  const kind = document ? pick(['card', 'page'] as const, rng) : pick(FRAME_KINDS, rng);
  const angle = Math.round((rng() - 0.5) * 12 * 10) / 10;
  const keystone = (rng() - 0.5) * 0.08;
  // Which edges show the table: none, one, or two that meet at a corner.
  const margins = Math.floor(rng() * 3);
  const first = Math.floor(rng() * 4);
  const sides = new Set(margins === 0 ? [] : margins === 1 ? [first] : [first, (first + 1) % 4]);
  const inset = (side: number, size: number) => (sides.has(side) ? (0.03 + rng() * 0.07) * size : -0.12 * size);
  // Sides: 0 left, 1 top, 2 right, 3 bottom.
  const x0 = inset(0, width);
  const y0 = inset(1, height);
  const x1 = width - inset(2, width);
  const y1 = height - inset(3, height);
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  const hw = (x1 - x0) / 2;
  const hh = (y1 - y0) / 2;
  const cos = Math.cos((angle * Math.PI) / 180);
  const sin = Math.sin((angle * Math.PI) / 180);
  /** u, v in [-1, 1] over the rectangle, for a point of the frame. */
  const uv = (x: number, y: number) => {
    const rx = (x - cx) * cos + (y - cy) * sin;
    const ry = -(x - cx) * sin + (y - cy) * cos;
    const v = ry / hh;
    return { u: rx / hw / (1 + keystone * v), v };
  };
  const target = jitteredLab(color, rng);
  const own = hexToLab(COLOR_HEX[color]);
  const far = COLOR_NAMES.filter((name) => {
    const other = hexToLab(COLOR_HEX[name]);
    return Math.hypot(own.l - other.l, own.a - other.a, own.b - other.b) >= ACCENT_MIN_DISTANCE;
  });
  const accentColor = document ? pick(DOCUMENT_ACCENT_COLORS, rng) : pick(far, rng);
  const accentLab = jitteredLab(accentColor, rng);
  // A document's accent, where its scene has one; its portrait or picture is then a muted skin tone or grey.
  const seal = document ? { u: 0.35 + rng() * 0.4, v: 0.1 + rng() * 0.5, r: 0.1 + rng() * 0.06 } : { u: 0, v: 0, r: 0 };
  const accentCovers = (u: number, v: number): boolean => {
    switch (document?.kind) {
      case 'band':
        // Inside the top edge (the rectangle may run over the frame's edge by up to 12 %).
        return v > -0.8 && v < -0.62;
      case 'seal':
        return Math.hypot(u - seal.u, ((v - seal.v) * hh) / hw) < seal.r;
      case 'print':
        return [0.72, 0.84].some((row) => Math.abs(v - row) < 0.025) && u > -0.5 && u < 0.7 && Math.abs(u - 0.1) > 0.03;
      case 'thin-print':
        // Letters: vertical strokes every ~0.03 of the width (about 5 px) and, on every third, a bar along the
        // line's top or bottom edge: ink covers about a third of the line, never a solid bar.
        return [0.72, 0.84].some((row) => {
          const dv = v - row;
          if (Math.abs(dv) >= 0.025 || u <= -0.5 || u >= 0.7 || Math.abs(u - 0.1) <= 0.03) return false;
          const at = (u + 1) % 0.03;
          const letter = Math.floor((u + 1) / 0.03);
          return at < 0.0085 || (letter % 3 === 0 && Math.abs(dv) > 0.017);
        });
      default:
        return false;
    }
  };
  const patchLab = document ? (kind === 'card' ? PORTRAIT_LAB : jitteredLab('gray', rng)) : accentLab;
  const print: ColorName = own.l > 45 ? 'black' : 'white';
  const printLab = jitteredLab(print, rng);
  // The patch: a portrait on a card's left, a picture on a page's top, a logo on a package anywhere inside.
  const patch =
    kind === 'card'
      ? { u0: -0.85, u1: -0.85 + 0.35 + rng() * 0.1, v0: -0.55, v1: 0.45 }
      : kind === 'page'
        ? { u0: -0.7, u1: 0.7, v0: -0.85, v1: -0.85 + 0.3 + rng() * 0.1 }
        : (() => {
            const pu = (rng() - 0.5) * 0.8;
            const pv = (rng() - 0.5) * 0.6;
            const r = 0.22 + rng() * 0.1;
            return { u0: pu - r, u1: pu + r, v0: pv - r, v1: pv + r };
          })();
  const inPatch = (u: number, v: number) => u >= patch.u0 && u <= patch.u1 && v >= patch.v0 && v <= patch.v1;
  // Lines of print outside the patch, broken into words.
  const rows = Array.from({ length: kind === 'page' ? 9 : 5 }, (_, k) => ({
    v: (kind === 'page' ? -0.4 : -0.5) + k * (kind === 'page' ? 0.15 : 0.22),
    gaps: Array.from({ length: 5 }, () => -0.8 + rng() * 1.6),
    end: 0.5 + rng() * 0.35,
  }));
  const inPrint = (u: number, v: number) =>
    !inPatch(u, v) &&
    rows.some(
      (row) =>
        Math.abs(v - row.v) < 0.025 &&
        u > (kind === 'card' ? patch.u1 + 0.08 : -0.8) &&
        u < row.end &&
        row.gaps.every((g) => Math.abs(u - g) > 0.03),
    );
  /** A point of the rectangle (u, v in [-1, 1]) in the frame: the inverse of uv. */
  const xy = (u: number, v: number) => {
    const rx = u * hw * (1 + keystone * v);
    const ry = v * hh;
    return { x: cx + rx * cos - ry * sin, y: cy + rx * sin + ry * cos };
  };
  // Each line of print's box in the frame, clipped to it; a line wholly outside the frame is not read.
  const textLines = rows.flatMap((row): Box[] => {
    const u0 = kind === 'card' ? patch.u1 + 0.08 : -0.8;
    const corners = [xy(u0, row.v - 0.025), xy(row.end, row.v - 0.025), xy(u0, row.v + 0.025), xy(row.end, row.v + 0.025)];
    const x0 = Math.max(0, Math.min(...corners.map((c) => c.x)) / width);
    const y0 = Math.max(0, Math.min(...corners.map((c) => c.y)) / height);
    const x1 = Math.min(1, Math.max(...corners.map((c) => c.x)) / width);
    const y1 = Math.min(1, Math.max(...corners.map((c) => c.y)) / height);
    return x1 > x0 && y1 > y0 ? [{ x: x0, y: y0, width: x1 - x0, height: y1 - y0 }] : [];
  });
  const { mean, std } = textureSpread(texture.data);
  const data = Buffer.from(background.data);
  let covered = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      // 3 x 3 supersampled: the rectangle's edge, the patch's and the print's are anti-aliased.
      let inside = 0;
      let patchShare = 0;
      let printShare = 0;
      let accentShare = 0;
      for (let sy = 0; sy < 3; sy++)
        for (let sx = 0; sx < 3; sx++) {
          const { u, v } = uv(x + (sx + 0.5) / 3, y + (sy + 0.5) / 3);
          if (Math.abs(u) > 1 || Math.abs(v) > 1) continue;
          inside++;
          if (inPatch(u, v)) patchShare++;
          else if (accentCovers(u, v)) accentShare++;
          else if (inPrint(u, v)) printShare++;
        }
      if (inside === 0) continue;
      covered += inside / 9;
      const { u, v } = uv(x + 0.5, y + 0.5);
      const tx = Math.min(127, Math.max(0, Math.floor(((u + 1) / 2) * 128)));
      const ty = Math.min(127, Math.max(0, Math.floor(((v + 1) / 2) * 128)));
      const shade = Math.max(-2.5, Math.min(2.5, ((texture.data[ty * 128 + tx] ?? mean) - mean) / std));
      const wash = 1 - 0.35 * Math.max(0, shade - 1);
      // A flat printed surface: the texture's light and shade weaker than on a solid item (±5 L*).
      const shaded = (lab: { l: number; a: number; b: number }) =>
        labToRgb({ l: Math.min(100, Math.max(0, lab.l + 5 * shade)), a: lab.a * wash, b: lab.b * wash });
      const base = shaded(target);
      const patchRgb = shaded(patchLab);
      const printRgb = shaded(printLab);
      const accentRgb = shaded(accentLab);
      const i = (y * width + x) * 3;
      const alpha = inside / 9;
      for (let c = 0; c < 3; c++) {
        const own =
          ((base[c] ?? 0) * (inside - patchShare - printShare - accentShare) +
            (patchRgb[c] ?? 0) * patchShare +
            (printRgb[c] ?? 0) * printShare +
            (accentRgb[c] ?? 0) * accentShare) /
          inside;
        data[i + c] = Math.round(own * alpha + (data[i + c] ?? 0) * (1 - alpha));
      }
    }
  }
  const boxGiven = n % 2 === 1;
  const truthBox = frameBox(x0, y0, x1, y1, width, height);
  return {
    id: `${split}-${document ? `document-${document.kind}-` : ''}frame-${kind}-${boxGiven ? '' : 'unboxed-'}${color}-${n}`,
    split,
    color,
    scale: 1,
    shape: `frame-${kind}`,
    background: background.file,
    texture: texture.file,
    image: { data, width, height },
    boxGiven,
    box: boxGivenFor(boxGiven, truthBox, rng),
    truthBox,
    ...(document?.kind === 'none'
      ? {}
      : {
          accent: {
            color: accentColor,
            kind: document ? document.kind : kind === 'card' ? 'portrait' : kind === 'page' ? 'patch' : 'logo',
          },
        }),
    ...(document ? { documentAccent: document } : {}),
    frame: { kind, cover: Math.round((covered / (width * height)) * 1000) / 1000, angle, margins, print, textLines },
  };
}

/** How light falls on a metal item: a direction across it, the phase of its broad reflections, where its highlight streak lies. */
interface Specular {
  dx: number;
  dy: number;
  phase: number;
  highlight: number;
}

/** A texture's mean grey and its spread (at least 4, so a flat texture still modulates a little). */
export function textureSpread(data: Uint8Array): { mean: number; std: number } {
  let mean = 0;
  for (const t of data) mean += t;
  mean /= data.length;
  let variance = 0;
  for (const t of data) variance += (t - mean) ** 2;
  return { mean, std: Math.max(4, Math.sqrt(variance / data.length)) };
}

function specularOn(rng: () => number): Specular {
  const angle = rng() * Math.PI;
  return { dx: Math.cos(angle), dy: Math.sin(angle), phase: rng() * Math.PI * 2, highlight: (rng() - 0.5) * 1.2 };
}

/** Multiplies the photo's sRGB values by 2^(stops / 2.2), clipped: a camera's exposure. */
export function expose(data: Buffer, stops: number): void {
  const gain = 2 ** (stops / 2.2);
  for (let i = 0; i < data.length; i++) data[i] = Math.min(255, Math.round((data[i] ?? 0) * gain));
}

interface Accent {
  color: ColorName;
  kind: AccentKind;
  lab: { l: number; a: number; b: number };
  /** u, v in [-1, 1] over the cut-out's box; true where the accent is painted. */
  covers: (u: number, v: number) => boolean;
}

/** An accent for an item of `color`: another named colour far enough from it, painted as a band, a patch or print. */
function accentOn(color: ColorName, rng: () => number): Accent {
  const own = hexToLab(COLOR_HEX[color]);
  const far = COLOR_NAMES.filter((name) => {
    const other = hexToLab(COLOR_HEX[name]);
    return Math.hypot(own.l - other.l, own.a - other.a, own.b - other.b) >= ACCENT_MIN_DISTANCE;
  });
  const accent = pick(far, rng);
  const kind = pick(['band', 'patch', 'print'] as const, rng);
  const lab = jitteredLab(accent, rng);
  // Kept inside the middle of the item, where every shape has body.
  if (kind === 'band') {
    const centre = (rng() - 0.5) * 0.6;
    return { color: accent, kind, lab, covers: (_u, v) => Math.abs(v - centre) < 0.13 };
  }
  if (kind === 'patch') {
    const cu = (rng() - 0.5) * 0.7;
    const cv = (rng() - 0.5) * 0.7;
    const r = 0.18 + rng() * 0.08;
    return { color: accent, kind, lab, covers: (u, v) => Math.abs(u - cu) < r && Math.abs(v - cv) < r };
  }
  // Three lines of bold print, broken into words.
  const gaps = [0, 1, 2].map(() => Array.from({ length: 4 }, () => -0.55 + rng() * 1.1));
  return {
    color: accent,
    kind,
    lab,
    covers: (u, v) =>
      [-0.3, 0, 0.3].some((row, k) => Math.abs(v - row) < 0.06 && Math.abs(u) < 0.6 && gaps[k]!.every((g) => Math.abs(u - g) > 0.04)),
  };
}

/** The name's reference colour in Lab, nudged a little (lightness ±4, chroma x0.9-1.1, hue ±4°). */
export function jitteredLab(color: ColorName, rng: () => number): { l: number; a: number; b: number } {
  const { l, a, b } = hexToLab(COLOR_HEX[color]);
  const chroma = Math.hypot(a, b) * (0.9 + 0.2 * rng());
  const hue = Math.atan2(b, a) + ((rng() - 0.5) * 8 * Math.PI) / 180;
  return { l: Math.min(99, Math.max(1, l + (rng() - 0.5) * 8)), a: chroma * Math.cos(hue), b: chroma * Math.sin(hue) };
}

/**
 * Draws the cut-out: a soft shadow down-right on the background, then the item, its lightness moved
 * by the texture's shading (±8 L* per standard deviation) and its chroma washed out in highlights.
 * Edges are anti-aliased by 3 x 3 supersampling.
 */
function paste(
  data: Buffer,
  width: number,
  at: { left: number; top: number; itemW: number; itemH: number },
  inside: (u: number, v: number) => boolean,
  texture: Buffer,
  target: { l: number; a: number; b: number },
  accent?: Accent,
  specular?: Specular,
): void {
  const { left, top, itemW, itemH } = at;
  const height = data.length / 3 / width;
  let mean = 0;
  for (const v of texture) mean += v;
  mean /= texture.length;
  let variance = 0;
  for (const v of texture) variance += (v - mean) ** 2;
  const std = Math.max(4, Math.sqrt(variance / texture.length));
  const coverage = (px: number, py: number) => {
    let hits = 0;
    for (let sy = 0; sy < 3; sy++)
      for (let sx = 0; sx < 3; sx++) {
        const u = ((px + (sx + 0.5) / 3 - left) / itemW) * 2 - 1;
        const v = ((py + (sy + 0.5) / 3 - top) / itemH) * 2 - 1;
        if (inside(u, v)) hits++;
      }
    return hits / 9;
  };
  const offset = Math.max(2, Math.round(Math.min(itemW, itemH) * 0.06));
  for (let y = top; y < Math.min(height, top + itemH + offset); y++) {
    for (let x = left; x < Math.min(width, left + itemW + offset); x++) {
      const shadow = coverage(x - offset, y - offset) * 0.35;
      if (shadow === 0) continue;
      const i = (y * width + x) * 3;
      for (let c = 0; c < 3; c++) data[i + c] = Math.round((data[i + c] ?? 0) * (1 - shadow));
    }
  }
  for (let y = top; y < Math.min(height, top + itemH); y++) {
    for (let x = left; x < Math.min(width, left + itemW); x++) {
      const alpha = coverage(x, y);
      if (alpha === 0) continue;
      const tx = Math.min(127, Math.floor(((x - left) / itemW) * 128));
      const ty = Math.min(127, Math.floor(((y - top) / itemH) * 128));
      const shade = Math.max(-2.5, Math.min(2.5, ((texture[ty * 128 + tx] ?? mean) - mean) / std));
      const wash = 1 - 0.35 * Math.max(0, shade - 1);
      // Metal mirrors its surroundings: broad light and dark bands along the light's direction (±22 L*)
      // and a narrow highlight streak that goes almost white; the texture's own shading is weaker.
      let mirror = 0;
      let glint = 0;
      if (specular) {
        const t = ((x - left) / itemW - 0.5) * 2 * specular.dx + ((y - top) / itemH - 0.5) * 2 * specular.dy;
        mirror = 22 * Math.sin(2.2 * t + specular.phase);
        glint = Math.exp(-(((t - specular.highlight) / 0.12) ** 2));
      }
      const shaded = (lab: { l: number; a: number; b: number }) => {
        const l = Math.min(100, Math.max(0, lab.l + (specular ? 3 : 8) * shade + mirror));
        return labToRgb({ l: l + (100 - l) * 0.85 * glint, a: lab.a * wash * (1 - 0.8 * glint), b: lab.b * wash * (1 - 0.8 * glint) });
      };
      const rgb = shaded(target);
      if (accent) {
        const share = accentCoverage(x, y, { left, top, itemW, itemH }, accent.covers);
        const painted = shaded(accent.lab);
        for (let c = 0; c < 3; c++) rgb[c] = (rgb[c] ?? 0) * (1 - share) + (painted[c] ?? 0) * share;
      }
      const i = (y * width + x) * 3;
      for (let c = 0; c < 3; c++) data[i + c] = Math.round((rgb[c] ?? 0) * alpha + (data[i + c] ?? 0) * (1 - alpha));
    }
  }
}

/** The share of pixel (px, py) the accent covers, 3 x 3 supersampled like the cut-out's edge. */
function accentCoverage(
  px: number,
  py: number,
  at: { left: number; top: number; itemW: number; itemH: number },
  covers: (u: number, v: number) => boolean,
): number {
  let hits = 0;
  for (let sy = 0; sy < 3; sy++)
    for (let sx = 0; sx < 3; sx++) {
      const u = ((px + (sx + 0.5) / 3 - at.left) / at.itemW) * 2 - 1;
      const v = ((py + (sy + 0.5) / 3 - at.top) / at.itemH) * 2 - 1;
      if (covers(u, v)) hits++;
    }
  return hits / 9;
}

/** The pixel rectangle (x0, y0)-(x1, y1) as a normalized box, clipped to the `width` x `height` frame. */
export function frameBox(x0: number, y0: number, x1: number, y1: number, width: number, height: number): Box {
  return {
    x: Math.max(0, x0 / width),
    y: Math.max(0, y0 / height),
    width: Math.min(1, x1 / width) - Math.max(0, x0 / width),
    height: Math.min(1, y1 / height) - Math.max(0, y0 / height),
  };
}

/** The box a scene's measurement is given: a detector-like one round the item, or the whole frame when none is given. */
export function boxGivenFor(boxGiven: boolean, truthBox: Box, rng: () => number): Box {
  return boxGiven ? detectorLikeBox(truthBox, rng) : { x: 0, y: 0, width: 1, height: 1 };
}

/** Loosened by 0-15 %, shifted by up to ±4 % of its size, kept in the frame: boxes are never exact. */
export function detectorLikeBox(box: Box, rng: () => number): Box {
  const grow = 1 + rng() * 0.15;
  const w = box.width * grow;
  const h = box.height * grow;
  const cx = box.x + box.width / 2 + (rng() - 0.5) * 0.08 * box.width;
  const cy = box.y + box.height / 2 + (rng() - 0.5) * 0.08 * box.height;
  const x = Math.max(0, cx - w / 2);
  const y = Math.max(0, cy - h / 2);
  return { x, y, width: Math.min(1 - x, w), height: Math.min(1 - y, h) };
}

export function pick<T>(items: readonly T[], rng: () => number): T {
  return items[Math.floor(rng() * items.length)] as T;
}
