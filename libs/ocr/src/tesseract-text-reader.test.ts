// Real tesseract.js on real photos from ../shared/photos. One pool for the whole file keeps the
// suite's runtime modest (worker start-up is ~350 ms each, a photo 0.3..4 s on 2 cores).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MediaAiError } from '@media-ai/contracts';
import { prepareForOcr, rotatePrepared } from './preprocess.js';
import { TesseractTextReader } from './tesseract-text-reader.js';

const PHOTOS = join(import.meta.dirname, '../../../../shared/photos');
const photo = (file: string): Buffer => readFileSync(join(PHOTOS, file));

describe('TesseractTextReader on real photos', () => {
  const reader = new TesseractTextReader({ poolSize: 2 });
  beforeAll(() => reader.start());
  afterAll(() => reader.stop());

  it('reads a book page with numbers and a URL', async () => {
    const result = await reader.read(photo('book_page_text_with_numbers.png'));
    expect(result.text).toContain('Setting default log level');
    expect(result.text).toContain('Spark session available as');
    expect(result.text).toMatch(/local-1531752157593/);
    expect(result.rotation).toBe(0);
    expect(result.confidence).toBeGreaterThan(0.85);
    expect(result.lines.length).toBeGreaterThanOrEqual(5);
    for (const line of result.lines) {
      expect(line.box.x).toBeGreaterThanOrEqual(0);
      expect(line.box.x + line.box.width).toBeLessThanOrEqual(1.0001);
      expect(line.box.y + line.box.height).toBeLessThanOrEqual(1.0001);
      expect(line.words.length).toBeGreaterThan(0);
    }
    // Lines come top to bottom.
    const ys = result.lines.map((l) => l.box.y);
    expect([...ys].sort((a, b) => a - b)).toEqual(ys);
  });

  it('reads the photographed book page almost word for word', async () => {
    const result = await reader.read(photo('book_page_watson_studio.jpg'));
    expect(result.text).toContain('Quick Start with Watson Studio');
    expect(result.text).toContain('https://www.ibm.com/cloud/watson-studio');
    expect(result.lines).toHaveLength(7);
  });

  it('reads vertical brand text after turning the photo sideways', async () => {
    const result = await reader.read(photo('batteries_varta.jpg'));
    expect(result.text).toContain('VARTA');
    expect(result.text).toContain('HIGH ENERGY');
    expect([90, 270]).toContain(result.rotation);
    // Boxes are mapped back to the upright photo: vertical lettering has tall, narrow boxes.
    const varta = result.lines.find((l) => l.text.includes('VARTA'));
    expect(varta!.box.height).toBeGreaterThan(varta!.box.width);
  });

  it('finds few or no lines on a photo without text', async () => {
    const result = await reader.read(photo('coffee_cup_saucer.jpg'));
    expect(result.lines.length).toBeLessThanOrEqual(1);
    expect(result.text.length).toBeLessThan(20);
  });

  it('reads a transparent PNG without inventing text in the transparent area', async () => {
    const result = await reader.read(photo('hard_alpha_phone_powerbank.png'));
    expect(result.lines).toEqual([]);
    expect(result.confidence).toBe(0);
  });

  it('rejects bytes that are not an image as a permanent failure', async () => {
    const error = await reader.read(Buffer.from('not an image')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MediaAiError);
    expect((error as MediaAiError).code).toBe('MEDIA_AI_PHOTO_CORRUPT');
    expect((error as MediaAiError).retryable).toBe(false);
  });
});

describe('prepareForOcr', () => {
  it('applies EXIF orientation and caps the longest side', async () => {
    // Stored 1200x1800 with orientation 6: upright it is landscape.
    const prepared = await prepareForOcr(photo('exif_rotated_landscape_6.jpg'));
    expect(prepared.width).toBe(1600);
    expect(prepared.height).toBe(1067);
    const meta = await sharp(prepared.png).metadata();
    expect([meta.width, meta.height]).toEqual([1600, 1067]);
  });

  it('enlarges a small ID scan and flattens alpha onto white', async () => {
    const small = await prepareForOcr(photo('id_driver_license_specimen_wa.jpg'));
    expect(small.width).toBe(1000);
    const alpha = await prepareForOcr(photo('hard_alpha_phone_powerbank.png'));
    const meta = await sharp(alpha.png).metadata();
    expect(meta.hasAlpha).toBe(false);
    // The corner was fully transparent: it must come out white, not black.
    const { data } = await sharp(alpha.png).extract({ left: 0, top: 0, width: 1, height: 1 }).raw().toBuffer({ resolveWithObject: true });
    expect(data[0]).toBe(255);
  });
});

describe('rotatePrepared', () => {
  it('turns and shrinks, and its median removes JPEG-sized speckle but keeps a letter-sized stroke', async () => {
    // 40x20 white with a 1-px dark dot (artefact) and a 6-px dark bar (a stroke).
    const pixels = Buffer.alloc(40 * 20, 255);
    pixels[5 * 40 + 5] = 0;
    for (let y = 2; y < 18; y++) for (let x = 20; x < 26; x++) pixels[y * 40 + x] = 0;
    const png = await sharp(pixels, { raw: { width: 40, height: 20, channels: 1 } })
      .png()
      .toBuffer();
    const prepared = { png, width: 40, height: 20 };
    const turned = await rotatePrepared(prepared, 90, 30, 5);
    expect([turned.width, turned.height]).toEqual([15, 30]);
    const plain = await rotatePrepared(prepared, 90, Infinity, 0);
    const filtered = await rotatePrepared(prepared, 90, Infinity, 5);
    const dark = async (image: Buffer): Promise<number> => {
      const { data } = await sharp(image).grayscale().raw().toBuffer({ resolveWithObject: true });
      return data.filter((v) => v < 128).length;
    };
    expect(await dark(plain.png)).toBe(1 + 6 * 16);
    // The dot is gone; the bar keeps its middle (a 5x5 median only rounds its ends).
    expect(await dark(filtered.png)).toBeGreaterThanOrEqual(6 * 12);
    expect(await dark(filtered.png)).toBeLessThanOrEqual(6 * 16);
    const { data } = await sharp(filtered.png).grayscale().raw().toBuffer({ resolveWithObject: true });
    // Clockwise 90: upright (5, 5) lands at (20 - 1 - 5, 5) in the 20-wide turned image.
    expect(data[5 * 20 + 14]).toBeGreaterThan(200);
  });
});

/** A clean rendered line: one upright pass reads it, so pool tests stay fast. */
async function renderedLine(text: string): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="900" height="120"><rect width="100%" height="100%" fill="#fff"/><text x="30" y="80" font-family="DejaVu Sans, sans-serif" font-size="48">${text}</text></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

describe('TesseractTextReader pool', () => {
  it('refuses photos beyond its queue at once, as retryable', async () => {
    const small = new TesseractTextReader({ poolSize: 1, maxQueue: 1 });
    try {
      const image = await renderedLine('Lost and found');
      const results = await Promise.allSettled([small.read(image), small.read(image), small.read(image), small.read(image)]);
      // One reading, one waiting; the other two are refused before any work.
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'rejected']);
      for (const r of results.slice(2)) {
        const error = (r as PromiseRejectedResult).reason as MediaAiError;
        expect(error.code).toBe('MEDIA_AI_OCR_FAILED');
        expect(error.retryable).toBe(true);
      }
      expect((results[0] as PromiseFulfilledResult<{ text: string }>).value.text).toBe('Lost and found');
      expect(small.stats().inFlight).toBe(0);
    } finally {
      await small.stop();
    }
  });

  it('keeps reading while its worker is recycled every 2 jobs', async () => {
    const recycling = new TesseractTextReader({ poolSize: 1, recycleAfterJobs: 2 });
    try {
      for (const word of ['Umbrella', 'Backpack', 'Keyring', 'Wallet', 'Passport']) {
        // Long enough to score above rotateBelowScore: one pass, one job per photo.
        const line = `Blue ${word} found at the station`;
        expect((await recycling.read(await renderedLine(line))).text).toBe(line);
      }
    } finally {
      await recycling.stop();
    }
  });
});
