/**
 * What a phone camera does to a document: it lies on a background (a plain desk colour, paper, or
 * one of the real photos in ../shared/photos) at some scale, rotated 0-20 degrees either way or
 * upside down, seen in perspective, then blurred, glared and JPEG-compressed. One homography maps
 * the document into the picture; the same matrix maps the face boxes, so the ground truth stays in
 * output pixels. Must never use Math.random: every choice arrives in `CameraParams`.
 */
import { join } from 'node:path';
import sharp from 'sharp';
import type { RenderedDocument } from './render.js';

export interface CameraParams {
  /** Output size. */
  width: number;
  height: number;
  /** Degrees; 180 +- 20 is upside down. */
  rotation: number;
  /** Corner displacements (share of the document's long side), 4 corners x (dx, dy), each in -1..1. */
  corners: number[];
  perspective: number;
  /** Share of the output's long side the document's long side spans. */
  scale: number;
  /** Document centre as a share of the output size (0.5, 0.5 is centred). */
  centre: [number, number];
  background: { type: 'colour'; colour: string } | { type: 'paper'; colour: string } | { type: 'photo'; file: string };
  blurSigma: number;
  /** 0: none; up to ~0.7: strength of a white radial highlight. */
  glare: number;
  glareAt: [number, number];
  jpegQuality: number;
}

type Matrix = number[];

/** The homography taking four source points to four destination points (DLT, 8x8 solve). */
export function homography(src: Array<[number, number]>, dst: Array<[number, number]>): Matrix {
  const a: number[][] = [];
  const b: number[] = [];
  for (let i = 0; i < 4; i++) {
    const [x, y] = src[i]!;
    const [u, v] = dst[i]!;
    a.push([x, y, 1, 0, 0, 0, -u * x, -u * y]);
    b.push(u);
    a.push([0, 0, 0, x, y, 1, -v * x, -v * y]);
    b.push(v);
  }
  const h = solve(a, b);
  return [...h, 1];
}

function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[pivot]![col]!)) pivot = r;
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = m[r]![col]! / m[col]![col]!;
      for (let c = col; c <= n; c++) m[r]![c]! -= f * m[col]![c]!;
    }
  }
  return m.map((row, i) => row[n]! / row[i]!);
}

export function apply(h: Matrix, x: number, y: number): [number, number] {
  const w = h[6]! * x + h[7]! * y + h[8]!;
  return [(h[0]! * x + h[1]! * y + h[2]!) / w, (h[3]! * x + h[4]! * y + h[5]!) / w];
}

function invert(h: Matrix): Matrix {
  const [a, b, c, d, e, f, g, hh, i] = h as [number, number, number, number, number, number, number, number, number];
  const A = e * i - f * hh;
  const B = -(d * i - f * g);
  const C = d * hh - e * g;
  const det = a * A + b * B + c * C;
  return [A, -(b * i - c * hh), b * f - c * e, B, a * i - c * g, -(a * f - c * d), C, -(a * hh - b * g), a * e - b * d].map((v) => v / det);
}

/** Where the document's corners land: rotation and scale about the chosen centre, then perspective. */
export function placement(doc: { width: number; height: number }, p: CameraParams): Array<[number, number]> {
  const long = Math.max(doc.width, doc.height);
  let s = (p.scale * Math.max(p.width, p.height)) / long;
  const theta = (p.rotation * Math.PI) / 180;
  const cos = Math.cos(theta);
  const sin = Math.sin(theta);
  // Shrink until the rotated document fits inside the picture with a small margin.
  const bboxW = (doc.width * Math.abs(cos) + doc.height * Math.abs(sin)) * s;
  const bboxH = (doc.width * Math.abs(sin) + doc.height * Math.abs(cos)) * s;
  // The perspective jitter moves corners outwards too: keep room for it.
  const room = 0.96 - 2 * p.perspective;
  const fit = Math.min(1, (p.width * room) / bboxW, (p.height * room) / bboxH);
  s *= fit;
  const halfW = (bboxW * fit) / 2;
  const halfH = (bboxH * fit) / 2;
  const cx = Math.min(Math.max(p.centre[0] * p.width, halfW), p.width - halfW);
  const cy = Math.min(Math.max(p.centre[1] * p.height, halfH), p.height - halfH);
  const corners: Array<[number, number]> = [
    [0, 0],
    [doc.width, 0],
    [doc.width, doc.height],
    [0, doc.height],
  ];
  return corners.map(([x, y], i) => {
    const dx = (x - doc.width / 2) * s;
    const dy = (y - doc.height / 2) * s;
    const jitter = p.perspective * long * s;
    // Screen y grows downwards, so a counter-clockwise turn is (x cos + y sin, -x sin + y cos).
    return [cx + dx * cos + dy * sin + p.corners[2 * i]! * jitter, cy - dx * sin + dy * cos + p.corners[2 * i + 1]! * jitter];
  });
}

async function backgroundPixels(p: CameraParams, photos: string): Promise<Buffer> {
  const { width, height } = p;
  if (p.background.type === 'photo') {
    return sharp(join(photos, p.background.file)).rotate().resize(width, height, { fit: 'cover' }).removeAlpha().raw().toBuffer();
  }
  if (p.background.type === 'paper') {
    const grain = { width: Math.ceil(width / 2), height: Math.ceil(height / 2), channels: 1 as const };
    const noise = await sharp(paperGrain(grain.width, grain.height, p), { raw: grain })
      .resize(width, height)
      .blur(1.2)
      .png()
      .toBuffer();
    return sharp({ create: { width, height, channels: 3, background: p.background.colour } })
      .composite([{ input: noise, blend: 'soft-light' }])
      .removeAlpha()
      .raw()
      .toBuffer();
  }
  return sharp({ create: { width, height, channels: 3, background: p.background.colour } })
    .raw()
    .toBuffer();
}

/**
 * Paper grain, grey around 128. Seeded from the camera's own draws: libvips' gaussnoise is not
 * seeded, and one more draw from faker would have changed every other image.
 */
function paperGrain(w: number, h: number, p: CameraParams): Buffer {
  let state = (Math.floor(Math.abs(p.corners[0]!) * 2 ** 31) ^ (p.width * 7919 + p.height)) >>> 0 || 1;
  const next = () => {
    // xorshift32
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 2 ** 32;
  };
  const grain = Buffer.alloc(w * h);
  // The sum of three uniforms is near enough to a Gaussian for paper: mean 128, sigma about 18.
  for (let i = 0; i < grain.length; i++) grain[i] = Math.max(0, Math.min(255, Math.round(128 + (next() + next() + next() - 1.5) * 36)));
  return grain;
}

export interface Photographed {
  jpeg: Buffer;
  faces: Array<{ x: number; y: number; width: number; height: number; source: string }>;
}

export async function photograph(doc: RenderedDocument, p: CameraParams, photos: string): Promise<Photographed> {
  const dst = placement(doc, p);
  const h = homography(
    [
      [0, 0],
      [doc.width, 0],
      [doc.width, doc.height],
      [0, doc.height],
    ],
    dst,
  );
  const inv = invert(h);
  const out = await backgroundPixels(p, photos);
  const minX = Math.max(0, Math.floor(Math.min(...dst.map((c) => c[0]))));
  const maxX = Math.min(p.width - 1, Math.ceil(Math.max(...dst.map((c) => c[0]))));
  const minY = Math.max(0, Math.floor(Math.min(...dst.map((c) => c[1]))));
  const maxY = Math.min(p.height - 1, Math.ceil(Math.max(...dst.map((c) => c[1]))));
  const src = doc.rgba;
  const sw = doc.width;
  const sh = doc.height;
  for (let y = minY; y <= maxY; y++) {
    for (let x = minX; x <= maxX; x++) {
      const w = inv[6]! * x + inv[7]! * y + inv[8]!;
      const sx = (inv[0]! * x + inv[1]! * y + inv[2]!) / w - 0.5;
      const sy = (inv[3]! * x + inv[4]! * y + inv[5]!) / w - 0.5;
      if (sx < -1 || sy < -1 || sx > sw || sy > sh) continue;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let k = 0; k < 4; k++) {
        const px = x0 + (k & 1);
        const py = y0 + (k >> 1);
        if (px < 0 || py < 0 || px >= sw || py >= sh) continue;
        const weight = (k & 1 ? fx : 1 - fx) * (k >> 1 ? fy : 1 - fy);
        const o = (py * sw + px) * 4;
        const alpha = (src[o + 3]! / 255) * weight;
        r += src[o]! * alpha;
        g += src[o + 1]! * alpha;
        b += src[o + 2]! * alpha;
        a += alpha;
      }
      if (a <= 0) continue;
      const t = (y * p.width + x) * 3;
      out[t] = Math.round(out[t]! * (1 - a) + r);
      out[t + 1] = Math.round(out[t + 1]! * (1 - a) + g);
      out[t + 2] = Math.round(out[t + 2]! * (1 - a) + b);
    }
  }
  let image = sharp(out, { raw: { width: p.width, height: p.height, channels: 3 } });
  if (p.glare > 0) {
    const [gx, gy] = [p.glareAt[0] * p.width, p.glareAt[1] * p.height];
    const radius = Math.max(p.width, p.height) * 0.35;
    const svg =
      `<svg xmlns="http://www.w3.org/2000/svg" width="${p.width}" height="${p.height}"><defs><radialGradient id="g" cx="${gx}" cy="${gy}" r="${radius}" gradientUnits="userSpaceOnUse">` +
      `<stop offset="0" stop-color="#ffffff" stop-opacity="${p.glare.toFixed(2)}"/><stop offset="1" stop-color="#ffffff" stop-opacity="0"/></radialGradient></defs>` +
      `<rect width="100%" height="100%" fill="url(#g)"/></svg>`;
    image = sharp(
      await image
        .composite([{ input: Buffer.from(svg) }])
        .png()
        .toBuffer(),
    );
  }
  if (p.blurSigma >= 0.3) image = image.blur(p.blurSigma);
  const jpeg = await image.jpeg({ quality: p.jpegQuality }).toBuffer();
  const faces = doc.faces.map((f) => {
    const pts = [apply(h, f.x, f.y), apply(h, f.x + f.width, f.y), apply(h, f.x + f.width, f.y + f.height), apply(h, f.x, f.y + f.height)];
    const x0 = Math.max(0, Math.min(...pts.map((q) => q[0])));
    const y0 = Math.max(0, Math.min(...pts.map((q) => q[1])));
    const x1 = Math.min(p.width, Math.max(...pts.map((q) => q[0])));
    const y1 = Math.min(p.height, Math.max(...pts.map((q) => q[1])));
    return { x: Math.round(x0), y: Math.round(y0), width: Math.round(x1 - x0), height: Math.round(y1 - y0), source: f.source };
  });
  return { jpeg, faces };
}
