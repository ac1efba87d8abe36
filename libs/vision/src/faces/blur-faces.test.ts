import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import type { Box } from '@media-ai/contracts';
import { decodeImage, type DecodedImage } from '../detection/decoded-image.js';
import { intersectionOverUnion } from '../detection/geometry.js';
import { normalizedSharedPhoto } from '../test-support/normalized-photo.js';
import { blurFaces, blurFacesInJpeg } from './blur-faces.js';
import {
  faceBlurArea,
  faceBlurRegion,
  HALF_FACE_GROWTH,
  HEAD_HALF_HEIGHT,
  HEAD_HALF_WIDTH,
  halfFaceGrowth,
  keypointSpans,
  orientedHeadRegion,
  pixelRegionOf,
  pixelsCovered,
  TILT_DEAD_ZONE_DEGREES,
  TILT_GROWTH,
  TURNED_HEAD_HALF_HEIGHT,
  TURNED_HEAD_HALF_WIDTH,
  type FaceMarks,
  type PixelRegion,
} from './head-region.js';
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

/** A face's six keypoints placed by hand: an upright face of eye distance `eyes` px at (cx, cy), turned `degrees` (image axes, clockwise). */
function turnedFace(cx: number, cy: number, side: number, degrees: number, width: number, height: number): FaceMarks {
  const a = (degrees * Math.PI) / 180;
  // Upright offsets from the box centre (px): right eye (image left), left eye, nose, mouth, right ear, left ear.
  const upright: Array<[number, number]> = [
    [-0.22, -0.15],
    [0.22, -0.15],
    [0, 0.05],
    [0, 0.25],
    [-0.5, -0.05],
    [0.5, -0.05],
  ];
  const keypoints = upright.map(([u, v]) => ({
    x: (cx + side * (u * Math.cos(a) - v * Math.sin(a))) / width,
    y: (cy + side * (u * Math.sin(a) + v * Math.cos(a))) / height,
  }));
  return { box: { x: (cx - side / 2) / width, y: (cy - side / 2) / height, width: side / width, height: side / height }, keypoints };
}

describe('orientedHeadRegion and faceBlurArea', () => {
  it('turn the head with an upright face not at all, around the box centre, at the box side', () => {
    const region = orientedHeadRegion(turnedFace(500, 500, 100, 0, 1000, 1000), 1000, 1000)!;
    expect(region).toEqual({
      centreX: 500,
      centreY: 500,
      halfWidth: expect.closeTo(TURNED_HEAD_HALF_WIDTH * 100, 6) as number,
      halfHeight: expect.closeTo(TURNED_HEAD_HALF_HEIGHT * 100, 6) as number,
      angle: expect.closeTo(0, 6) as number,
    });
  });

  it('turn the head with a face tilted 20°, and cover the corner of the head the upright region misses', () => {
    const face = turnedFace(500, 500, 100, 20, 1000, 1000);
    const region = orientedHeadRegion(face, 1000, 1000)!;
    expect((region.angle * 180) / Math.PI).toBeCloseTo(20, 6);
    // Tilted past the dead zone: the head grows (the box of a tilted face is half the head).
    const grown = 1 + TILT_GROWTH * (Math.sin((20 * Math.PI) / 180) - Math.sin((TILT_DEAD_ZONE_DEGREES * Math.PI) / 180));
    expect(region.halfHeight).toBeCloseTo(TURNED_HEAD_HALF_HEIGHT * 100 * grown, 6);
    const upright = faceBlurRegion(face.box, 1000, 1000);
    const area = faceBlurArea(face, 1000, 1000);
    // Near the turned head's corner by the forehead and the face's left: past the upright region's right edge.
    const [cos, sin] = [Math.cos(region.angle), Math.sin(region.angle)];
    const corner = {
      x: Math.round(region.centreX + 0.9 * (region.halfWidth * cos + region.halfHeight * sin)),
      y: Math.round(region.centreY + 0.9 * (region.halfWidth * sin - region.halfHeight * cos)),
    };
    expect(inside(upright, corner.x, corner.y)).toBe(false);
    expect(area.coverage(corner.x, corner.y)).toBe(1);
    // Both regions, nothing beyond them: every pixel of the upright region, no pixel far off the head.
    expect(area.coverage(upright.left, upright.top)).toBe(1);
    expect(area.coverage(upright.left + upright.width + 100, 500)).toBe(0);
    expect(pixelsCovered(area)).toBeGreaterThan(upright.width * upright.height);
    expect(pixelsCovered(area)).toBeLessThan(area.bounds.width * area.bounds.height);
  });

  it('know an upside-down face from its keypoints: turned half a turn, not tilted, and grown only by its tilt from upside down', () => {
    const upsideDown = orientedHeadRegion(turnedFace(500, 500, 100, 180, 1000, 1000), 1000, 1000)!;
    expect(Math.abs(upsideDown.angle)).toBeCloseTo(Math.PI, 6);
    expect(upsideDown.halfHeight).toBeCloseTo(TURNED_HEAD_HALF_HEIGHT * 100, 6);
    const tilted = orientedHeadRegion(turnedFace(500, 500, 100, 20, 1000, 1000), 1000, 1000)!;
    const upsideDownTilted = orientedHeadRegion(turnedFace(500, 500, 100, 200, 1000, 1000), 1000, 1000)!;
    expect((upsideDownTilted.angle * 180) / Math.PI).toBeCloseTo(-160, 6);
    expect(upsideDownTilted.halfHeight).toBeCloseTo(tilted.halfHeight, 6);
    // Half a turn from the tilted face's head: the same pixels.
    const area = faceBlurArea(turnedFace(500, 500, 100, 200, 1000, 1000), 1000, 1000);
    const same = faceBlurArea(turnedFace(500, 500, 100, 20, 1000, 1000), 1000, 1000);
    expect(pixelsCovered(area)).toBe(pixelsCovered(same));
  });

  it('grow the head around a box that covers half a face: eyes collapsed together; a well-covered face, not at all', () => {
    const covered = turnedFace(500, 500, 100, 0, 1000, 1000);
    expect(keypointSpans(covered, 1000, 1000)).toEqual({ eyes: expect.closeTo(0.44, 6) as number, ears: expect.closeTo(1, 6) as number });
    expect(halfFaceGrowth(covered, 1000, 1000)).toBe(1);
    expect(faceBlurArea(covered, 1000, 1000).bounds).toEqual(faceBlurRegion(covered.box, 1000, 1000));

    // The upright pass half found an upside-down face: its eyes 0.04 box sides apart, the rest as before.
    const collapsed: FaceMarks = {
      box: covered.box,
      keypoints: covered.keypoints!.map((point, k) => (k <= 1 ? { x: 0.5 + (k === 0 ? -0.002 : 0.002), y: point.y } : point)),
    };
    expect(keypointSpans(collapsed, 1000, 1000)!.eyes).toBeCloseTo(0.04, 6);
    expect(halfFaceGrowth(collapsed, 1000, 1000)).toBe(HALF_FACE_GROWTH);
    const grown = faceBlurArea(collapsed, 1000, 1000);
    // Both the upright and the turned head grow, around the same centre.
    expect(grown.bounds).toEqual(
      faceBlurRegion(covered.box, 1000, 1000, {
        halfWidth: HEAD_HALF_WIDTH * HALF_FACE_GROWTH,
        halfHeight: HEAD_HALF_HEIGHT * HALF_FACE_GROWTH,
      }),
    );
    expect(orientedHeadRegion(collapsed, 1000, 1000)!.halfHeight).toBeCloseTo(TURNED_HEAD_HALF_HEIGHT * 100 * HALF_FACE_GROWTH, 6);
  });

  it('grow a face whose eyes and ears both lie half as far apart as on a face, not one at 0.8 of that', () => {
    const covered = turnedFace(500, 500, 100, 0, 1000, 1000);
    // Eyes and ears drawn together towards the box centre: the box is larger than the face it found.
    const shrunk = (share: number): FaceMarks => ({
      box: covered.box,
      keypoints: covered.keypoints!.map((point, k) =>
        k === 0 || k === 1 || k >= 4 ? { x: 0.5 + (point.x - 0.5) * share, y: point.y } : point,
      ),
    });
    expect(halfFaceGrowth(shrunk(0.8), 1000, 1000)).toBe(1);
    expect(halfFaceGrowth(shrunk(0.5), 1000, 1000)).toBe(HALF_FACE_GROWTH);
    expect(pixelsCovered(faceBlurArea(shrunk(0.5), 1000, 1000))).toBeGreaterThan(2 * pixelsCovered(faceBlurArea(shrunk(0.8), 1000, 1000)));
  });

  it('without keypoints (media-ai.photos v4 data) blur the upright region around the box, as before', () => {
    const { box } = turnedFace(500, 500, 100, 20, 1000, 1000);
    for (const keypoints of [undefined, null, []]) {
      expect(orientedHeadRegion({ box, keypoints }, 1000, 1000)).toBeNull();
      const area = faceBlurArea({ box, keypoints }, 1000, 1000);
      expect(area.bounds).toEqual(faceBlurRegion(box, 1000, 1000));
      expect(pixelsCovered(area)).toBe(area.bounds.width * area.bounds.height);
    }
  });

  it('find the keypoints of a real portrait turned upside down upside down (both passes, real BlazeFace)', async () => {
    const jpeg = await sharp(await normalizedSharedPhoto('passport_specimen_canada.jpg'))
      .rotate(180)
      .jpeg({ quality: 95 })
      .toBuffer();
    const image = await decodeImage(jpeg);
    const [face] = await detector.detect(image);
    const region = orientedHeadRegion(face!, image.width, image.height)!;
    expect(Math.abs((region.angle * 180) / Math.PI)).toBeGreaterThan(160);
    // The chin above the eyes: the mouth keypoint lies higher in the photo than both eyes.
    const [rightEye, leftEye, , mouth] = face!.keypoints;
    expect(mouth!.y).toBeLessThan(Math.min(rightEye!.y, leftEye!.y));
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
    const blurred = await blurFaces(image, await detector.detect(image));
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
    // Around the box alone (v4 data, no keypoints): the region grows down as far as up.
    const boxOnly = [{ box: faces[0]!.box }];
    expect(remainingFaceDetail(image, await blurFaces(image, boxOnly), head)).toBeLessThan(0.1);
    // The box-plus-0.4 region and five cells used before left 0.18 here: the hair below the box stayed sharp.
    expect(
      remainingFaceDetail(image, await blurFaces(image, boxOnly, { halfWidth: 0.9, halfHeight: 0.9, cells: 5 }), head),
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
      const blurred = await blurFaces(image, faces);
      expect(blurred.width).toBe(image.width);
      expect(blurred.height).toBe(image.height);

      const areas = faces.map((f) => faceBlurArea(f, image.width, image.height));
      // Outside the head areas (upright and turned): byte for byte the same.
      let changedOutside = 0;
      for (let y = 0; y < image.height; y++) {
        for (let x = 0; x < image.width; x++) {
          if (areas.some((area) => area.coverage(x, y) > 0)) continue;
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
    await blurFaces(image, [{ box: { x: 0.2, y: 0.1, width: 0.2, height: 0.2 } }]);
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
    const out = await blurFacesInJpeg(jpeg, faces, { quality: 85 });
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
