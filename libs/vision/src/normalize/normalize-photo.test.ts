import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { normalizePhoto, type NormalizeOptions } from './normalize-photo.js';
import { failureOf } from '@media-ai/contracts/test-support';

const photo = (name: string) => readFileSync(new URL(`../../../../../shared/photos/${name}`, import.meta.url));

const OPTIONS: NormalizeOptions = {
  maxSide: 1024,
  quality: 85,
  maxPixels: 40_000_000,
  allowedTypes: ['image/jpeg', 'image/png', 'image/webp'],
  stripMetadata: true,
};

/** Mean absolute difference of two images at 32x32 greyscale: a cheap "same picture?" measure. */
async function difference(a: Buffer, b: Buffer): Promise<number> {
  const small = (img: Buffer) => sharp(img).resize(32, 32, { fit: 'fill' }).greyscale().raw().toBuffer();
  const [x, y] = await Promise.all([small(a), small(b)]);
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += Math.abs((x[i] ?? 0) - (y[i] ?? 0));
  return sum / x.length;
}

/** A PNG of a few dozen bytes that declares 20000x20000 pixels (a decompression bomb header). */
function pngBomb(width: number, height: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const byte of buf) c = (crcTable[(c ^ byte) & 0xff] ?? 0) ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), body.length + 4);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.alloc(64))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('normalizePhoto', () => {
  it('applies the EXIF orientation and strips every kind of metadata', async () => {
    const original = photo('exif_rotated_landscape_6.jpg');
    const before = await sharp(original).metadata();
    expect(before.orientation).toBe(6);
    expect(before.exif).toBeDefined();

    const result = await normalizePhoto(original, OPTIONS);
    expect([result.originalWidth, result.originalHeight]).toEqual([1800, 1200]);
    expect([result.width, result.height]).toEqual([1024, 683]);

    const after = await sharp(result.jpeg).metadata();
    expect(after.format).toBe('jpeg');
    expect([after.width, after.height]).toEqual([1024, 683]);
    expect(after.orientation).toBeUndefined();
    expect(after.exif).toBeUndefined();
    expect(after.xmp).toBeUndefined();
    expect(after.iptc).toBeUndefined();
    expect(after.icc).toBeUndefined();
    expect(after.space).toBe('srgb');

    // The pixels really were turned: close to a 90° clockwise rotation, far from the stored layout.
    const turned = await sharp(original).rotate(90).jpeg().toBuffer();
    const stored = await sharp(original).jpeg().toBuffer();
    const toTurned = await difference(result.jpeg, turned);
    const toStored = await difference(result.jpeg, stored);
    expect(toTurned).toBeLessThan(8);
    expect(toStored).toBeGreaterThan(toTurned * 3);
  });

  it('removes GPS, XMP and IPTC-bearing metadata written into the input', async () => {
    const tagged = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#3366cc' } })
      .withExif({ IFD0: { Copyright: 'owner', Artist: 'Jane Doe' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '40/1 43/1 45/1' } })
      .withXmp('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/></x:xmpmeta>')
      .withIccProfile('p3')
      .jpeg()
      .toBuffer();
    const input = await sharp(tagged).metadata();
    expect(input.exif?.toString('latin1')).toContain('Jane Doe');
    expect(input.xmp).toBeDefined();
    expect(input.icc).toBeDefined();

    const result = await normalizePhoto(tagged, OPTIONS);
    const after = await sharp(result.jpeg).metadata();
    expect(after.exif).toBeUndefined();
    expect(after.xmp).toBeUndefined();
    expect(after.icc).toBeUndefined();
    expect(result.jpeg.toString('latin1')).not.toContain('Jane Doe');
    expect(result.jpeg.toString('latin1')).not.toContain('Exif');
  });

  it('flattens transparency on white and never enlarges a small photo', async () => {
    const alpha = await normalizePhoto(photo('hard_alpha_phone_powerbank.png'), OPTIONS);
    expect([alpha.width, alpha.height]).toEqual([640, 426]);
    const { data, info } = await sharp(alpha.jpeg).raw().toBuffer({ resolveWithObject: true });
    expect(info.channels).toBe(3);
    // The top-left corner was fully transparent in the original.
    expect([data[0], data[1], data[2]].every((v) => (v ?? 0) > 245)).toBe(true);

    const tiny = await normalizePhoto(photo('hoodie_with_logo.jpg'), OPTIONS);
    expect([tiny.width, tiny.height, tiny.originalWidth, tiny.originalHeight]).toEqual([299, 213, 299, 213]);
  });

  it('fits a 24 MP photo inside maxSide and returns the sha256 of the output', async () => {
    const result = await normalizePhoto(photo('hard_huge_batteries_varta.jpg'), { ...OPTIONS, maxSide: 2048 });
    expect([result.originalWidth, result.originalHeight]).toEqual([6000, 4003]);
    expect(Math.max(result.width, result.height)).toBe(2048);
    expect(result.sha256).toBe(createHash('sha256').update(result.jpeg).digest('hex'));
    expect(result.sourceType).toBe('jpeg');
  });

  it('normalizes every shared photo and is deterministic', async () => {
    const a = await normalizePhoto(photo('smartwatch_on_wrist.webp'), OPTIONS);
    const b = await normalizePhoto(photo('smartwatch_on_wrist.webp'), OPTIONS);
    expect(a.sha256).toBe(b.sha256);
    expect(a.sourceType).toBe('webp');
  });

  it('refuses decompression bombs before decoding them', async () => {
    const bomb = await failureOf(normalizePhoto(pngBomb(20_000, 20_000), OPTIONS));
    expect(bomb.code).toBe('MEDIA_AI_PHOTO_TOO_MANY_PIXELS');
    const huge = await failureOf(normalizePhoto(photo('hard_huge_batteries_varta.jpg'), { ...OPTIONS, maxPixels: 20_000_000 }));
    expect(huge.code).toBe('MEDIA_AI_PHOTO_TOO_MANY_PIXELS');
    expect(huge.retryable).toBe(false);
  });

  it('classifies empty, truncated, garbage and disallowed inputs', async () => {
    expect((await failureOf(normalizePhoto(Buffer.alloc(0), OPTIONS))).code).toBe('MEDIA_AI_PHOTO_EMPTY');

    const original = photo('coffee_cup_saucer.jpg');
    const truncated = await failureOf(normalizePhoto(original.subarray(0, Math.floor(original.length * 0.6)), OPTIONS));
    expect(truncated.code).toBe('MEDIA_AI_PHOTO_CORRUPT');

    const garbage = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2000, 0x42)]);
    expect((await failureOf(normalizePhoto(garbage, OPTIONS))).code).toBe('MEDIA_AI_PHOTO_CORRUPT');

    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>');
    expect((await failureOf(normalizePhoto(svg, OPTIONS))).code).toBe('MEDIA_AI_PHOTO_UNSUPPORTED_TYPE');
    // Even when configuration lists it: SVG is a document, not a photo.
    expect((await failureOf(normalizePhoto(svg, { ...OPTIONS, allowedTypes: ['image/svg+xml'] }))).code).toBe(
      'MEDIA_AI_PHOTO_UNSUPPORTED_TYPE',
    );

    const gif = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#ff0000' } })
      .gif()
      .toBuffer();
    expect((await failureOf(normalizePhoto(gif, OPTIONS))).code).toBe('MEDIA_AI_PHOTO_UNSUPPORTED_TYPE');
    const allowed = await normalizePhoto(gif, { ...OPTIONS, allowedTypes: ['image/gif'] });
    expect(allowed.sourceType).toBe('gif');

    const pngNotAllowed = await failureOf(
      normalizePhoto(photo('book_page_text_with_numbers.png'), { ...OPTIONS, allowedTypes: ['image/jpeg'] }),
    );
    expect(pngNotAllowed.code).toBe('MEDIA_AI_PHOTO_UNSUPPORTED_TYPE');
    expect(pngNotAllowed.details.detectedType).toBe('png');
  });

  it('keeps only the first frame of an animation', async () => {
    const frame = (colour: string) =>
      sharp({ create: { width: 16, height: 16, channels: 3, background: colour } })
        .png()
        .toBuffer();
    const frames = await Promise.all([frame('#ff0000'), frame('#0000ff')]);
    const animated = await sharp(frames, { join: { animated: true } })
      .gif({ delay: [100, 100] })
      .toBuffer();
    expect((await sharp(animated, { pages: -1 }).metadata()).pages).toBe(2);
    const result = await normalizePhoto(animated, { ...OPTIONS, allowedTypes: ['image/gif'] });
    expect([result.width, result.height]).toEqual([16, 16]);
    const { data } = await sharp(result.jpeg).raw().toBuffer({ resolveWithObject: true });
    expect(data[0]).toBeGreaterThan(200);
    expect(data[2]).toBeLessThan(60);
  });
});

describe('normalizePhoto colour models', () => {
  // A red-to-blue gradient with a translucent stripe, so every encoding below has real content.
  const rgba = async () => {
    const width = 64;
    const height = 48;
    const data = Buffer.alloc(width * height * 4);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = (y * width + x) * 4;
        data[i] = Math.round((255 * x) / (width - 1));
        data[i + 1] = 40;
        data[i + 2] = 255 - data[i]!;
        data[i + 3] = y < 8 ? 64 : 255;
      }
    }
    return sharp(data, { raw: { width, height, channels: 4 } });
  };

  it.each([
    ['CMYK JPEG', async () => (await rgba()).flatten({ background: '#fff' }).toColourspace('cmyk').jpeg().toBuffer()],
    ['16-bit PNG', async () => (await rgba()).toColourspace('rgb16').png().toBuffer()],
    ['palette PNG', async () => (await rgba()).png({ palette: true, colours: 16 }).toBuffer()],
    ['grayscale PNG', async () => (await rgba()).grayscale().png().toBuffer()],
    ['PNG with alpha', async () => (await rgba()).png().toBuffer()],
    ['WebP with alpha', async () => (await rgba()).webp().toBuffer()],
  ])('turns a %s into an 8-bit, 3-channel sRGB JPEG without alpha', async (_name, make) => {
    const input = await make();
    const result = await normalizePhoto(input, OPTIONS);
    const meta = await sharp(result.jpeg).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', space: 'srgb', channels: 3, depth: 'uchar', hasAlpha: false });
    expect([result.width, result.height]).toEqual([64, 48]);
    // The translucent top rows are flattened on white, not on black.
    const { data } = await sharp(result.jpeg).raw().toBuffer({ resolveWithObject: true });
    expect(Math.min(data[0]!, data[1]!, data[2]!)).toBeGreaterThan(120);
  });
});
