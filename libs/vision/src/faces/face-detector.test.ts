// The real BlazeFace (placed in models/ by the global set-up) on the real labelled photos, after the
// fetcher's normalisation (2048 px, quality 85), as the fetcher runs it.
//
// Measured at the 0.5 threshold on the 26 labelled photos: 7 of the 8 faces (portraits on documents
// included; the missed one is the passport's small faint second portrait), no face on the photos of
// phones, batteries, books, cards, pens, streets; also fires on two dog faces and, at 0.52..0.64, on
// a latte-art cup, a skateboard deck, two watch faces, a toy's helmet and a dark hand: false faces
// cost a blurred patch, a missed face costs privacy, so the threshold stays at the 0.5.
//
// The second pass on the photo turned upside down (UPSIDE_DOWN_SCORE_THRESHOLD 0.7) finds nothing
// new on these photos as they are except one more watch face (smartwatch_calendar.jpg, 0.80); on the
// photos turned upside down it finds 6 of the 7 faces where the upright pass alone finds 2 (the
// laptop's and the passport's); the licence's small ghost portrait scores 0.63 turned.
import sharp from 'sharp';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Box } from '@media-ai/contracts';
import { decodeImage } from '../detection/decoded-image.js';
import { normalizedSharedPhoto } from '../test-support/normalized-photo.js';
import { SHARED_PHOTOS } from '../test-support/shared-models.js';
import { BLAZEFACE_MODEL } from './blazeface-model.js';
import { FaceDetector } from './face-detector.js';

const centre = (box: Box) => [box.x + box.width / 2, box.y + box.height / 2];

let detector: FaceDetector;
beforeAll(async () => {
  detector = await FaceDetector.create();
});
afterAll(async () => {
  await detector?.close();
});

describe('FaceDetector (real BlazeFace, real photos)', () => {
  it.each([
    // [photo, faces expected, normalized centres of the faces (x, y), roughly]
    ['person_with_dog.jpg', [[0.31, 0.21]]],
    [
      'bicycles_two_riders.jpg',
      [
        [0.41, 0.47],
        [0.59, 0.41],
      ],
    ],
    ['laptop_on_kitchen_table.jpg', [[0.82, 0.24]]],
    // Portraits on documents: the licence's photo and its small ghost image, the passport's photo.
    [
      'id_driver_license_specimen_wa.jpg',
      [
        [0.19, 0.54],
        [0.9, 0.66],
      ],
    ],
    ['passport_specimen_canada.jpg', [[0.18, 0.71]]],
  ] as const)('finds the faces on %s', async (file, expected) => {
    const faces = await detector.detectInJpeg(await normalizedSharedPhoto(file));
    expect(faces).toHaveLength(expected.length);
    const centres = faces.map((f) => centre(f.box)).sort((a, b) => a[0]! - b[0]!);
    centres.forEach(([x, y], i) => {
      expect(x).toBeCloseTo(expected[i]![0], 1);
      expect(y).toBeCloseTo(expected[i]![1], 1);
    });
    for (const face of faces) {
      expect(face.confidence).toBeGreaterThanOrEqual(0.5);
      // A face, not the whole photo: BlazeFace's box runs from the brows to the chin.
      expect(face.box.width).toBeLessThan(0.25);
      expect(face.box.height).toBeGreaterThan(0);
    }
  });

  it.each([
    'phone_with_powerbank.jpg',
    'hard_alpha_phone_powerbank.png',
    'phone_lockscreen_in_hand.jpg',
    'batteries_varta.jpg',
    'hard_huge_batteries_varta.jpg',
    'book_page_watson_studio.jpg',
    'business_card_on_wooden_desk.jpg',
    'health_insurance_card_on_table.png',
    'pen_on_lined_paper.jpg',
    'taxis_street.jpg',
  ])('finds no face on %s', async (file) => {
    expect(await detector.detectInJpeg(await normalizedSharedPhoto(file))).toEqual([]);
  });

  it.each([
    ['person_with_dog.jpg', 1],
    ['bicycles_two_riders.jpg', 2],
    ['passport_specimen_canada.jpg', 1],
    ['id_driver_license_specimen_wa.jpg', 1],
  ] as const)('finds the faces on %s turned upside down, where they are on the turned photo', async (file, count) => {
    const upright = await detector.detectInJpeg(await normalizedSharedPhoto(file));
    const turnedJpeg = await sharp(await normalizedSharedPhoto(file))
      .rotate(180)
      .jpeg({ quality: 95 })
      .toBuffer();
    const turned = await detector.detectInJpeg(turnedJpeg);
    expect(turned).toHaveLength(count);
    // Each where the upright face lands when the photo turns: centre (x, y) -> (1 - x, 1 - y).
    const expected = upright.map((f) => centre(f.box)).map(([x, y]) => [1 - x!, 1 - y!]);
    for (const face of turned) {
      const [x, y] = centre(face.box);
      expect(expected.some(([ex, ey]) => Math.abs(ex! - x!) < 0.03 && Math.abs(ey! - y!) < 0.03)).toBe(true);
    }
  });

  it('finds no more than one of those upside-down faces without the second pass', async () => {
    const uprightOnly = await FaceDetector.create({ upsideDownScoreThreshold: null });
    try {
      let found = 0;
      for (const file of ['person_with_dog.jpg', 'bicycles_two_riders.jpg', 'passport_specimen_canada.jpg']) {
        const turnedJpeg = await sharp(await normalizedSharedPhoto(file))
          .rotate(180)
          .jpeg({ quality: 95 })
          .toBuffer();
        found += (await uprightOnly.detectInJpeg(turnedJpeg)).length;
      }
      expect(found).toBeLessThanOrEqual(1);
    } finally {
      await uprightOnly.close();
    }
  });

  it('finds the same faces in a decoded image as in the JPEG it came from', async () => {
    const jpeg = await normalizedSharedPhoto('bicycles_two_riders.jpg');
    const fromJpeg = await detector.detectInJpeg(jpeg);
    const fromPixels = await detector.detect(await decodeImage(jpeg));
    expect(fromPixels).toHaveLength(fromJpeg.length);
    fromPixels.forEach((face, i) => {
      expect(face.box.x).toBeCloseTo(fromJpeg[i]!.box.x, 2);
      expect(face.box.y).toBeCloseTo(fromJpeg[i]!.box.y, 2);
      expect(face.confidence).toBeCloseTo(fromJpeg[i]!.confidence, 1);
    });
  });

  it('refuses a model file that is not the pinned one', async () => {
    await expect(FaceDetector.create({ modelPath: join(SHARED_PHOTOS, 'manifest.json') })).rejects.toThrow(
      new RegExp(`not the pinned ${BLAZEFACE_MODEL.sha256}`),
    );
    await expect(FaceDetector.create({ modelPath: join(SHARED_PHOTOS, 'no-such.onnx') })).rejects.toThrow(/build:models/);
  });
});
