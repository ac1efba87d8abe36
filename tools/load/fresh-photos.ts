/**
 * Fresh photos for the stress test: each request must be a photo the service has never seen, or the
 * result cache (keyed by the image's sha256) would answer instead of the models. Each variant is a
 * source photo, at most 1280 px, with its own 8x8 patch of noise in the top-left corner: new bytes
 * and new pixels, the same objects and text. Sources: the JPEGs of a folder (../shared/photos in
 * this checkout) or, on a fresh clone, the built-in check image.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const DEFAULT_PHOTOS = path.join(REPO, '..', 'shared', 'photos');
const CHECK_IMAGE = path.join(REPO, 'services', 'pipeline', 'assets', 'model-check.jpg');

export function sourcePhotos(folder: string, max = 8): string[] {
  if (!existsSync(folder)) return [CHECK_IMAGE];
  const files = readdirSync(folder)
    .filter((f) => /\.jpe?g$/i.test(f))
    .sort()
    .slice(0, max)
    .map((f) => path.join(folder, f));
  return files.length ? files : [CHECK_IMAGE];
}

export async function freshVariants(sources: readonly string[], count: number): Promise<Buffer[]> {
  const bases = await Promise.all(
    sources.map((file) => sharp(file).rotate().resize({ width: 1280, height: 1280, fit: 'inside', withoutEnlargement: true }).toBuffer()),
  );
  const variants: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const patch = await sharp({
      create: { width: 8, height: 8, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 60 } },
    })
      .png()
      .toBuffer();
    variants.push(
      await sharp(bases[i % bases.length]!)
        .composite([{ input: patch, top: 0, left: 0 }])
        .jpeg({ quality: 90 })
        .toBuffer(),
    );
  }
  return variants;
}

const BOUNDARY = 'media-ai-stress-test-boundary';

/** A multipart/form-data body with one photo (as POST /api/v1/photos/analyze takes uploads). */
export function multipartPhoto(jpeg: Buffer): { body: Buffer; contentType: string } {
  const head = Buffer.from(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="post_type"\r\n\r\nfound\r\n` +
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="photo"; filename="photo.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${BOUNDARY}--\r\n`);
  return { body: Buffer.concat([head, jpeg, tail]), contentType: `multipart/form-data; boundary=${BOUNDARY}` };
}
