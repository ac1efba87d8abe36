import { describe, expect, it } from 'vitest';
import { decodeImage } from '../detection/decoded-image.js';
import { normalizedSharedPhoto } from '../test-support/normalized-photo.js';
import { blurFaces } from './blur-faces.js';
import { remainingFaceDetail } from './face-detail.js';

describe('remainingFaceDetail', () => {
  const box = { x: 0.26, y: 0.17, width: 0.1, height: 0.07 }; // the girl's face on person_with_dog.jpg

  it('is 1 for an untouched face and near 0 for a blurred one', async () => {
    const image = await decodeImage(await normalizedSharedPhoto('person_with_dog.jpg'));
    expect(remainingFaceDetail(image, image, box)).toBe(1);
    expect(remainingFaceDetail(image, await blurFaces(image, [{ box }]), box)).toBeLessThan(0.1);
  });

  it('refuses to compare images of different sizes', async () => {
    const image = await decodeImage(await normalizedSharedPhoto('person_with_dog.jpg'));
    const smaller = { ...image, width: image.width - 1 };
    expect(() => remainingFaceDetail(image, smaller, box)).toThrow(/one size/);
  });
});
