/**
 * Metal-rim scenes (issue 20, the silver class): a dark item whose thin metal rim or bezel people name as its
 * second colour. Tune: a phone-like slab (black or navy face, a lock screen's clock in white) with a rim of
 * brushed metal 2-5 px wide at 320 x 240, held in a hand over a photo; a round watch face whose metal bezel
 * touches the detector's box, the box cut 0-7 % inside the bezel's outer edge, on a wrist (a skin band) with a
 * dark strap. Holdout: a rounder case with a rim (a power bank, a camera body) and a square watch face.
 * Counter-class in both splits: the same dark slab (holdout: case) with no rim on a light, nearly neutral table
 * (white, light grey): the surroundings a rim rule could take for a rim. The item's colour is the face's; `metalRim.rim` says
 * whether the scene has a rim (named silver). Rims are metal as metalScene draws it: a lightness gradient along
 * the light's direction, a highlight band, the whole photo under- or over-exposed by up to ±0.5 stops.
 * Seeded apart from every other scene (their draws stay byte-identical). Test and tool code.
 */
import type { ColorName } from '@media-ai/contracts';
import { labToRgb, mulberry32 } from '@media-ai/vision';
import { detectorLikeBox, drawHand, expose, jitteredLab, paintWall, pick, type BenchSample, type Picture, type Split } from './generate.js';

/** What a metal-rim scene draws. */
export type MetalRimKind = 'rim-slab' | 'bezel-edge' | 'bare-slab' | 'rim-case' | 'bezel-square' | 'bare-case';
/** The kinds per split: two with a rim, one bare (no rim, on a light table). */
export const METAL_RIM_KINDS: Record<Split, readonly MetalRimKind[]> = {
  tune: ['rim-slab', 'bezel-edge', 'bare-slab'],
  holdout: ['rim-case', 'bezel-square', 'bare-case'],
};
/** The faces' colours: the dark faces a bright rim stands out from. */
export const METAL_RIM_FACES = ['black', 'navy'] as const;

/** The metal-rim scenes: each kind and face `perColor` times, all boxed. */
export function metalRimScenes(
  split: Split,
  perColor: number,
  backgrounds: readonly Picture[],
  width: number,
  height: number,
): BenchSample[] {
  const rng = mulberry32(split === 'tune' ? 0x3e7a1 : 0xb12e1);
  const samples: BenchSample[] = [];
  for (const kind of METAL_RIM_KINDS[split])
    for (const face of METAL_RIM_FACES)
      for (let n = 0; n < perColor; n++) samples.push(metalRimScene(split, kind, face, n, rng, pick(backgrounds, rng), width, height));
  return samples;
}

/** Signed distance (px) from a point to a rounded rectangle of half sizes hw, hh and corner radius r: negative inside. */
function roundedBoxDistance(x: number, y: number, hw: number, hh: number, r: number): number {
  const qx = Math.abs(x) - (hw - r);
  const qy = Math.abs(y) - (hh - r);
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
}

function metalRimScene(
  split: Split,
  kind: MetalRimKind,
  face: ColorName,
  n: number,
  rng: () => number,
  background: Picture,
  width: number,
  height: number,
): BenchSample {
  const data = Buffer.from(background.data);
  const watch = kind === 'bezel-edge' || kind === 'bezel-square';
  const side = (0.5 + rng() * 0.3) * Math.min(width, height);
  // Half sizes (px) of the item: a slab of aspect 0.5-0.65, a watch face about square.
  const hh = side / 2;
  const hw = watch ? hh * (0.95 + rng() * 0.1) : hh * (0.5 + rng() * 0.15);
  const corner = kind === 'bezel-edge' ? hw : kind === 'bezel-square' ? hw * 0.3 : split === 'holdout' ? hw * 0.6 : hw * 0.2;
  const rimWidth = watch ? hw * (0.08 + rng() * 0.06) : 2 + rng() * 3;
  const angle = watch ? ((rng() - 0.5) * 10 * Math.PI) / 180 : ((rng() - 0.5) * 30 * Math.PI) / 180;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const boundW = Math.abs(2 * hw * cos) + Math.abs(2 * hh * sin);
  const boundH = Math.abs(2 * hw * sin) + Math.abs(2 * hh * cos);
  const cx = boundW / 2 + 2 + rng() * Math.max(0, width - boundW - 4);
  const cy = boundH / 2 + 2 + rng() * Math.max(0, height - boundH - 4);
  const bare = kind === 'bare-slab' || kind === 'bare-case';
  if (bare) {
    // A light table, nearly neutral: white or light grey, a faint warm or cool cast.
    paintWall(data, width, { l: 78 + rng() * 17, a: (rng() - 0.5) * 4, b: (rng() - 0.5) * 8 }, 1, rng);
  }
  if (watch) {
    // A wrist across the frame behind the watch and a dark strap through it, beyond the face.
    const skin = { l: 55 + rng() * 20, a: 10 + rng() * 8, b: 14 + rng() * 10 };
    const strap = jitteredLab(pick(['black', 'gray', 'brown'] as const, rng), rng);
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        const along = (x - cx) * cos + (y - cy) * sin;
        const across = -(x - cx) * sin + (y - cy) * cos;
        let lab: { l: number; a: number; b: number } | undefined;
        if (Math.abs(along) < hw * 0.7) lab = { ...strap, l: strap.l + 4 * Math.sin(across / 3) };
        else if (Math.abs(along) < hw * 2.4) lab = { ...skin, l: skin.l - 8 * (Math.abs(along) / (hw * 2.4)) };
        if (!lab) continue;
        const rgb = labToRgb(lab);
        for (let c = 0; c < 3; c++) data[(y * width + x) * 3 + c] = Math.round(rgb[c] ?? 0);
      }
  }
  const faceLab = jitteredLab(face, rng);
  const base = 64 + rng() * 16;
  const ramp = 8 + rng() * 12;
  const light = rng() * Math.PI * 2;
  const band = { at: (rng() - 0.5) * 1.4, width: 0.1 + rng() * 0.15, amp: 0.6 + rng() * 0.3 };
  // A lock screen's clock: a white block in the face's upper third (slabs only).
  const clock = { v: -0.55 + rng() * 0.15, w: 0.35 + rng() * 0.2 };
  const sample = (x: number, y: number) => {
    const px = (x - cx) * cos + (y - cy) * sin;
    const py = -(x - cx) * sin + (y - cy) * cos;
    return { px, py, d: roundedBoxDistance(px, py, hw, hh, corner) };
  };
  const x0 = Math.max(0, Math.floor(cx - boundW / 2) - 1);
  const y0 = Math.max(0, Math.floor(cy - boundH / 2) - 1);
  const x1 = Math.min(width, Math.ceil(cx + boundW / 2) + 1);
  const y1 = Math.min(height, Math.ceil(cy + boundH / 2) + 1);
  let minX = width;
  let minY = height;
  let maxX = 0;
  let maxY = 0;
  for (let y = y0; y < y1; y++)
    for (let x = x0; x < x1; x++) {
      let item = 0;
      let rim = 0;
      for (let sy = 0; sy < 3; sy++)
        for (let sx = 0; sx < 3; sx++) {
          const { d } = sample(x + (sx + 0.5) / 3, y + (sy + 0.5) / 3);
          if (d < 0) item++;
          if (d < 0 && d > -rimWidth && !bare) rim++;
        }
      if (item === 0) continue;
      minX = Math.min(minX, x);
      minY = Math.min(minY, y);
      maxX = Math.max(maxX, x + 1);
      maxY = Math.max(maxY, y + 1);
      const { px, py } = sample(x + 0.5, y + 0.5);
      const u = px / hw;
      const v = py / hh;
      const t = u * Math.cos(light) + v * Math.sin(light);
      let metal = { l: base + ramp * t * 0.5, a: 0, b: -1 };
      const g = band.amp * Math.exp(-(((t - band.at) / band.width) ** 2));
      metal = { ...metal, l: metal.l + (98 - metal.l) * g };
      let own = { ...faceLab, l: faceLab.l + 3 * t };
      if (!watch && Math.abs(v - clock.v) < 0.08 && Math.abs(u) < clock.w) own = { l: 92, a: 0, b: 0 };
      const alphaRim = rim / 9;
      const alphaFace = (item - rim) / 9;
      const i = (y * width + x) * 3;
      const faceRgb = labToRgb(own);
      const rimRgb = labToRgb(metal);
      for (let c = 0; c < 3; c++)
        data[i + c] = Math.round(
          (rimRgb[c] ?? 0) * alphaRim + (faceRgb[c] ?? 0) * alphaFace + (data[i + c] ?? 0) * (1 - alphaRim - alphaFace),
        );
    }
  if (!watch) drawHand(data, width, { left: cx - boundW / 2, top: cy - boundH / 2, itemW: boundW, itemH: boundH }, rng);
  expose(data, (rng() - 0.5) * 1);
  const truthBox = { x: minX / width, y: minY / height, width: (maxX - minX) / width, height: (maxY - minY) / height };
  // A watch's box is cut at or inside the bezel's outer edge (the detector sees the face and strap, not the metal);
  // the others get a detector's loosened box.
  const cut = 0.93 + rng() * 0.07;
  const box = watch
    ? {
        x: truthBox.x + (truthBox.width * (1 - cut)) / 2,
        y: truthBox.y + (truthBox.height * (1 - cut)) / 2,
        width: truthBox.width * cut,
        height: truthBox.height * cut,
      }
    : detectorLikeBox(truthBox, rng);
  return {
    id: `${split}-metal-rim-${kind}-${face}-${n}`,
    split,
    color: face,
    scale: Math.round((side / Math.min(width, height)) * 100) / 100,
    shape: kind,
    background: bare ? `light table (${split})` : background.file,
    texture: `none (${split})`,
    image: { data, width, height },
    boxGiven: true,
    box,
    truthBox,
    metalRim: { kind, rim: !bare },
    label: watch ? 'clock' : 'cell phone',
  };
}
