import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { freshVariants, multipartPhoto, sourcePhotos } from './fresh-photos.js';
import { planSteps } from './ramp.js';

describe('planSteps', () => {
  it('ramps connections linearly at each step midpoint, like k6 stages, and drops steps at zero', () => {
    expect(
      planSteps(
        [
          { durationS: 20, target: 10 },
          { durationS: 50, target: 50 },
          { durationS: 20, target: 0 },
        ],
        10,
      ),
    ).toEqual([
      { connections: 3, durationS: 10 },
      { connections: 8, durationS: 10 },
      { connections: 14, durationS: 10 },
      { connections: 22, durationS: 10 },
      { connections: 30, durationS: 10 },
      { connections: 38, durationS: 10 },
      { connections: 46, durationS: 10 },
      { connections: 38, durationS: 10 },
      { connections: 13, durationS: 10 },
    ]);
    expect(planSteps([{ durationS: 1, target: 0 }], 10)).toEqual([]);
  });
});

describe('freshVariants', () => {
  it('makes photos with new bytes and new pixels (no result-cache hit), same size, that decode', async () => {
    const sources = sourcePhotos('/nonexistent-folder');
    expect(sources).toHaveLength(1);
    const variants = await freshVariants(sources, 3);
    const hashes = await Promise.all(
      variants.map(async (v) => {
        const raw = await sharp(v).raw().toBuffer();
        return [createHash('sha256').update(v).digest('hex'), createHash('sha256').update(raw).digest('hex')];
      }),
    );
    expect(new Set(hashes.map((h) => h[0])).size).toBe(3);
    expect(new Set(hashes.map((h) => h[1])).size).toBe(3);
    const sizes = await Promise.all(variants.map(async (v) => (await sharp(v).metadata()).width));
    expect(new Set(sizes).size).toBe(1);
    const { body, contentType } = multipartPhoto(variants[0]!);
    expect(contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(body.includes(variants[0]!)).toBe(true);
  });
});
