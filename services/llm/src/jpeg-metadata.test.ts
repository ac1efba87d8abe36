import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { MediaAiError } from '@media-ai/contracts';
import { stripJpegMetadata } from './jpeg-metadata.js';
import { normalizedJpeg, SHARED_PHOTOS } from './test-support/fixtures.js';

async function code(fn: () => unknown): Promise<string> {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(MediaAiError);
    return (error as MediaAiError).code;
  }
  throw new Error('expected a failure');
}

describe('stripJpegMetadata', () => {
  it('removes EXIF and keeps the pixels bit for bit', async () => {
    const original = await readFile(`${SHARED_PHOTOS}exif_rotated_landscape_6.jpg`);
    const { bytes, removed } = stripJpegMetadata(original);
    expect(removed).toContain('APP1');
    expect(bytes.includes(Buffer.from('Exif\0\0', 'latin1'))).toBe(false);
    const [before, after] = await Promise.all([sharp(original).raw().toBuffer(), sharp(bytes).raw().toBuffer()]);
    expect(after.equals(before)).toBe(true);
    expect((await sharp(bytes).metadata()).exif).toBeUndefined();
  });

  it('removes EXIF with GPS, XMP and comments written by sharp, and keeps the ICC profile', async () => {
    const tagged = await sharp({ create: { width: 32, height: 24, channels: 3, background: '#336699' } })
      .withExif({ IFD0: { Copyright: 'Jane Doe' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '40/1 46/1 0/1' } })
      .withXmp('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/></x:xmpmeta>')
      .withIccProfile('p3')
      .jpeg()
      .toBuffer();
    const { bytes, removed } = stripJpegMetadata(tagged);
    expect(removed.filter((name) => name === 'APP1')).toHaveLength(2);
    expect(bytes.includes(Buffer.from('Jane Doe'))).toBe(false);
    const meta = await sharp(bytes).metadata();
    expect(meta.exif).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(meta.icc).toBeDefined();
  });

  it('leaves an already clean normalized JPEG unchanged', async () => {
    const clean = await normalizedJpeg('coffee_cup_saucer.jpg', 256);
    const { bytes, removed } = stripJpegMetadata(clean);
    expect(removed).toEqual([]);
    expect(bytes.equals(clean)).toBe(true);
  });

  it('drops data hidden after the end of the image', async () => {
    const clean = await normalizedJpeg('coffee_cup_saucer.jpg', 128);
    const { bytes, removed } = stripJpegMetadata(Buffer.concat([clean, Buffer.from('GPS 40.7829,-73.9654')]));
    expect(removed).toEqual(['trailer']);
    expect(bytes.equals(clean)).toBe(true);
  });

  it('rejects what is not a JPEG and what is cut short', async () => {
    const clean = await normalizedJpeg('coffee_cup_saucer.jpg', 128);
    const png = await sharp(clean).png().toBuffer();
    expect(await code(() => stripJpegMetadata(png))).toBe('MEDIA_AI_PHOTO_UNSUPPORTED_TYPE');
    expect(await code(() => stripJpegMetadata(clean.subarray(0, clean.length / 2)))).toBe('MEDIA_AI_PHOTO_CORRUPT');
    expect(await code(() => stripJpegMetadata(clean.subarray(0, 40)))).toBe('MEDIA_AI_PHOTO_CORRUPT');
  });
});
