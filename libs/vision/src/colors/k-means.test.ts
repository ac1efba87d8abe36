import { describe, expect, it } from 'vitest';
import { distanceSquared, type Lab } from './color-space.js';
import { kMeans, nearest, type Cluster } from './dominant-colors.js';
import { mulberry32 } from '../seeded-random.js';

/** The plain loop kMeans was before it was packed into typed arrays (every pixel assigned each round): the reference. */
function plainKMeans(pixels: Lab[], weights: number[], k: number, iterations = 15): Cluster[] {
  const random = mulberry32(0x5eed);
  const centres: Lab[] = [];
  const first = pixels[Math.floor(random() * pixels.length)];
  if (!first) return [];
  centres.push({ ...first });
  const closest = pixels.map((p) => distanceSquared(p, first));
  while (centres.length < Math.min(k, pixels.length)) {
    let sum = 0;
    for (let i = 0; i < pixels.length; i++) sum += closest[i]! * (weights[i] ?? 0);
    if (sum === 0) break;
    let target = random() * sum;
    let chosen = pixels.length - 1;
    for (let i = 0; i < pixels.length; i++) {
      target -= closest[i]! * (weights[i] ?? 0);
      if (target <= 0) {
        chosen = i;
        break;
      }
    }
    const centre = { ...pixels[chosen]! };
    centres.push(centre);
    for (let i = 0; i < pixels.length; i++) closest[i] = Math.min(closest[i]!, distanceSquared(pixels[i]!, centre));
  }
  let clusters: Cluster[] = centres.map((centre) => ({ centre, weight: 0 }));
  const assignment = new Int32Array(pixels.length);
  for (let round = 0; round < iterations; round++) {
    const sums = clusters.map(() => ({ l: 0, a: 0, b: 0, w: 0 }));
    let moved = false;
    for (let i = 0; i < pixels.length; i++) {
      const p = pixels[i]!;
      const c = nearest(p, clusters);
      if (assignment[i] !== c) moved = true;
      assignment[i] = c;
      const w = weights[i] ?? 0;
      const s = sums[c]!;
      s.l += p.l * w;
      s.a += p.a * w;
      s.b += p.b * w;
      s.w += w;
    }
    clusters = sums
      .map((s, c) => (s.w > 0 ? { centre: { l: s.l / s.w, a: s.a / s.w, b: s.b / s.w }, weight: s.w } : { ...clusters[c]!, weight: 0 }))
      .filter((cluster) => cluster.weight > 0 || round < iterations - 1);
    if (!moved && round > 0) break;
  }
  return clusters.filter((cluster) => cluster.weight > 0);
}

describe('kMeans', () => {
  it('gives bit-for-bit the clusters of the plain loop, zero weights (an item mask, a context ring) included', () => {
    const random = mulberry32(42);
    for (let trial = 0; trial < 60; trial++) {
      const count = 20 + Math.floor(random() * 900);
      // A few colour blobs, so clusters are real and some runs stop early.
      const blobs = Array.from({ length: 2 + (trial % 5) }, () => ({ l: random() * 100, a: random() * 160 - 80, b: random() * 160 - 80 }));
      const pixels = Array.from({ length: count }, () => {
        const blob = blobs[Math.floor(random() * blobs.length)]!;
        return { l: blob.l + random() * 8, a: blob.a + random() * 8, b: blob.b + random() * 8 };
      });
      const zeroShare = [0, 0.3, 0.7, 0.95][trial % 4]!;
      const weights = pixels.map(() => (random() < zeroShare ? 0 : random()));
      const k = 2 + (trial % 6);
      const rounds = trial % 3 === 0 ? 6 : 15;
      expect(kMeans(pixels, weights, k, rounds)).toEqual(plainKMeans(pixels, weights, k, rounds));
    }
  });

  it('returns no cluster for no pixel or no weight', () => {
    expect(kMeans([], [], 3)).toEqual([]);
    expect(kMeans([{ l: 50, a: 0, b: 0 }], [0], 3)).toEqual([]);
  });
});
