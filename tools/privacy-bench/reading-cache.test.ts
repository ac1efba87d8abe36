// The reading cache of the privacy bench: a held-out set read cold once is scored again from its
// readings (eval-privacy --readings VERSION) and must never be read again, so a harness given a
// reading version answers from that version's readings only, and a photo with none is an error.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '@media-ai/config';
import { DEFAULT_SEED, generateImages } from './generate.js';
import { createOcrHarness } from './ocr-harness.js';

const PHOTOS = new URL('../../../shared/photos', import.meta.url).pathname;
const config = loadConfig({ LOG_LEVEL: 'WARNING' });
let cacheDir = '';
afterAll(() => (cacheDir ? rm(cacheDir, { recursive: true, force: true }) : undefined));

describe('reading cache of an earlier OCR version', () => {
  it('scores a cached reading without reading, and refuses a photo it has no reading of', async () => {
    cacheDir = await mkdtemp(path.join(tmpdir(), 'privacy-bench-readings-'));
    // Index 11 is the tune split's negative (a page of text or a label): one real reading.
    const [image, other] = await generateImages({ seed: DEFAULT_SEED, indices: [11, 10], photosDir: PHOTOS });
    const jpeg = await readFile(image!.path);

    const reading = await createOcrHarness(config, { readingCacheDir: cacheDir });
    const first = await reading.run(image!.truth.id, jpeg).finally(() => reading.stop());
    expect(first.fromCache).toBe(false);
    const [version] = await readdir(cacheDir);

    const scoring = await createOcrHarness(config, { readingCacheDir: cacheDir, readingVersion: version });
    try {
      const again = await scoring.run(image!.truth.id, jpeg);
      expect(again.fromCache).toBe(true);
      expect(again.raw).toEqual(first.raw);
      expect(again.record.lines).toEqual(first.record.lines);
      await expect(scoring.run(other!.truth.id, await readFile(other!.path))).rejects.toThrow(/no reading of/);
    } finally {
      await scoring.stop();
    }
  });
});
