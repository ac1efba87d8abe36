// The hybrid reader on a real ID card specimen: Paddle glues its capitals, tesseract lends spaces.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTextReader } from '../create-text-reader.js';
import { HybridTextReader } from './hybrid-text-reader.js';
import { PaddleTextReader } from './paddle-text-reader.js';

const PHOTOS = join(import.meta.dirname, '../../../../../shared/photos');
const photo = (file: string): Buffer => readFileSync(join(PHOTOS, file));

const hybrid = new HybridTextReader();
// Without word re-spacing: what the recogniser itself reads.
const paddle = new PaddleTextReader({ wordSpacing: false });
beforeAll(() => Promise.all([hybrid.start(), paddle.start()]));
afterAll(() => Promise.all([hybrid.stop(), paddle.stop()]));

describe('HybridTextReader', () => {
  it('gives glued capital lines their spaces back and keeps codes whole', async () => {
    const image = photo('id_driver_license_specimen_wa.jpg');
    const plain = await paddle.read(image);
    expect(plain.text).toContain('DRIVERLICENSE');
    const result = await hybrid.read(image);
    expect(result.text).toContain('DRIVER LICENSE');
    expect(result.text).toContain('FEDERAL LIMITS APPLY');
    expect(result.text).toContain('STREET ADDRESS');
    // The document number (letters and digits) is not split.
    expect(result.text).toContain('WDLABCD456DG1234567XX1101');
    // Same lines, same characters: only spaces were added.
    expect(result.lines.map((l) => l.text.replace(/ /g, ''))).toEqual(plain.lines.map((l) => l.text.replace(/ /g, '')));
    const licence = result.lines.find((l) => l.text === 'DRIVER LICENSE')!;
    expect(licence.words.map((w) => w.text)).toEqual(['DRIVER', 'LICENSE']);
    expect(licence.words[0]!.box.x).toBeLessThan(licence.words[1]!.box.x);
    // Tesseract lent spaces to a line the word re-spacing leaves glued; the lines it parts by itself are not re-read.
    expect(hybrid.rereads.respaced).toBeGreaterThanOrEqual(1);
    expect(hybrid.rereads.settled).toBeGreaterThanOrEqual(1);
  });

  it('names both engines in its versions', () => {
    expect(hybrid.engine).toBe('hybrid');
    expect(Object.keys(hybrid.modelVersions).sort()).toEqual(['onnxruntime-node', 'pp-ocrv4', 'tesseract.js', 'traineddata']);
  });
});

describe('createTextReader', () => {
  it('builds the engine asked for, sized to the cores', async () => {
    const readers = (['paddle', 'tesseract', 'hybrid'] as const).map((engine) => createTextReader({ engine, workers: 4 }));
    try {
      expect(readers.map((r) => r.engine)).toEqual(['paddle', 'tesseract', 'hybrid']);
      expect(readers.map((r) => r.stats().size)).toEqual([2, 4, 2]);
      expect(readers[1]!.modelVersions['tesseract.js']).toBe('7.0.0');
    } finally {
      await Promise.all(readers.map((r) => r.stop()));
    }
  });
});
