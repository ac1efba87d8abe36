// The generator's promises: the same seed gives the same image and truth; the splits are 60/40 and
// the tune split never sees a holdout layout, font or locale; faces lie inside the picture.
import { describe, expect, it } from 'vitest';
import { FONT_FAMILIES } from './fonts.js';
import {
  DEFAULT_COUNT,
  DEFAULT_SEED,
  FIRST_G5_SEED,
  FIRST_G6_SEED,
  FIRST_G7_SEED,
  FIRST_G8_SEED,
  draftImage,
  generateImage,
  generatorVersionOf,
  planImage,
  printedStrings,
} from './generate.js';
import { G5_TUNE_TEMPLATES } from './templates/g5-tune.js';
import { G6_TUNE_TEMPLATES } from './templates/g6-tune.js';
import { G7_TUNE_TEMPLATES } from './templates/g7-tune.js';
import { G8_TUNE_TEMPLATES } from './templates/g8-tune.js';
import { AS_WRITTEN } from './layout-variation.js';
import { DOCUMENT_KINDS } from './ground-truth.js';
import { G4_TUNE_LOCALES, HOLDOUT_LOCALES } from './locales.js';

const PHOTOS = new URL('../../../shared/photos', import.meta.url).pathname;

describe('plan of the benchmark', () => {
  const plans = Array.from({ length: DEFAULT_COUNT }, (_, i) => planImage(DEFAULT_SEED, i));
  const tune = plans.filter((p) => p.split === 'tune');
  const holdout = plans.filter((p) => p.split === 'holdout');

  it('has at least 300 images, 60/40, every kind in both splits', () => {
    expect(plans.length).toBeGreaterThanOrEqual(300);
    expect(tune.length / plans.length).toBeCloseTo(0.6, 2);
    for (const kind of [...DOCUMENT_KINDS, 'none']) {
      expect(tune.filter((p) => p.kind === kind).length, kind).toBeGreaterThanOrEqual(12);
      expect(holdout.filter((p) => p.kind === kind).length, kind).toBeGreaterThanOrEqual(8);
    }
  });

  it('keeps holdout layouts, locales and fonts out of the tune split, and uses them in holdout', () => {
    expect(tune.filter((p) => p.template.holdout)).toEqual([]);
    expect(tune.filter((p) => HOLDOUT_LOCALES.includes(p.locale))).toEqual([]);
    expect(holdout.filter((p) => p.template.holdout).length).toBeGreaterThanOrEqual(40);
    expect(holdout.filter((p) => HOLDOUT_LOCALES.includes(p.locale)).length).toBeGreaterThanOrEqual(40);
    const tuneFonts = new Set(FONT_FAMILIES.filter((f) => f.split === 'tune').map((f) => f.name));
    expect(FONT_FAMILIES.filter((f) => f.split === 'holdout' && tuneFonts.has(f.name))).toEqual([]);
  });

  it('draws the locales added in g4 (sv, cs_CZ, hu) in tune only, so the holdout images stay those of g3', () => {
    for (const locale of G4_TUNE_LOCALES) expect(tune.some((p) => p.locale === locale)).toBe(true);
    expect(holdout.filter((p) => G4_TUNE_LOCALES.includes(p.locale))).toEqual([]);
  });

  it('draws the g5 layouts in tune only and only from FIRST_G5_SEED on, so seeds 1-11 stay g4 (and keep its cache folder)', () => {
    const g5 = new Set(G5_TUNE_TEMPLATES);
    for (let seed = 1; seed < FIRST_G5_SEED; seed++) {
      expect(generatorVersionOf(seed)).toBe('g4');
      for (let i = 0; i < 120; i++) expect(g5.has(planImage(seed, i).template), `seed ${seed} image ${i}`).toBe(false);
    }
    const later = Array.from({ length: DEFAULT_COUNT }, (_, i) => planImage(FIRST_G5_SEED, i));
    expect(later.filter((p) => p.split === 'holdout' && g5.has(p.template))).toEqual([]);
    for (const t of G5_TUNE_TEMPLATES)
      expect(
        later.some((p) => p.template === t),
        t.layout,
      ).toBe(true);
  });

  it('draws the g6 layouts in tune only and only from FIRST_G6_SEED on, so seeds 1-12 keep their images and cache folders', () => {
    const g6 = new Set(G6_TUNE_TEMPLATES);
    expect(generatorVersionOf(FIRST_G6_SEED - 1)).toBe('g5');
    expect(generatorVersionOf(FIRST_G6_SEED)).toBe('g6');
    for (let seed = 1; seed < FIRST_G6_SEED; seed++) {
      for (let i = 0; i < 120; i++) expect(g6.has(planImage(seed, i).template), `seed ${seed} image ${i}`).toBe(false);
    }
    const later = Array.from({ length: DEFAULT_COUNT }, (_, i) => planImage(FIRST_G6_SEED, i));
    expect(later.filter((p) => p.split === 'holdout' && g6.has(p.template))).toEqual([]);
    for (const t of G6_TUNE_TEMPLATES)
      expect(
        later.some((p) => p.template === t),
        t.layout,
      ).toBe(true);
    // The holdout images of a g6 seed are drawn as g5 drew them: the same plan as without g6.
    expect(later.filter((p) => p.split === 'holdout').every((p) => !g6.has(p.template))).toBe(true);
  });

  it('draws the g7 layouts in tune only and only from FIRST_G7_SEED on, so seeds 1-18 keep their plans and cache folders', () => {
    const g7 = new Set(G7_TUNE_TEMPLATES);
    expect(generatorVersionOf(FIRST_G7_SEED - 1)).toBe('g6');
    expect(generatorVersionOf(FIRST_G7_SEED)).toBe('g7');
    expect(generatorVersionOf(FIRST_G8_SEED - 1)).toBe('g7');
    for (const seed of [1, FIRST_G6_SEED, FIRST_G7_SEED - 2, FIRST_G7_SEED - 1]) {
      for (let i = 0; i < DEFAULT_COUNT; i++) expect(g7.has(planImage(seed, i).template), `seed ${seed} image ${i}`).toBe(false);
    }
    const later = Array.from({ length: DEFAULT_COUNT }, (_, i) => planImage(FIRST_G7_SEED, i));
    expect(later.filter((p) => p.split === 'holdout' && g7.has(p.template))).toEqual([]);
    for (const t of G7_TUNE_TEMPLATES)
      expect(
        later.some((p) => p.template === t),
        t.layout,
      ).toBe(true);
    // Every g7 layout draws in every tune locale (its labels and words exist there).
    for (const p of later.filter((q) => g7.has(q.template))) expect(() => draftImage(FIRST_G7_SEED, later.indexOf(p))).not.toThrow();
  });

  it('draws the g8 layout in tune only and only from FIRST_G8_SEED on, so seeds 1-22 keep their plans and holdout plans stay', () => {
    const g8 = new Set(G8_TUNE_TEMPLATES);
    expect(generatorVersionOf(FIRST_G8_SEED)).toBe('g8');
    for (const seed of [1, FIRST_G7_SEED, FIRST_G8_SEED - 1]) {
      for (let i = 0; i < DEFAULT_COUNT; i++) expect(g8.has(planImage(seed, i).template), `seed ${seed} image ${i}`).toBe(false);
    }
    const later = Array.from({ length: DEFAULT_COUNT }, (_, i) => planImage(FIRST_G8_SEED, i));
    expect(later.filter((p) => p.split === 'holdout' && g8.has(p.template))).toEqual([]);
    for (const t of G8_TUNE_TEMPLATES)
      expect(
        later.some((p) => p.template === t),
        t.layout,
      ).toBe(true);
    for (const p of later.filter((q) => g8.has(q.template))) {
      const spans = draftImage(FIRST_G8_SEED, later.indexOf(p)).model.items.flatMap((item) => (item.type === 'text' ? item.spans : []));
      const rx = spans.find((x) => x.truth.type === 'personal' && x.truth.category === 'rx_number');
      expect(rx?.text, p.template.layout).toMatch(/^(?=.*\d)(?=.*[A-Z])[A-Z0-9]{8,9}$/);
    }
  });

  it('varies the arrangement of every kind in tune, and draws holdout layouts as written', () => {
    expect(holdout.every((p) => p.variation === AS_WRITTEN)).toBe(true);
    for (const kind of [...DOCUMENT_KINDS, 'none']) {
      const own = tune.filter((p) => p.kind === kind);
      expect(new Set(own.map((p) => JSON.stringify(p.variation))).size, kind).toBeGreaterThan(4);
    }
    expect(tune.filter((p) => p.variation.mirror).length).toBeGreaterThan(30);
    expect(tune.filter((p) => p.variation.fieldStyle === 'inline').length).toBeGreaterThan(30);
  });

  it('gives another seed other people, values, cameras and holdout layouts', () => {
    const other = Array.from({ length: DEFAULT_COUNT }, (_, i) => draftImage(2, i));
    const first = Array.from({ length: DEFAULT_COUNT }, (_, i) => draftImage(DEFAULT_SEED, i));
    const personals = (d: ReturnType<typeof draftImage>) => printedStrings(d.model).personal.map((p) => p.value);
    const shared = new Set(first.flatMap(personals));
    const values = other.flatMap(personals);
    // A common surname, a date or a short phone may repeat by chance; the people and values do not.
    expect(values.filter((v) => shared.has(v)).length / values.length).toBeLessThan(0.03);
    const otherHoldout = other.filter((d) => d.plan.split === 'holdout');
    expect(otherHoldout.filter((d) => d.plan.template.holdout).length).toBeGreaterThanOrEqual(40);
    const camerasDiffer = other.filter((d, i) => d.plan.faker.number.float() !== first[i]!.plan.faker.number.float()).length;
    expect(camerasDiffer).toBe(DEFAULT_COUNT);
  });

  it('is the same plan for the same seed and another for another seed', () => {
    expect(planImage(DEFAULT_SEED, 17).template.layout).toBe(plans[17]!.template.layout);
    expect(planImage(DEFAULT_SEED, 17).faker.string.alphanumeric(12)).toBe(planImage(DEFAULT_SEED, 17).faker.string.alphanumeric(12));
    expect(planImage(2, 17).faker.string.alphanumeric(12)).not.toBe(planImage(DEFAULT_SEED, 17).faker.string.alphanumeric(12));
  });
});

describe('generated images', () => {
  it('are deterministic, and their faces lie inside the picture', async () => {
    // A passport, a residence permit on paper (seeded grain), a label.
    for (const index of [0, 3, 11]) {
      const a = await generateImage(DEFAULT_SEED, index, PHOTOS);
      const b = await generateImage(DEFAULT_SEED, index, PHOTOS);
      expect(b.jpeg.equals(a.jpeg), `image ${index}`).toBe(true);
      expect(b.truth).toEqual(a.truth);
      for (const f of a.truth.faces) {
        expect(f.x).toBeGreaterThanOrEqual(0);
        expect(f.y).toBeGreaterThanOrEqual(0);
        expect(f.x + f.width).toBeLessThanOrEqual(a.truth.render.width);
        expect(f.y + f.height).toBeLessThanOrEqual(a.truth.render.height);
        expect(f.width * f.height).toBeGreaterThan(400);
      }
      expect(a.truth.personal.length + a.truth.words.length).toBeGreaterThan(3);
    }
  });
});
