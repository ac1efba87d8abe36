/**
 * Portraits for documents: crops of real faces in ../shared/photos, with each face's box inside the
 * crop found by looking at the photos (the two specimen portraits are drawn faces; the other three
 * are photographs of people). The generator maps the boxes through every transform into the
 * ground truth, so face blurring can be checked. Must never invent a face box it did not measure.
 */
import { join } from 'node:path';
import sharp from 'sharp';

export interface FaceCrop {
  file: string;
  /** The crop in the source photo. */
  crop: { left: number; top: number; width: number; height: number };
  /** The face inside the crop (forehead to chin, ear to ear). */
  face: { x: number; y: number; width: number; height: number };
}

export const FACE_CROPS: readonly FaceCrop[] = [
  {
    file: 'passport_specimen_canada.jpg',
    crop: { left: 20, top: 340, width: 115, height: 150 },
    face: { x: 13, y: 5, width: 90, height: 112 },
  },
  {
    file: 'id_driver_license_specimen_wa.jpg',
    crop: { left: 12, top: 67, width: 136, height: 186 },
    face: { x: 18, y: 15, width: 108, height: 131 },
  },
  { file: 'person_with_dog.jpg', crop: { left: 120, top: 110, width: 140, height: 170 }, face: { x: 30, y: 30, width: 80, height: 88 } },
  {
    file: 'bicycles_two_riders.jpg',
    crop: { left: 485, top: 335, width: 100, height: 120 },
    face: { x: 18, y: 23, width: 62, height: 75 },
  },
  {
    file: 'bicycles_two_riders.jpg',
    crop: { left: 695, top: 285, width: 110, height: 125 },
    face: { x: 20, y: 25, width: 68, height: 68 },
  },
];

export interface PlacedPortrait {
  png: Buffer;
  /** The face's box inside the placed portrait (its own pixels). */
  face: { x: number; y: number; width: number; height: number };
  source: string;
}

/** The crop resized to cover width x height (centred), and where its face lands. */
export async function portrait(photos: string, crop: FaceCrop, width: number, height: number, grey: boolean): Promise<PlacedPortrait> {
  const scale = Math.max(width / crop.crop.width, height / crop.crop.height);
  const dx = (crop.crop.width * scale - width) / 2;
  const dy = (crop.crop.height * scale - height) / 2;
  let image = sharp(join(photos, crop.file)).rotate().extract(crop.crop).resize(Math.round(width), Math.round(height), { fit: 'cover' });
  if (grey) image = image.grayscale();
  const png = await image.png().toBuffer();
  const x0 = Math.max(0, crop.face.x * scale - dx);
  const y0 = Math.max(0, crop.face.y * scale - dy);
  const x1 = Math.min(width, (crop.face.x + crop.face.width) * scale - dx);
  const y1 = Math.min(height, (crop.face.y + crop.face.height) * scale - dy);
  return { png, face: { x: x0, y: y0, width: x1 - x0, height: y1 - y0 }, source: crop.file };
}
