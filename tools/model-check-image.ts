/**
 * Writes services/pipeline/assets/model-check.jpg, the built-in image `media-ai models validate` and
 * `media-ai models info` run every model on: a CC0 photo from ../shared/photos (person_with_dog.jpg,
 * Pexels, see services/pipeline/assets/NOTICE.md) above a white band with "MEDIA AI 2026" drawn in
 * Roboto Bold as SVG paths (no system font). Run once by a developer; the product reads only the
 * committed JPEG and never ../shared.
 *
 *   node --import tsx tools/model-check-image.ts [../shared/photos/person_with_dog.jpg]
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { loadFont } from './privacy-bench/fonts.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const SOURCE = process.argv[2] ?? path.join(REPO, '..', 'shared', 'photos', 'person_with_dog.jpg');
const TARGET = path.join(REPO, 'services', 'pipeline', 'assets', 'model-check.jpg');
export const CHECK_TEXT = 'MEDIA AI 2026';

const WIDTH = 480;
const BAND = 120;
const SIZE = 64;

const photo = await sharp(SOURCE).rotate().resize({ width: WIDTH }).toBuffer({ resolveWithObject: true });
const font = loadFont('roboto', 700);
const textWidth = font.width(CHECK_TEXT, SIZE);
const baseline = Math.round(BAND / 2 + (SIZE * font.ascent) / 2 - SIZE * 0.12);
const band = Buffer.from(
  `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${BAND}"><rect width="100%" height="100%" fill="#ffffff"/>` +
    `<path fill="#111111" d="${font.path(CHECK_TEXT, Math.round((WIDTH - textWidth) / 2), baseline, SIZE)}"/></svg>`,
);
const jpeg = await sharp({ create: { width: WIDTH, height: photo.info.height + BAND, channels: 3, background: '#ffffff' } })
  .composite([
    { input: photo.data, top: 0, left: 0 },
    { input: await sharp(band).png().toBuffer(), top: photo.info.height, left: 0 },
  ])
  .jpeg({ quality: 85, mozjpeg: true })
  .toBuffer();
writeFileSync(TARGET, jpeg);
process.stdout.write(`${path.relative(REPO, TARGET)}: ${WIDTH}x${photo.info.height + BAND}, ${jpeg.length} bytes\n`);
