import { fileURLToPath } from 'node:url';
import { COLOR_NAMES } from '@media-ai/contracts';
import { describe, expect, it } from 'vitest';
import {
  colourBenchmark,
  DOCUMENT_ACCENT_KINDS,
  DOCUMENT_COLORS,
  FINISHED,
  FINISHED_SCALES,
  METAL_MATERIALS,
  METAL_SCALES,
  SAME_GROUND_COLORS,
} from './generate.js';
import { METAL_RIM_FACES, METAL_RIM_KINDS } from './metal-rims.js';
import { gainsOf, LIGHT_ITEMS, LIGHTS, relight } from './light.js';

const manifestPath = fileURLToPath(new URL('../../../shared/photos/manifest.json', import.meta.url));

describe('colourBenchmark', () => {
  it('is seeded, covers the vocabulary at every scale, and keeps tune and holdout apart', async () => {
    const [tune, again, holdout] = await Promise.all([
      colourBenchmark('tune', { manifestPath, perColor: 1 }),
      colourBenchmark('tune', { manifestPath, perColor: 1 }),
      colourBenchmark('holdout', { manifestPath, perColor: 1 }),
    ]);
    expect(tune).toHaveLength(
      COLOR_NAMES.length * (3 + 2 + 3 + 1) +
        FINISHED.length * FINISHED_SCALES.length +
        DOCUMENT_COLORS.length * (DOCUMENT_ACCENT_KINDS.length + 1) +
        METAL_MATERIALS.length * METAL_SCALES.length * 2 +
        COLOR_NAMES.length * 2 +
        SAME_GROUND_COLORS.length * 2 +
        METAL_RIM_KINDS.tune.length * METAL_RIM_FACES.length +
        LIGHT_ITEMS.length * LIGHTS.length * 2 * 2 +
        // Print scenes: pages at three letter sizes, cards and logos in four inks, plain and photo-only paper.
        3 +
        4 +
        4 +
        2,
    );
    // Every print scene is white paper; pages print black, cards and logos blue, green or red, blank paper nothing.
    const printed = tune.filter((s) => s.printed);
    expect(printed.map((s) => `${s.printed!.kind}:${s.printed!.ink ?? '-'}`).sort()).toEqual(
      [
        ...['page:black', 'page:black', 'page:black', 'plain:-', 'photo:-'],
        ...['card', 'logo'].flatMap((k) => ['blue', 'green', 'green', 'red'].map((i) => `${k}:${i}`)),
      ].sort(),
    );
    for (const s of printed) expect(s.color).toBe('white');
    // Every colour also comes as an open item (a frame, a rod, a ring, a wire outline, a rim round a black or white
    // face), boxed and not; a rim's face is the colour farther from the rim's.
    const opens = tune.filter((s) => s.open);
    expect(opens.map((s) => `${s.color}:${s.boxGiven}`).sort()).toEqual(COLOR_NAMES.flatMap((c) => [`${c}:false`, `${c}:true`]).sort());
    for (const s of opens) {
      expect(s.shape.startsWith('open-')).toBe(true);
      expect(s.open!.face).not.toBe(s.color);
    }
    // Metal (silver) and its matte counter-class (grey plastic, white enamel, grey fabric), each boxed and not, at
    // both scales, each under its own exposure; the item inside the frame.
    const metals = tune.filter((s) => s.metal);
    expect(metals.map((s) => `${s.metal!.material}:${s.color}:${s.scale}:${s.boxGiven}`).sort()).toEqual(
      METAL_MATERIALS.flatMap(({ material, color }) =>
        METAL_SCALES.flatMap((scale) => [true, false].map((boxed) => `${material}:${color}:${scale}:${boxed}`)),
      ).sort(),
    );
    expect(new Set(metals.map((s) => s.metal!.exposure)).size).toBe(metals.length);
    for (const s of metals) {
      expect(s.truthBox.width).toBeGreaterThan(0);
      expect(s.truthBox.x + s.truthBox.width).toBeLessThanOrEqual(1);
      expect(s.truthBox.y + s.truthBox.height).toBeLessThanOrEqual(1);
    }
    // Every colour also comes as a card, page or package filling 80-100 % of the frame, the table at two edges at most,
    // with a portrait or logo patch of another colour.
    const framed = tune.filter((s) => s.frame && !s.documentAccent);
    expect(new Set(framed.map((s) => s.color))).toEqual(new Set(COLOR_NAMES));
    for (const s of framed) {
      expect(s.frame!.cover).toBeGreaterThanOrEqual(0.8);
      expect(s.frame!.margins).toBeLessThanOrEqual(2);
      expect(s.accent!.color).not.toBe(s.color);
      // Its lines of print, as OCR would box them: inside the frame and on the rectangle (its exact box, a little
      // loose for the keystone), most of them read.
      expect(s.frame!.textLines.length).toBeGreaterThanOrEqual(3);
      for (const l of s.frame!.textLines) {
        expect(l.x).toBeGreaterThanOrEqual(Math.max(0, s.truthBox.x - 0.02));
        expect(l.y).toBeGreaterThanOrEqual(Math.max(0, s.truthBox.y - 0.02));
        expect(l.x + l.width).toBeLessThanOrEqual(Math.min(1, s.truthBox.x + s.truthBox.width + 0.02));
        expect(l.y + l.height).toBeLessThanOrEqual(Math.min(1, s.truthBox.y + s.truthBox.height + 0.02));
      }
    }
    // White, grey and black documents filling the frame, each with a band, a seal, coloured print, or no accent at all,
    // and (their own generator) with thin coloured lettering.
    const documents = tune.filter((s) => s.documentAccent);
    expect(documents.map((s) => `${s.color}:${s.documentAccent!.kind}`).sort()).toEqual(
      DOCUMENT_COLORS.flatMap((c) => [...DOCUMENT_ACCENT_KINDS, 'thin-print'].map((k) => `${c}:${k}`)).sort(),
    );
    for (const s of documents) {
      expect(s.frame!.cover).toBeGreaterThanOrEqual(0.8);
      expect(s.accent?.kind).toBe(s.documentAccent!.kind === 'none' ? undefined : s.documentAccent!.kind);
      expect(s.accent?.color).not.toBe(s.color);
    }
    // A phone-like slab in a hand over a wall of its own colour, boxed and not, a rim of the opposite neutral round its face.
    // Dark faces with a thin metal rim or a bezel, and bare ones, each kind and face boxed; the bare ones have no rim.
    const rims = tune.filter((s) => s.metalRim);
    expect(rims.map((s) => `${s.metalRim!.kind}:${s.color}:${s.boxGiven}`).sort()).toEqual(
      METAL_RIM_KINDS.tune.flatMap((kind) => METAL_RIM_FACES.map((face) => `${kind}:${face}:true`)).sort(),
    );
    for (const s of rims) expect(s.metalRim!.rim).toBe(!s.metalRim!.kind.startsWith('bare'));
    const sameGround = tune.filter((s) => s.sameGround);
    expect(sameGround.map((s) => `${s.color}:${s.boxGiven}`).sort()).toEqual(
      SAME_GROUND_COLORS.flatMap((c) => [`${c}:true`, `${c}:false`]).sort(),
    );
    for (const s of sameGround) expect(s.sameGround!.rim).toBe(s.color === 'white' || s.color === 'gray' ? 'black' : 'white');
    // Silver and gold also come as metal, white and yellow matte, each under its own exposure.
    const finished = tune.filter((s) => s.finish);
    expect(finished.map((s) => `${s.finish!.kind}:${s.color}`).sort()).toEqual(
      FINISHED.flatMap(({ color, kind }) => FINISHED_SCALES.map(() => `${kind}:${color}`)).sort(),
    );
    expect(new Set(finished.map((s) => s.finish!.exposure)).size).toBe(finished.length);
    expect(new Set(tune.map((s) => s.color))).toEqual(new Set(COLOR_NAMES));
    // Every colour also comes as a scene with no box, at both of its scales.
    expect(
      new Set(
        tune
          .filter((s) => !s.boxGiven && !s.accent && !s.frame && !s.metal && !s.open && !s.sameGround && !s.lit && !s.printed)
          .map((s) => `${s.color}@${s.scale}`),
      ).size,
    ).toBe(COLOR_NAMES.length * 2);
    // Every colour also comes with an accent of another, clearly different colour (boxed twice, once not).
    const accented = tune.filter((s) => s.accent);
    expect(accented.filter((s) => !s.frame)).toHaveLength(COLOR_NAMES.length * 3);
    expect(accented.filter((s) => s.accent!.color === s.color)).toEqual([]);
    expect(accented.filter((s) => !s.boxGiven && !s.frame)).toHaveLength(COLOR_NAMES.length);
    // Byte for byte, with Buffer.equals: toEqual walks 75 images of 230 kB one element at a time (minutes under load).
    expect(again).toHaveLength(tune.length);
    expect(tune.filter((s, i) => !s.image.data.equals(again[i]!.image.data)).map((s) => s.id)).toEqual([]);
    // Nothing a tuner could fit to is shared: backgrounds, textures, shapes (a frame-filling card, page or package is
    // a rectangle in both splits, as is a print scene's paper, so their shapes alone are left out; their backgrounds and
    // textures are held to the rule).
    const of = (samples: typeof tune, key: 'background' | 'texture' | 'shape') =>
      new Set(samples.filter((s) => key !== 'shape' || (!s.frame && !s.printed)).map((s) => s[key]));
    for (const key of ['background', 'texture', 'shape'] as const) {
      const shared = [...of(tune, key)].filter((v) => of(holdout, key).has(v));
      expect([key, shared]).toEqual([key, []]);
    }
    expect([...of(tune, 'texture')].filter((t) => of(tune, 'background').has(t))).toEqual([]);
  });

  it('lights every light scene item under every light, boxed and not, the cast over the whole frame', async () => {
    const lit = (await colourBenchmark('tune', { manifestPath, perColor: 1 })).filter((s) => s.lit);
    expect(new Set(lit.map((s) => `${s.color}:${s.lit!.light.name}:${s.boxGiven}:${s.lit!.ground}`)).size).toBe(
      LIGHT_ITEMS.length * LIGHTS.length * 2 * 2,
    );
    // A frame's mean blue over red: a cool light raises it everywhere, a warm one lowers it, against the neutral scenes.
    const blueOverRed = (name: string) => {
      const these = lit.filter((s) => s.lit!.light.name === name);
      let red = 0;
      let blue = 0;
      for (const s of these)
        for (let i = 0; i < s.image.data.length; i += 3) {
          red += s.image.data[i]!;
          blue += s.image.data[i + 2]!;
        }
      return blue / red;
    };
    expect(blueOverRed('cool-mild')).toBeGreaterThan(blueOverRed('neutral') * 1.03);
    expect(blueOverRed('warm-mild')).toBeLessThan(blueOverRed('neutral') / 1.03);
  });

  it('relights in linear light: a cast keeps a grey as bright, exposure halves it per stop', () => {
    const grey = Buffer.from([128, 128, 128]);
    relight(grey, gainsOf({ name: 'cool', cast: 'cool', strength: 1, stops: 0 }), 0);
    expect(grey[2]).toBeGreaterThan(grey[1]!);
    expect(grey[1]).toBeGreaterThan(grey[0]!);
    expect(Math.abs(0.2126 * grey[0]! + 0.7152 * grey[1]! + 0.0722 * grey[2]! - 128)).toBeLessThan(12);
    const dim = Buffer.from([188, 188, 188]);
    relight(dim, [1, 1, 1], -1);
    // sRGB 188 is linear 0.5; one stop down is linear 0.25, sRGB 137.
    expect(dim[0]).toBeGreaterThanOrEqual(136);
    expect(dim[0]).toBeLessThanOrEqual(138);
  });

  it('gives a detector-like box around the cut-out, inside the frame', async () => {
    for (const sample of (await colourBenchmark('tune', { manifestPath, perColor: 1 })).filter((s) => s.boxGiven)) {
      const { box, truthBox } = sample;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(1 + 1e-9);
      expect(box.width * box.height).toBeGreaterThan(truthBox.width * truthBox.height * 0.8);
      // The box centre stays on the cut-out.
      const cx = box.x + box.width / 2;
      expect(cx).toBeGreaterThan(truthBox.x);
      expect(cx).toBeLessThan(truthBox.x + truthBox.width);
    }
  });
});
