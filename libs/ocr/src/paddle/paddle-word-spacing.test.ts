// Word re-spacing on real photos where the recogniser glues words today: every assertion below
// is a word the raw reading has glued (checked against the reader with wordSpacing off).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OcrResult } from '../ocr-text-reader.js';
import { PaddleTextReader } from './paddle-text-reader.js';
import { DEFAULT_RECOGNISE } from './recognise-page.js';

const PHOTOS = join(import.meta.dirname, '../../../../../shared/photos');
const photo = (file: string): Buffer => readFileSync(join(PHOTOS, file));

const spaced = new PaddleTextReader();
const raw = new PaddleTextReader({ wordSpacing: false });
// The book page's title reads glued only in PaddleOCR's plain recogniser batches (six by ratio, whatever
// the padding); the reader's own batches (REC_WIDTH_SPREAD) read "Start with" apart. The re-spacing is
// tested on the glued reading, so that photo is read with plain batches too.
const plain = { recognise: { ...DEFAULT_RECOGNISE, recWidthSpread: Number.POSITIVE_INFINITY } };
const spacedPlain = new PaddleTextReader(plain);
const rawPlain = new PaddleTextReader({ ...plain, wordSpacing: false });
const readers = [spaced, raw, spacedPlain, rawPlain];
beforeAll(() => Promise.all(readers.map((r) => r.start())));
afterAll(() => Promise.all(readers.map((r) => r.stop())));

async function both(file: string, batches: 'own' | 'plain' = 'own'): Promise<{ before: OcrResult; after: OcrResult }> {
  const image = photo(file);
  const before = await (batches === 'own' ? raw : rawPlain).read(image);
  const after = await (batches === 'own' ? spaced : spacedPlain).read(image);
  // Same lines, same characters, same order: only spaces were added.
  expect(after.lines.map((l) => l.text.replace(/ /g, ''))).toEqual(before.lines.map((l) => l.text.replace(/ /g, '')));
  for (const line of after.lines) expect(line.words.map((w) => w.text).join(' ')).toBe(line.text);
  return { before, after };
}

describe('PaddleTextReader word re-spacing on ../shared/photos', () => {
  it('the driver licence: glued capitals split, the document number whole', async () => {
    const { before, after } = await both('id_driver_license_specimen_wa.jpg');
    expect(before.text).toContain('DRIVERLICENSE');
    for (const line of ['DRIVER LICENSE', 'FEDERAL LIMITS APPLY', '8123 STREET ADDRESS', 'YOUR CITY WA 99999-1234', '12 RESTRICTIONS'])
      expect(after.lines.map((l) => l.text)).toContain(line);
    expect(after.text).toContain('WDLABCD456DG1234567XX1101');
  });

  it('the passport: bilingual labels and city split, the MRZ and a French word whole', async () => {
    const { before, after } = await both('passport_specimen_canada.jpg');
    expect(before.text).toContain('OTTAWACAN');
    expect(after.lines.map((l) => l.text)).toContain('OTTAWA CAN');
    expect(after.text).toMatch(/ of birth\/Date de/);
    expect(after.text).toContain('14 JAN/JAN');
    expect(after.lines.map((l) => l.text)).toContain('PASSEPORT');
    expect(after.text).toContain('ZE000509<9CAN8501019F2301147<<<<<<<<<<<<<<08');
  });

  it('the business card: the name after its title, the address after its commas, contacts untouched', async () => {
    const { before, after } = await both('business_card_on_wooden_desk.jpg');
    expect(before.text).toContain('Dr.Avery');
    expect(after.lines.map((l) => l.text)).toContain('Dr. Avery Smith');
    expect(after.text).toMatch(/^Paddington, /m);
    expect(after.text).toContain('avery.smith@contoso.com');
    expect(after.text).toContain('https://www.contoso.com/');
  });

  it('the book page: a glued pair of words split, every other word as printed', async () => {
    const { before, after } = await both('book_page_watson_studio.jpg', 'plain');
    expect(before.text).toContain('Startwith');
    expect(after.lines[0]!.text).toBe('Quick Start with Watson Studio');
    expect(after.lines.slice(1).map((l) => l.text)).toEqual(before.lines.slice(1).map((l) => l.text));
    // The reader's own batches read the title apart in the first place.
    expect((await raw.read(photo('book_page_watson_studio.jpg'))).lines[0]!.text).toBe('Quick Start with Watson Studio');
  });
});
