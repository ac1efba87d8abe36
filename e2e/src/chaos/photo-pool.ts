/**
 * Test-only: the photos of a chaos run, served over https by the test photo server (the fetcher's
 * real https source, SSRF guard and all, with loopback allowed). A small pool of real photos from
 * ../shared/photos, each made smaller once so that the fetcher's work per photo stays small on a
 * 2-core machine; every planned photo gets its own URL (the post's photo id) over one of them, so
 * the analysis stages answer repeated images from their result cache, as they do in production.
 */
import sharp from 'sharp';
import { startPhotoHttpServer, type PhotoHttpServer } from '@media-ai/storage/test-support';
import { photoPath } from '@media-ai/pipeline/test-support';
import type { PlannedPhoto } from './plan.js';

/** Everyday items, a few with printed text, one with faces; in the order the pool takes them. */
export const POOL_PHOTOS = [
  'coffee_cup_saucer.jpg',
  'phone_with_powerbank.jpg',
  'skateboard_closeup.jpg',
  'batteries_varta.jpg',
  'bicycle_and_dog_on_porch.jpg',
  'hoodie_with_logo.jpg',
  'person_with_dog.jpg',
  'laptop_on_kitchen_table.jpg',
  'smartwatch_calendar.jpg',
  'toy_astronaut_on_desk.jpg',
  'cafe_terrace_table_menu.jpg',
  'bicycles_two_riders.jpg',
] as const;

/** Long side of the served photos: enough for every model, cheap to normalize. */
const SERVED_SIDE = 800;

export interface PhotoPool {
  /** The URL of a planned photo (its route is made on first use). */
  url(photo: PlannedPhoto): string;
  /** Downloads of the photo so far. */
  hits(photo: PlannedPhoto): number;
  close(): Promise<void>;
}

export async function startPhotoPool(size: number): Promise<PhotoPool> {
  if (size < 1 || size > POOL_PHOTOS.length) throw new RangeError(`the photo pool holds 1 to ${POOL_PHOTOS.length} photos`);
  const images = await Promise.all(
    POOL_PHOTOS.slice(0, size).map((file) =>
      sharp(photoPath(file))
        .rotate()
        .resize(SERVED_SIDE, SERVED_SIDE, { fit: 'inside', withoutEnlargement: true })
        .jpeg({ quality: 85 })
        .toBuffer(),
    ),
  );
  const server: PhotoHttpServer = await startPhotoHttpServer({ tls: true });
  const pathOf = (photo: PlannedPhoto) => `/photos/${photo.photoId}.jpg`;
  return {
    url(photo) {
      const image = images[photo.image % images.length]!;
      server.serve(pathOf(photo), image);
      return `${server.origin}${pathOf(photo)}`;
    },
    hits: (photo) => server.hits(pathOf(photo)),
    close: () => server.close(),
  };
}
