/**
 * Light scenes (issue 20, colour constancy): the generator's plain item scenes photographed under a coloured or dim
 * light, the way a camera's wrong white balance or a dim room records them. The whole frame, background included, is
 * multiplied channel by channel in linear RGB (a von Kries cast: cool daylight in shade lifts blue and drops red,
 * tungsten the reverse) and by 2^stops (exposure), then clipped. The item's truth stays its paint's colour: a white
 * toy in cool shade (L* ~66, b* ~-24 in a labelled photo) is still white to a person who sees the scene.
 *
 * Items: white (the failure), and the colours a careless correction would take for a tinted white: light blue (named
 * blue), beige, silver and grey, each under neutral light too. Half the scenes are on a darkened ground (`dim`,
 * the background 1.5 stops down before the item is pasted): no white anywhere, so a correction that takes the
 * brightest surface for white turns a grey or a beige item white there and shows up as a loss.
 *
 * Its own random stream: the generator's other scenes stay byte-identical. Test and tool code, never the product.
 */
import type { ColorName } from '@media-ai/contracts';
import { byteToLinear, hexToLab, linearToByte, mulberry32, type Lab } from '@media-ai/vision';
import type { BenchSample, Split } from './generate.js';

/** A light a scene is photographed under: a cast of some strength (0 none, 1 strong) and an exposure change in stops. */
export interface SceneLight {
  name: string;
  cast: 'none' | 'cool' | 'warm';
  strength: number;
  stops: number;
}

/** What the light scenes add to a sample: the light, and whether the ground was darkened so nothing in it is white. */
export interface LightOf {
  light: SceneLight;
  ground: 'photo' | 'dim';
}

export const LIGHTS: readonly SceneLight[] = [
  { name: 'neutral', cast: 'none', strength: 0, stops: 0 },
  { name: 'cool-mild', cast: 'cool', strength: 0.5, stops: 0 },
  { name: 'cool-shade', cast: 'cool', strength: 1, stops: -0.7 },
  { name: 'warm-mild', cast: 'warm', strength: 0.5, stops: 0 },
  { name: 'warm-strong', cast: 'warm', strength: 1, stops: 0 },
  { name: 'dim', cast: 'none', strength: 0, stops: -1.6 },
  { name: 'night', cast: 'cool', strength: 0.6, stops: -2.2 },
  { name: 'over', cast: 'none', strength: 0, stops: 0.7 },
];

/** The items: their truth name and, where the vocabulary's own colour is not what is painted, the paint. */
export const LIGHT_ITEMS: ReadonlyArray<{ label: string; color: ColorName; paint?: string }> = [
  { label: 'white', color: 'white' },
  { label: 'light-blue', color: 'blue', paint: '#a6c4e4' },
  { label: 'beige', color: 'beige' },
  { label: 'silver', color: 'silver' },
  { label: 'gray', color: 'gray' },
];

/** Per-channel gains (linear RGB) of a cast at strength 1; luminance-neutral, so the cast alone keeps a white's lightness. */
const CAST_GAINS: Record<SceneLight['cast'], readonly [number, number, number]> = {
  none: [1, 1, 1],
  cool: [0.72, 1, 1.55],
  warm: [1.45, 1, 0.6],
};
/** The dim ground: the background this many stops down before the item is pasted. */
const DIM_GROUND_STOPS = -1.6;

/** Builds one plain scene as the generator does (its own paint and ground allowed); the light module lights it. */
export type PlainScene = (
  color: ColorName,
  scale: number,
  n: number,
  random: () => number,
  boxGiven: boolean,
  look: { paint?: Lab; ground?: (data: Buffer) => void },
) => BenchSample;

/** Every item under every light, boxed (scale 0.45) and not (0.6), on a photo (even n) and a darkened ground (odd n). */
export function lightScenes(split: Split, perColor: number, scene: PlainScene): BenchSample[] {
  const rng = mulberry32(split === 'tune' ? 0x119e7 : 0xd1a77);
  const samples: BenchSample[] = [];
  for (const item of LIGHT_ITEMS) {
    for (const light of LIGHTS) {
      for (const boxGiven of [true, false]) {
        for (let n = 0; n < Math.max(2, perColor / 2); n++) {
          const ground = n % 2 === 0 ? 'photo' : 'dim';
          const paint = item.paint ? jittered(hexToLab(item.paint), rng) : undefined;
          const sample = scene(item.color, boxGiven ? 0.45 : 0.6, n, rng, boxGiven, {
            ...(paint ? { paint } : {}),
            ...(ground === 'dim' ? { ground: (data: Buffer) => relight(data, [1, 1, 1], DIM_GROUND_STOPS) } : {}),
          });
          relight(sample.image.data, gainsOf(light), light.stops);
          samples.push({
            ...sample,
            id: `${split}-light-${light.name}-${ground}-${boxGiven ? '' : 'unboxed-'}${item.label}-${n}`,
            lit: { light, ground },
          });
        }
      }
    }
  }
  return samples;
}

/** A cast's gains at its strength, normalised to keep the luminance (Rec. 709 weights) of a white. */
export function gainsOf(light: SceneLight): [number, number, number] {
  const full = CAST_GAINS[light.cast];
  const gains = full.map((g) => 1 + (g - 1) * light.strength) as [number, number, number];
  const luminance = 0.2126 * gains[0] + 0.7152 * gains[1] + 0.0722 * gains[2];
  return gains.map((g) => g / luminance) as [number, number, number];
}

/** Multiplies an sRGB frame channel by channel in linear light by `gains` and 2^stops, clipped as a sensor clips. */
export function relight(data: Buffer, gains: readonly [number, number, number], stops: number): void {
  const exposure = 2 ** stops;
  const tables = gains.map((g) => Uint8Array.from({ length: 256 }, (_, v) => linearToByte(byteToLinear(v) * g * exposure)));
  for (let i = 0; i < data.length; i++) data[i] = tables[i % 3]![data[i] ?? 0] ?? 0;
}

/** A paint nudged a little (lightness ±4, a and b ±2), as the generator jitters the vocabulary's colours. */
function jittered(lab: Lab, rng: () => number): Lab {
  return { l: lab.l + (rng() - 0.5) * 8, a: lab.a + (rng() - 0.5) * 4, b: lab.b + (rng() - 0.5) * 4 };
}
