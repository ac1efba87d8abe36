import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import type { Box } from '@media-ai/contracts';
import { decodeImage, type DecodedImage } from '../detection/decoded-image.js';
import { intersectionOverUnion } from '../detection/geometry.js';
import { normalizedSharedPhoto } from '../test-support/normalized-photo.js';
import { blurFaces, blurFacesInJpeg, faceBlurRegion, pixelRegionOf, type PixelRegion } from './blur-faces.js';
import { remainingFaceDetail } from './face-detail.js';
import { FaceDetector } from './face-detector.js';

let detector: FaceDetector;
beforeAll(async () => {
  detector = await FaceDetector.create();
});
afterAll(async () => {
  await detector?.close();
});

const inside = (r: PixelRegion, x: number, y: number) => x >= r.left && x < r.left + r.width && y >= r.top && y < r.top + r.height;
const corners = (b: Box) => ({ x1: b.x, y1: b.y, x2: b.x + b.width, y2: b.y + b.height });

/** Mean absolute difference per channel over a region. */
function meanDifference(a: DecodedImage, b: DecodedImage, region: PixelRegion): number {
  let diff = 0;
  let n = 0;
  for (let y = region.top; y < region.top + region.height; y++) {
    for (let x = region.left; x < region.left + region.width; x++) {
      for (let c = 0; c < 3; c++) {
        const i = (y * a.width + x) * 3 + c;
        diff += Math.abs(a.data[i]! - b.data[i]!);
        n++;
      }
    }
  }
  return diff / n;
}

describe('faceBlurRegion', () => {
  it('spans the head around the box: 1.1 of its longer side each way across, 1.4 up and down, clamped to the photo', () => {
    // A 100x100 px box centred at (450, 250): 340..560 across, 110..390 down.
    expect(faceBlurRegion({ x: 0.4, y: 0.4, width: 0.1, height: 0.2 }, 1000, 500)).toEqual({
      left: 340,
      top: 110,
      width: 220,
      height: 280,
    });
    // A 10 px box at the bottom-left corner: the region stops at the photo's edges.
    expect(faceBlurRegion({ x: 0, y: 0.9, width: 0.1, height: 0.1 }, 100, 100)).toEqual({ left: 0, top: 81, width: 16, height: 19 });
    // Half a side each way: the box's own square.
    expect(faceBlurRegion({ x: 0.4, y: 0.4, width: 0.1, height: 0.2 }, 1000, 500, { halfWidth: 0.5, halfHeight: 0.5 })).toEqual({
      left: 400,
      top: 200,
      width: 100,
      height: 100,
    });
  });

  it('rounds a box outwards to whole pixels, but not an edge that float maths put a hair past one', () => {
    expect(pixelRegionOf({ x: 0.1234, y: 0.5, width: 0.1, height: 0.25 }, 1000, 100)).toEqual({
      left: 123,
      top: 50,
      width: 101,
      height: 25,
    });
    expect(pixelRegionOf({ x: 0.35 + 1e-12, y: 0, width: 0.1, height: 1 }, 1000, 10)).toEqual({
      left: 350,
      top: 0,
      width: 100,
      height: 10,
    });
  });
});

/**
 * The heads on the labelled photos (crown or hair line to chin, ear to ear), in the photos' pixels:
 * the boxes tools/privacy-bench/faces.ts measured for its portraits.
 */
const HEADS: Record<string, Array<[number, number, number, number]>> = {
  'passport_specimen_canada.jpg': [[33, 345, 90, 112]],
  'id_driver_license_specimen_wa.jpg': [[30, 82, 108, 131]],
  'person_with_dog.jpg': [[150, 140, 80, 88]],
  'bicycles_two_riders.jpg': [
    [503, 358, 62, 75],
    [715, 310, 68, 68],
  ],
};

describe('blurFaces over the whole head (real photos, real BlazeFace)', () => {
  it.each(Object.keys(HEADS))('leaves under a tenth of the detail over each head on %s, not just over the box', async (file) => {
    const image = await decodeImage(await normalizedSharedPhoto(file));
    const blurred = await blurFaces(
      image,
      (await detector.detect(image)).map((f) => f.box),
    );
    for (const [x, y, width, height] of HEADS[file]!) {
      const head = { x: x / image.width, y: y / image.height, width: width / image.width, height: height / image.height };
      expect(remainingFaceDetail(image, blurred, head)).toBeLessThan(0.1);
    }
  });

  it('covers a head upside down (a document photographed the other way up): the region grows down as far as up', async () => {
    const jpeg = await sharp(await normalizedSharedPhoto('passport_specimen_canada.jpg'))
      .rotate(180)
      .jpeg({ quality: 95 })
      .toBuffer();
    const image = await decodeImage(jpeg);
    // The upright pass's box: it sits on the turned face's middle, smaller than the second pass's.
    const uprightOnly = await FaceDetector.create({ upsideDownScoreThreshold: null });
    const faces = await uprightOnly.detect(image).finally(() => uprightOnly.close());
    expect(faces).toHaveLength(1);
    const [x, y, width, height] = HEADS['passport_specimen_canada.jpg']![0]!;
    const head = {
      x: 1 - (x + width) / image.width,
      y: 1 - (y + height) / image.height,
      width: width / image.width,
      height: height / image.height,
    };
    expect(remainingFaceDetail(image, await blurFaces(image, [faces[0]!.box]), head)).toBeLessThan(0.1);
    // The box-plus-0.4 region and five cells used before left 0.18 here: the hair below the box stayed sharp.
    expect(
      remainingFaceDetail(image, await blurFaces(image, [faces[0]!.box], { halfWidth: 0.9, halfHeight: 0.9, cells: 5 }), head),
    ).toBeGreaterThan(0.1);
  });
});

describe('blurFaces (real photos, real BlazeFace)', () => {
  it.each(['person_with_dog.jpg', 'bicycles_two_riders.jpg', 'id_driver_license_specimen_wa.jpg', 'passport_specimen_canada.jpg'])(
    'makes the faces on %s unrecognisable and leaves every other pixel as it was',
    async (file) => {
      const image = await decodeImage(await normalizedSharedPhoto(file));
      const faces = await detector.detect(image);
      expect(faces.length).toBeGreaterThan(0);
      const blurred = await blurFaces(
        image,
        faces.map((f) => f.box),
      );
      expect(blurred.width).toBe(image.width);
      expect(blurred.height).toBe(image.height);

      const regions = faces.map((f) => faceBlurRegion(f.box, image.width, image.height));
      // Outside the head regions: byte for byte the same.
      let changedOutside = 0;
      for (let y = 0; y < image.height; y++) {
        for (let x = 0; x < image.width; x++) {
          if (regions.some((r) => inside(r, x, y))) continue;
          const i = (y * image.width + x) * 3;
          if (image.data[i] !== blurred.data[i] || image.data[i + 1] !== blurred.data[i + 1] || image.data[i + 2] !== blurred.data[i + 2])
            changedOutside++;
        }
      }
      expect(changedOutside).toBe(0);

      for (const face of faces) {
        // Inside the face box: changed, and its fine detail gone.
        expect(meanDifference(image, blurred, pixelRegionOf(face.box, image.width, image.height))).toBeGreaterThan(8);
        expect(remainingFaceDetail(image, blurred, face.box)).toBeLessThan(0.1);
      }

      // And the detector no longer finds a face where there was one.
      const after = await detector.detect(blurred);
      for (const face of faces) {
        for (const left of after) expect(intersectionOverUnion(corners(face.box), corners(left.box))).toBeLessThan(0.1);
      }
    },
  );

  it('does not change the input image', async () => {
    const image = await decodeImage(await normalizedSharedPhoto('person_with_dog.jpg'));
    const copy = Buffer.from(image.data);
    await blurFaces(image, [{ x: 0.2, y: 0.1, width: 0.2, height: 0.2 }]);
    expect(image.data.equals(copy)).toBe(true);
  });
});

describe('blurFacesInJpeg', () => {
  it('returns the very same bytes when there is no face', async () => {
    const jpeg = await normalizedSharedPhoto('phone_with_powerbank.jpg');
    expect(await blurFacesInJpeg(jpeg, [], { quality: 85 })).toBe(jpeg);
  });

  it('re-encodes a JPEG of the same size without metadata, in which the face is gone', async () => {
    const jpeg = await normalizedSharedPhoto('person_with_dog.jpg');
    const faces = await detector.detectInJpeg(jpeg);
    expect(faces).toHaveLength(1);
    const out = await blurFacesInJpeg(
      jpeg,
      faces.map((f) => f.box),
      { quality: 85 },
    );
    const [before, after] = await Promise.all([sharp(jpeg).metadata(), sharp(out).metadata()]);
    expect(after.format).toBe('jpeg');
    expect([after.width, after.height]).toEqual([before.width, before.height]);
    expect(after.exif).toBeUndefined();
    expect(after.icc).toBeUndefined();
    // (Blurring the girl's face lets BlazeFace see the dog's at 0.6: only the blurred face must be gone.)
    for (const left of await detector.detectInJpeg(out))
      expect(intersectionOverUnion(corners(faces[0]!.box), corners(left.box))).toBeLessThan(0.1);
    // Away from the face, only the re-encoding's rounding: far below what the blur does.
    const [a, b] = await Promise.all([decodeImage(jpeg), decodeImage(out)]);
    const away = { left: 0, top: Math.round(a.height * 0.6), width: a.width, height: Math.round(a.height * 0.4) };
    expect(meanDifference(a, b, away)).toBeLessThan(2);
    // JPEG's 8x8 blocks put a little edge back into the smooth patch: 0.11 measured, 1 untouched.
    expect(remainingFaceDetail(a, b, faces[0]!.box)).toBeLessThan(0.25);
  });
});
