// Test helper: a labelled photo of ../shared/photos as the fetcher stores it (the default
// AI_MAX_IMAGE_SIZE 2048 and AI_IMAGE_QUALITY 85), the image every later stage and exit starts from.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { normalizePhoto } from '../normalize/normalize-photo.js';
import { SHARED_PHOTOS } from './shared-models.js';

export const FETCHER_NORMALIZE = {
  maxSide: 2048,
  quality: 85,
  maxPixels: 50_000_000,
  allowedTypes: ['image/jpeg', 'image/png', 'image/webp'],
  stripMetadata: true as const,
};

export async function normalizedSharedPhoto(file: string): Promise<Buffer> {
  return (await normalizePhoto(await readFile(join(SHARED_PHOTOS, file)), FETCHER_NORMALIZE)).jpeg;
}
