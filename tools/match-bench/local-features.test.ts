import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { ITEM_IMAGE_SIDE, mulberry32, NEUTRAL, type DecodedImage } from '@media-ai/vision';
import { generatedItem } from './generated-objects.js';
import { localFeatures, verifiedMatches } from './local-features.js';

const background = { r: NEUTRAL[0], g: NEUTRAL[1], b: NEUTRAL[2], alpha: 1 };

/** A generated item as the fingerprint's crop would hold it: rotated, letterboxed into the neutral square, JPEG-encoded once. */
async function crop(item: Buffer, angle: number, quality: number): Promise<DecodedImage> {
  const rotated = await sharp(item).rotate(angle, { background }).png().toBuffer();
  const jpeg = await sharp(rotated)
    .resize(ITEM_IMAGE_SIDE, ITEM_IMAGE_SIDE, { fit: 'contain', background })
    .flatten({ background })
    .jpeg({ quality })
    .toBuffer();
  const { data, info } = await sharp(jpeg).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

describe('local features (ORB + RANSAC inliers)', () => {
  it('find one notebook again turned and re-encoded, far more than another notebook, mirrored or not', async () => {
    const one = await generatedItem('notebook', mulberry32(7));
    const other = await generatedItem('notebook', mulberry32(8));
    const orb = { features: 300, levels: 4 };
    const query = await localFeatures(await crop(one, 0, 90), orb);
    const same = await localFeatures(await crop(one, 20, 50), orb);
    const different = await localFeatures(await crop(other, 20, 50), orb);
    // Both mirrored: the same geometry again, so the mirrored drawing must match as well as the plain one.
    const mirroredQuery = await localFeatures(await crop(one, 0, 90), { ...orb, mirrored: true });
    const mirroredSame = await localFeatures(await crop(one, 20, 50), { ...orb, mirrored: true });
    const found = await verifiedMatches(query, same);
    const notFound = await verifiedMatches(query, different);
    expect(query.points.length).toBeGreaterThan(50);
    expect(query.descriptors.length).toBe((query.points.length / 2) * 32);
    expect(found.inliers).toBeGreaterThanOrEqual(20);
    expect(found.inliers).toBeGreaterThan(3 * notFound.inliers);
    expect((await verifiedMatches(mirroredQuery, mirroredSame)).inliers).toBeGreaterThanOrEqual(20);
    console.log(
      found.inliers,
      notFound.inliers,
      (await verifiedMatches(mirroredQuery, mirroredSame)).inliers,
      (await verifiedMatches(query, mirroredSame)).inliers,
    );
  });
});
