import { describe, expect, it } from 'vitest';
import { MediaAiError } from '@media-ai/contracts';
import { decodeImage, type DecodedImage } from '../detection/decoded-image.js';
import { normalizedSharedPhoto } from '../test-support/normalized-photo.js';
import { orientedHeadRegion, faceBlurRegion } from './head-region.js';
import { FaceDetector } from './face-detector.js';
import { photoForRelease } from './photo-for-release.js';

/** Mean absolute difference per channel over a square of `radius` px around (x, y). */
function differenceAround(a: DecodedImage, b: DecodedImage, x: number, y: number, radius: number): number {
  let diff = 0;
  let n = 0;
  for (let j = y - radius; j <= y + radius; j++) {
    for (let i = x - radius; i <= x + radius; i++) {
      for (let c = 0; c < 3; c++) {
        diff += Math.abs(a.data[(j * a.width + i) * 3 + c]! - b.data[(j * b.width + i) * 3 + c]!);
        n++;
      }
    }
  }
  return diff / n;
}

describe('photoForRelease', () => {
  it('refuses a photo nobody looked at for faces (null, or absent on an older record)', async () => {
    const jpeg = await normalizedSharedPhoto('phone_with_powerbank.jpg');
    for (const faces of [null, undefined]) {
      const error = await photoForRelease(jpeg, faces).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MediaAiError);
      expect((error as MediaAiError).code).toBe('MEDIA_AI_FACES_UNCHECKED');
      expect((error as MediaAiError).retryable).toBe(false);
    }
  });

  it('releases a photo without faces byte for byte, and re-encodes one with faces', async () => {
    const jpeg = await normalizedSharedPhoto('person_with_dog.jpg');
    expect(await photoForRelease(jpeg, [])).toBe(jpeg);
    const blurred = await photoForRelease(jpeg, [{ confidence: 0.9, box: { x: 0.26, y: 0.17, width: 0.1, height: 0.07 } }]);
    expect(blurred.equals(jpeg)).toBe(false);
    expect(blurred.subarray(0, 2).toString('hex')).toBe('ffd8');
  });

  it('blurs the head turned to the face when the record carries keypoints, and only around the box when not (v4)', async () => {
    const jpeg = await normalizedSharedPhoto('person_with_dog.jpg');
    const detector = await FaceDetector.create();
    const [girl] = await detector.detectInJpeg(jpeg).finally(() => detector.close());
    const original = await decodeImage(jpeg);
    const { width, height } = original;
    // The girl's keypoints turned 25° about the box centre: a tilted face as the model would place it.
    const cx = girl!.box.x + girl!.box.width / 2;
    const cy = girl!.box.y + girl!.box.height / 2;
    const a = (25 * Math.PI) / 180;
    const keypoints = girl!.keypoints.map(({ x, y }) => {
      const dx = (x - cx) * width;
      const dy = (y - cy) * height;
      return { x: cx + (dx * Math.cos(a) - dy * Math.sin(a)) / width, y: cy + (dx * Math.sin(a) + dy * Math.cos(a)) / height };
    });
    const tilted = { confidence: girl!.confidence, box: girl!.box, keypoints };
    const region = orientedHeadRegion(tilted, width, height)!;
    const upright = faceBlurRegion(girl!.box, width, height);
    // A point of the turned head past the upright region's right edge, at the height of its crown.
    const x = Math.round(upright.left + upright.width + 4);
    const y = Math.round(region.centreY - region.halfHeight * 0.5);
    expect(x).toBeLessThan(width - 4);

    const withKeypoints = await decodeImage(await photoForRelease(jpeg, [tilted]));
    const boxOnly = await decodeImage(await photoForRelease(jpeg, [{ confidence: girl!.confidence, box: girl!.box, keypoints: null }]));
    // With keypoints the turned head is blurred there; without, that pixel is the photo's (re-encoding only).
    expect(differenceAround(original, withKeypoints, x, y, 2)).toBeGreaterThan(8);
    expect(differenceAround(original, boxOnly, x, y, 2)).toBeLessThan(3);
    // Inside the upright region both blur.
    const inner = { x: upright.left + Math.round(upright.width / 2), y: upright.top + Math.round(upright.height / 2) };
    expect(differenceAround(original, boxOnly, inner.x, inner.y, 6)).toBeGreaterThan(8);
  });
});
