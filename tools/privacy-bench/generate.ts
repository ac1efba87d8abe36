/**
 * The seeded generator: image i of seed s is always the same pixels and the same ground truth. Each
 * image draws from its own faker, seeded from (s, i), so any subset (a --limit, the test slice) is
 * generated alone and identically. Kinds cycle (the 11 document kinds, then `none`), and blocks of
 * 12 images go 3 to tune, 2 to holdout (60/40). The holdout split renders only with its own font
 * families, draws its reserved locales half of the time and its reserved layouts where a kind has
 * one, so it measures rules on what they were not written against.
 *
 * Images and ground truth go to a cache folder outside the repository
 * ($XDG_CACHE_HOME or ~/.cache)/media-ai/privacy-bench/<GENERATOR_VERSION>-<seed>/, and are reused
 * when present. Must never write into the repository, nor use Math.random or the clock.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { photograph, type CameraParams } from './camera.js';
import { DocumentBuilder, type DocumentModel, type FontResolver } from './document.js';
import { familiesOf, loadFont, type FontRole } from './fonts.js';
import { DOCUMENT_KINDS, IDENTIFIER_CATEGORIES, type ImageKind, type ImageTruth, type PersonalString, type Split } from './ground-truth.js';
import { HOLDOUT_LOCALES, LOCALES, SHARED_LOCALES, TUNE_LOCALES, type LocaleId } from './locales.js';
import { AS_WRITTEN, drawVariation, type LayoutVariation } from './layout-variation.js';
import { createFaker, createPerson } from './people.js';
import { renderDocument } from './render.js';
import { G5_TUNE_TEMPLATES } from './templates/g5-tune.js';
import { G6_TUNE_TEMPLATES } from './templates/g6-tune.js';
import { G7_TUNE_TEMPLATES } from './templates/g7-tune.js';
import { G8_TUNE_TEMPLATES } from './templates/g8-tune.js';
import { templatesFor, type Template } from './templates/index.js';

/** Bump when a change alters any image or its truth: the cache folder is named after it. */
export const GENERATOR_VERSION = 'g8';
/**
 * g5 added tune layouts (templates/g5-tune.ts), drawn only from this seed on: every image of seeds
 * 1-11 (tune and holdout) is g4's, byte for byte, and its cache folder keeps g4's name.
 */
export const FIRST_G5_SEED = 12;
/**
 * g6 added tune layouts (templates/g6-tune.ts: stacked-label luggage tags, lanyard badges, access
 * cards with short capital labels), drawn only from this seed on, from a stream of their own: every
 * image of seeds 1-12 keeps its g4/g5 form and cache folder, and holdout images are drawn as in g5.
 */
export const FIRST_G6_SEED = 13;
/**
 * g7 added tune layouts (templates/g7-tune.ts: label grids read row by row, card holders named with
 * ordinary words, a pharmacy's address on one joined line, luggage tags with many mobile-number
 * words), drawn only from this seed on, from a stream of their own: every image of seeds 1-18 keeps
 * its g4/g5/g6 form and cache folder (held-out seeds 17 and 18 were read as g6), and holdout images
 * are drawn as before.
 */
export const FIRST_G7_SEED = 19;
/**
 * g8 added a tune layout (templates/g8-tune.ts: prescription labels numbered in capitals and digits
 * after the Rx sign), drawn only from this seed on, from a stream of its own: every image of seeds
 * 1-22 keeps its form and cache folder, and holdout images are drawn as before (held-out seeds 23-28
 * were read before g8 existed, in folders named g7: their images are the same).
 */
export const FIRST_G8_SEED = 23;

/** The generator version a seed's images are drawn by (and its cache folder is named after). */
export function generatorVersionOf(seed: number): string {
  if (seed >= FIRST_G8_SEED) return GENERATOR_VERSION;
  return seed >= FIRST_G7_SEED ? 'g7' : seed >= FIRST_G6_SEED ? 'g6' : seed >= FIRST_G5_SEED ? 'g5' : 'g4';
}
export const DEFAULT_SEED = 1;
export const DEFAULT_COUNT = 300;

const KIND_CYCLE: readonly ImageKind[] = [...DOCUMENT_KINDS, 'none'];
/** Real photos documents may lie on (none shows a person: faces are ground truth only where placed). */
export const BACKGROUND_PHOTOS = [
  'laptop_on_kitchen_table.jpg',
  'pen_on_lined_paper.jpg',
  'coffee_cup_saucer.jpg',
  'skateboard_closeup.jpg',
  'bicycle_and_dog_on_porch.jpg',
];

export function splitOf(index: number): Split {
  return Math.floor(index / KIND_CYCLE.length) % 5 < 3 ? 'tune' : 'holdout';
}

export function kindOf(index: number): ImageKind {
  return KIND_CYCLE[index % KIND_CYCLE.length]!;
}

export function defaultCacheDir(seed: number): string {
  const cacheHome = process.env.XDG_CACHE_HOME || path.join(homedir(), '.cache');
  return path.join(cacheHome, 'media-ai', 'privacy-bench', `${generatorVersionOf(seed)}-${seed}`);
}

/** splitmix32 of (seed, index): independent, reproducible faker seeds per image. */
export function imageSeed(seed: number, index: number): number {
  let z = (Math.imul(seed, 0x9e3779b9) + Math.imul(index + 1, 0x85ebca6b)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad) >>> 0;
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97) >>> 0;
  return (z ^ (z >>> 15)) >>> 0;
}

export interface GeneratedImage {
  truth: ImageTruth;
  path: string;
}

export interface GenerateOptions {
  seed: number;
  indices: readonly number[];
  photosDir: string;
  cacheDir?: string;
  /** Images made at once (sharp and the warp are CPU-bound; 2 on 2 cores). */
  concurrency?: number;
  onProgress?: (done: number, total: number, fresh: number) => void;
}

/** Every requested image, from the cache when present, generated otherwise. */
export async function generateImages(options: GenerateOptions): Promise<GeneratedImage[]> {
  const dir = options.cacheDir ?? defaultCacheDir(options.seed);
  await mkdir(dir, { recursive: true });
  const results: GeneratedImage[] = new Array(options.indices.length);
  let next = 0;
  let done = 0;
  let fresh = 0;
  const worker = async () => {
    while (next < options.indices.length) {
      const slot = next++;
      const index = options.indices[slot]!;
      const id = `${String(index).padStart(4, '0')}-${kindOf(index)}`;
      const jsonPath = path.join(dir, `${id}.json`);
      const imagePath = path.join(dir, `${id}.jpg`);
      let truth: ImageTruth | undefined;
      try {
        truth = JSON.parse(await readFile(jsonPath, 'utf8')) as ImageTruth;
        await readFile(imagePath);
      } catch {
        truth = undefined;
      }
      if (!truth) {
        const made = await generateImage(options.seed, index, options.photosDir);
        // Write the image first and the truth last, each by rename: a reader never sees half a pair.
        await writeFile(`${imagePath}.tmp`, made.jpeg);
        await rename(`${imagePath}.tmp`, imagePath);
        await writeFile(`${jsonPath}.tmp`, JSON.stringify(made.truth, null, 1));
        await rename(`${jsonPath}.tmp`, jsonPath);
        truth = made.truth;
        fresh++;
      }
      results[slot] = { truth, path: imagePath };
      options.onProgress?.(++done, options.indices.length, fresh);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 2) }, worker));
  return results;
}

export interface ImagePlan {
  split: Split;
  kind: ImageKind;
  locale: LocaleId;
  template: Template;
  bodyRole: FontRole;
  /** How this issuer arranges the template (tune split only; AS_WRITTEN in holdout). */
  variation: LayoutVariation;
  /** The variation's random stream (field order). */
  roll: () => number;
  /** The image's faker in its locale, positioned after the plan's draws: the drawing continues from it. */
  faker: Faker;
}

/** The choices made before drawing (split, kind, locale, layout, font): cheap, so tests check them all. */
export function planImage(seed: number, index: number): ImagePlan {
  const split = splitOf(index);
  const kind = kindOf(index);
  const faker = createFaker('en_US', imageSeed(seed, index));
  const locale = chooseLocale(faker.number.float(), faker.number.int(1_000_000), split);
  // A second faker in the chosen locale, seeded from the first: the person speaks the locale.
  const local = createFaker(locale, faker.number.int(2 ** 31));
  const templates = templatesFor(kind, split, locale);
  if (templates.length === 0) throw new Error(`no ${kind} template for ${locale} in ${split}`);
  const reserved = templates.filter((t) => t.holdout);
  const drawn =
    split === 'holdout' && reserved.length > 0 && local.number.float() < 0.6
      ? local.helpers.arrayElement(reserved)
      : local.helpers.arrayElement(templates);
  const g5 = split === 'tune' && seed >= FIRST_G5_SEED ? g5TuneLayout(seed, index, kind, locale, drawn) : drawn;
  const g6 = split === 'tune' && seed >= FIRST_G6_SEED ? g6TuneLayout(seed, index, kind, locale, g5) : g5;
  const g7 = split === 'tune' && seed >= FIRST_G7_SEED ? g7TuneLayout(seed, index, kind, locale, g6) : g6;
  const template = split === 'tune' && seed >= FIRST_G8_SEED ? g8TuneLayout(seed, index, kind, locale, g7) : g7;
  const bodyRole = local.helpers.arrayElement<FontRole>(['sans', 'sans', 'serif', 'condensed']);
  // The issuer's arrangement (tune only), from a stream of its own: the person, values and camera
  // drawn from `local` stay what they were, and the holdout images stay as their templates draw them.
  const variationStream = createFaker('en_US', imageSeed(seed, index) ^ 0x5bd1e995);
  const roll = () => variationStream.number.float();
  const variation = split === 'tune' ? drawVariation(roll) : AS_WRITTEN;
  return { split, kind, locale, template, bodyRole, variation, roll, faker: local };
}

/** The document drawn (not yet rendered): cheap, so tests can check every printed value. */
export function draftImage(seed: number, index: number): { plan: ImagePlan; model: DocumentModel; font: FontResolver } {
  const plan = planImage(seed, index);
  const { split, locale: localeId, template, bodyRole, variation, roll, faker: local } = plan;
  const locale = LOCALES[localeId];
  const font: FontResolver = (role, weight) => loadFont(familiesOf(split, role)[0]!.name, weight);
  const person = createPerson(local);
  const withFace = local.number.float() < 0.75;
  const model: DocumentModel = template.draw({
    faker: local,
    locale,
    person,
    withFace,
    builder: (w, h) => new DocumentBuilder(w, h, font, bodyRole, variation, roll),
  });
  return { plan, model, font };
}

export async function generateImage(seed: number, index: number, photosDir: string): Promise<{ jpeg: Buffer; truth: ImageTruth }> {
  const { plan, model, font } = draftImage(seed, index);
  const { split, kind, locale: localeId, template, bodyRole, variation, faker: local } = plan;
  const rendered = await renderDocument(model, font, photosDir, () => local.number.int(4));
  const camera = cameraParams(local, rendered.width >= rendered.height);
  const shot = await photograph(rendered, camera, photosDir);
  const truth = truthOf(model, {
    id: `${String(index).padStart(4, '0')}-${kind}`,
    index,
    split,
    kind,
    template: `${template.kind}/${template.layout}`,
    variation: describeVariation(variation),
    locale: localeId,
    font: familiesOf(split, bodyRole)[0]!.name,
    camera,
  });
  truth.faces = shot.faces;
  return { jpeg: shot.jpeg, truth };
}

/**
 * g5: half the tune images of a kind with a g5 layout take it, drawn from a stream of their own, so
 * the faker `local` (person, values, camera) draws exactly what it drew before.
 */
function g5TuneLayout(seed: number, index: number, kind: ImageKind, locale: LocaleId, drawn: Template): Template {
  const candidates = G5_TUNE_TEMPLATES.filter((t) => t.kind === kind && (!t.locales || t.locales.includes(locale)));
  if (candidates.length === 0) return drawn;
  const stream = createFaker('en_US', imageSeed(seed, index) ^ 0x2545f491);
  return stream.number.float() < 0.5 ? stream.helpers.arrayElement(candidates) : drawn;
}

/**
 * g6: 60 % of the tune images of a kind with a g6 layout take it, drawn from a stream of their own
 * (not g5's), so the faker `local` and the g5 draw stay what they were.
 */
function g6TuneLayout(seed: number, index: number, kind: ImageKind, locale: LocaleId, drawn: Template): Template {
  const candidates = G6_TUNE_TEMPLATES.filter((t) => t.kind === kind && (!t.locales || t.locales.includes(locale)));
  if (candidates.length === 0) return drawn;
  const stream = createFaker('en_US', imageSeed(seed, index) ^ 0x68e31da4);
  return stream.number.float() < 0.6 ? stream.helpers.arrayElement(candidates) : drawn;
}

/**
 * g7: 70 % of the tune images of a kind with a g7 layout take it, drawn from a stream of their own
 * (not g5's nor g6's), so the faker `local` and the earlier draws stay what they were.
 */
function g7TuneLayout(seed: number, index: number, kind: ImageKind, locale: LocaleId, drawn: Template): Template {
  const candidates = G7_TUNE_TEMPLATES.filter((t) => t.kind === kind && (!t.locales || t.locales.includes(locale)));
  if (candidates.length === 0) return drawn;
  const stream = createFaker('en_US', imageSeed(seed, index) ^ 0x3c6ef372);
  return stream.number.float() < 0.7 ? stream.helpers.arrayElement(candidates) : drawn;
}

/**
 * g8: half of the tune images of a kind with a g8 layout take it, drawn from a stream of their own
 * (not g5's, g6's nor g7's), so the faker `local` and the earlier draws stay what they were.
 */
function g8TuneLayout(seed: number, index: number, kind: ImageKind, locale: LocaleId, drawn: Template): Template {
  const candidates = G8_TUNE_TEMPLATES.filter((t) => t.kind === kind && (!t.locales || t.locales.includes(locale)));
  if (candidates.length === 0) return drawn;
  const stream = createFaker('en_US', imageSeed(seed, index) ^ 0x1b873593);
  return stream.number.float() < 0.5 ? stream.helpers.arrayElement(candidates) : drawn;
}

function chooseLocale(roll: number, pick: number, split: Split): LocaleId {
  if (split === 'holdout') {
    // The holdout split draws as in g3 (its images unchanged): never a locale added to tune in g4.
    return roll < 0.5 ? HOLDOUT_LOCALES[pick % HOLDOUT_LOCALES.length]! : SHARED_LOCALES[pick % SHARED_LOCALES.length]!;
  }
  return TUNE_LOCALES[pick % TUNE_LOCALES.length]!;
}

type Faker = ReturnType<typeof createFaker>;

function cameraParams(f: Faker, landscape: boolean): CameraParams {
  const long = f.number.int({ min: 900, max: 1400 });
  const short = Math.round(long * 0.75);
  const upsideDown = f.number.float() < 0.12;
  const tilt = f.number.float() < 0.4 ? f.number.float({ min: -3, max: 3 }) : f.number.float({ min: -20, max: 20 });
  const perspective = f.number.float() < 0.5 ? 0 : f.number.float({ min: 0.01, max: 0.06 });
  const bg = f.number.float();
  const background: CameraParams['background'] =
    bg < 0.35
      ? { type: 'colour', colour: f.helpers.arrayElement(['#d8d4cc', '#8c7b6b', '#2f3440', '#c9d3dc', '#6d4c3d', '#e9e6df']) }
      : bg < 0.6
        ? { type: 'paper', colour: f.helpers.arrayElement(['#efece4', '#e4e0d6', '#f5f3ee']) }
        : { type: 'photo', file: f.helpers.arrayElement(BACKGROUND_PHOTOS) };
  return {
    width: landscape ? long : short,
    height: landscape ? short : long,
    rotation: Math.round((upsideDown ? 180 + f.number.float({ min: -20, max: 20 }) : tilt) * 10) / 10,
    corners: Array.from({ length: 8 }, () => f.number.float({ min: -1, max: 1 })),
    perspective,
    scale: f.number.float({ min: 0.7, max: 0.95 }),
    centre: [f.number.float({ min: 0.42, max: 0.58 }), f.number.float({ min: 0.42, max: 0.58 })],
    background,
    blurSigma: f.number.float() < 0.5 ? 0 : f.number.float({ min: 0.3, max: 1.4 }),
    glare: f.number.float() < 0.35 ? f.number.float({ min: 0.2, max: 0.6 }) : 0,
    glareAt: [f.number.float({ min: 0.2, max: 0.8 }), f.number.float({ min: 0.2, max: 0.8 })],
    jpegQuality: f.number.int({ min: 35, max: 95 }),
  };
}

/** `mirrored, inline ": ", upper labels, fields shuffled`; '' when as written. */
function describeVariation(v: LayoutVariation): string {
  const parts = [
    v.mirror ? 'mirrored' : '',
    v.fieldStyle === 'above' ? '' : v.fieldStyle === 'inline' ? `inline ${JSON.stringify(v.separator)}` : 'caption labels',
    v.labelCase === 'as-written' ? '' : `${v.labelCase} labels`,
    v.shuffleFields ? 'fields shuffled' : '',
  ];
  return parts.filter(Boolean).join(', ');
}

interface TruthHeader {
  id: string;
  variation: string;
  index: number;
  split: Split;
  kind: ImageKind;
  template: string;
  locale: LocaleId;
  font: string;
  camera: CameraParams;
}

/** The tags of every printed span, gathered: the ground truth cannot disagree with the drawing. */
export function printedStrings(model: DocumentModel): { personal: PersonalString[]; words: string[]; neutral: string[] } {
  const personal: PersonalString[] = [];
  const words: string[] = [];
  const neutral: string[] = [];
  for (const item of model.items) {
    if (item.type !== 'text') continue;
    for (const span of item.spans) {
      const text = span.text.trim();
      if (!text) continue;
      if (span.truth.type === 'personal') {
        personal.push(
          span.truth.date
            ? { category: span.truth.category, value: text, date: span.truth.date }
            : { category: span.truth.category, value: text },
        );
      } else if (span.truth.type === 'word') words.push(text);
      else neutral.push(text);
    }
  }
  return { personal, words, neutral };
}

export function truthOf(model: DocumentModel, h: TruthHeader): ImageTruth {
  const { personal, words, neutral } = printedStrings(model);
  const c = h.camera;
  return {
    id: h.id,
    file: `${h.id}.jpg`,
    index: h.index,
    split: h.split,
    kind: h.kind,
    template: h.template,
    ...(h.variation ? { variation: h.variation } : {}),
    locale: h.locale,
    font: h.font,
    personal,
    words,
    neutral,
    identifiers: personal
      .filter((p) => IDENTIFIER_CATEGORIES.includes(p.category))
      .map((p) => ({ kind: p.category as 'serial_number' | 'imei', value: p.value.replace(/\s+/g, '') })),
    faces: [],
    render: {
      width: c.width,
      height: c.height,
      rotation: c.rotation,
      perspective: Math.round(c.perspective * 1000) / 1000,
      blurSigma: Math.round(c.blurSigma * 100) / 100,
      glare: Math.round(c.glare * 100) / 100,
      jpegQuality: c.jpegQuality,
      background: c.background.type === 'photo' ? c.background.file : `${c.background.type}:${c.background.colour}`,
      scale: Math.round(c.scale * 100) / 100,
    },
  };
}
