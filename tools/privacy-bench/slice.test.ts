// A small fixed slice of the privacy benchmark in `npm test`: one image of each document kind and a
// negative from the tune split, two from the holdout split, read by the real OCR (no reading
// cache) and redacted by the real ocr stage. Floors are today's measured figures, so redaction can
// only get better; the integrator tightens them when a new redactor lands. The OCR floor keeps the
// test from passing by reading nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { loadConfig } from '@media-ai/config';
import { DEFAULT_SEED, generateImages } from './generate.js';
import { createOcrHarness, documentTypeOf, publishedByStage, type OcrHarness } from './ocr-harness.js';
import { totals, type ScoredImage } from './report.js';
import { scoreImage } from './score.js';

const PHOTOS = new URL('../../../shared/photos', import.meta.url).pathname;
/** Indices 0-11 are the tune split's first cycle (11 kinds and `none`); 36 and 47 are holdout. */
const SLICE = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 36, 47];

/**
 * Measured on 2026-12-05 (generator g2) with the ocr stage's redactReading on @media-ai/privacy
 * (PRIVACY_RULES_VERSION privacy-rules-2, after tuning on the tune split) on re-spaced OCR output
 * (OCR_RESULT_VERSION r5), hybrid engine: 74 personal strings, 0 leaked; 322 non-personal words, 313
 * read, 6 over-redacted (5 of them on the holdout passport). Twelve of the fourteen images are from
 * the split the rules were tuned on, so this slice guards against regressions; it does not measure
 * how the rules generalise (`npm run eval:privacy -- --split holdout` does). Before: libs/ocr's
 * redactor leaked 29 and over-redacted 14; privacy-rules-1, 8 and 27. The OCR floor sits a little
 * under today's 313 (another CPU may read a word differently); the redaction floors are today's
 * counts exactly.
 *
 * Generator g3 (layout variation in the tune split) redrew the twelve tune images of the slice;
 * measured again 2026-12-05 with privacy-rules-3: 74 personal strings, 0 leaked; 313 read, 9
 * over-redacted. The over-redaction floor rises from 6 to 9 for the new layouts, not the rules:
 * main's privacy-rules-2 over-redacts the same words on the same readings (the inline authority
 * "Stadt Süd Emilianscheid" of 0000, "conduire" of 0002, "Narodowy" of 0005).
 *
 * Generator g4 (three more tune locales: sv, cs_CZ, hu) redrew the twelve tune images again; the
 * holdout two are unchanged. Measured 2026-12-05 with privacy-rules-4 on the cached readings of the
 * same OCR (r5): 76 personal strings, 0 leaked; 318 non-personal words, 305 read, 16 over-redacted.
 * The over-redaction floor rises from 9 to 16 for the new images, not the rules: main's
 * privacy-rules-3 over-redacts 21 on the same readings (the Hungarian bank and Swedish insurer's
 * names, "Takarekbank" of 0004 and "Forsakringskassan" of 0005, are words no vocabulary here holds).
 *
 * privacy-rules-5 (fail closed on texts that look personal) measured 2026-12-05 on the same slice:
 * 76 personal strings, 0 leaked; 305 read, 16 over-redacted: the floors stand.
 */
const FLOORS = {
  pii_strings: 76,
  max_leaked: 0,
  max_over_redacted: 16,
  min_words_read: 300,
};

let harness: OcrHarness;
beforeAll(async () => {
  harness = await createOcrHarness(loadConfig({ LOG_LEVEL: 'WARNING' }), { readingCacheDir: null });
});
afterAll(() => harness?.stop());

describe('privacy benchmark slice', () => {
  it('leaks and over-redacts no more than today', async () => {
    const images = await generateImages({ seed: DEFAULT_SEED, indices: SLICE, photosDir: PHOTOS });
    const scored: ScoredImage[] = [];
    for (const { truth, path } of images) {
      const outcome = await harness.run(truth.id, await readFile(path));
      scored.push({
        truth,
        score: scoreImage(truth, outcome.raw, publishedByStage(outcome.record)),
        documentType: documentTypeOf(outcome.record),
        facesBlurred: null,
      });
    }
    const t = totals(scored);
    console.log(
      `slice: pii_strings=${t.pii_strings} leaked=${t.leaked} words=${t.words} read=${t.words_read} over_redacted=${t.over_redacted} ` +
        scored
          .map(
            (s) =>
              `${s.truth.id}:${s.score.personal.filter((p) => p.leaked).length}/${s.score.words.filter((w) => w.read && !w.published).length}`,
          )
          .join(' '),
    );
    expect(new Set(scored.map((s) => s.truth.kind)).size).toBe(12);
    expect(t.pii_strings).toBe(FLOORS.pii_strings);
    expect(t.words_read).toBeGreaterThanOrEqual(FLOORS.min_words_read);
    expect(t.leaked).toBeLessThanOrEqual(FLOORS.max_leaked);
    expect(t.over_redacted).toBeLessThanOrEqual(FLOORS.max_over_redacted);
  });
});
