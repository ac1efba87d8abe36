// The OCR stage with the real tesseract reader on real photos (normalized as the fetcher does),
// an in-memory blob store and the real memory result cache. One reader for the whole file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MediaAiError, TOPICS, type TextsRecord } from '@media-ai/contracts';
import { TesseractTextReader, type OcrResult } from '@media-ai/ocr';
import { hashIdentifier } from '@media-ai/privacy';
import { MemoryResultCache } from '@media-ai/state';
import type { StageContext } from '@media-ai/stream';
import { createOcrStage, redactReading, type PhotoTextReader } from './stage.js';
import { MemoryBlobStore, labelImage, normalized, normalizedLikeFetcher, photoRecord } from './test-support/fixtures.js';

const ctx: StageContext = { signal: new AbortController().signal };
/** The identifier key the stage hashes with (MEDIA_AI_IDENTIFIER_KEY in production). */
const KEY = Buffer.alloc(32, 7);
const reader = new TesseractTextReader({ poolSize: 2 });

/** Counts reads so cache hits can be told from misses; still the real reader underneath. */
class CountingReader implements PhotoTextReader {
  reads = 0;
  async read(image: Buffer): Promise<OcrResult> {
    this.reads++;
    return reader.read(image);
  }
}

function stageWith(blobs = new MemoryBlobStore(), counting = new CountingReader(), cache = new MemoryResultCache(), identifierKey = KEY) {
  return {
    stage: createOcrStage({ reader: counting, blobs, cache, cacheTtlSeconds: 3600, concurrency: 2, ownsReader: false, identifierKey }),
    blobs,
    counting,
    cache,
  };
}

async function publish(file: string, postId: string, normalize = normalized): Promise<TextsRecord> {
  const { stage, blobs } = stageWith();
  const out = await stage.handle(await photoRecord(blobs, await normalize(file), postId), ctx);
  expect(out).toHaveLength(1);
  expect(out[0]!.topic).toBe(TOPICS.texts);
  expect(out[0]!.key).toBe(postId);
  return out[0]!.value as TextsRecord;
}

/** Everything a published record carries as text, so no field can leak what the text hides. */
function publishedText(record: TextsRecord): string {
  return [record.text, ...record.lines.map((l) => l.text)].join('\n');
}

beforeAll(() => reader.start());
afterAll(() => reader.stop());

describe('ocr stage contract', () => {
  it('is named ocr and reads media-ai.photos', () => {
    const { stage } = stageWith();
    expect(stage.name).toBe('ocr');
    expect(stage.inputs).toEqual([TOPICS.photos]);
    expect(stage.concurrency).toBe(2);
  });

  it('refuses a non-positive concurrency', () => {
    expect(() =>
      createOcrStage({
        reader,
        blobs: new MemoryBlobStore(),
        cache: new MemoryResultCache(),
        cacheTtlSeconds: 1,
        concurrency: 0,
        identifierKey: KEY,
      }),
    ).toThrow(RangeError);
  });

  it('refuses an identifier key too short to be one', () => {
    expect(() =>
      createOcrStage({
        reader,
        blobs: new MemoryBlobStore(),
        cache: new MemoryResultCache(),
        cacheTtlSeconds: 1,
        concurrency: 1,
        identifierKey: Buffer.alloc(4),
      }),
    ).toThrow(RangeError);
  });
});

describe('ocr stage on real photos', () => {
  it('publishes the text of a book page with versions, timing and boxes', async () => {
    const record = await publish('book_page_watson_studio.jpg', 'post-book');
    expect(record.status).toBe('ok');
    expect(record.error_code).toBeNull();
    expect(record.text).toContain('Quick Start with Watson Studio');
    expect(record.text).toContain('hosted notebook service');
    expect(record.lines.length).toBeGreaterThanOrEqual(6);
    expect(record.lines[0]!.box).not.toBeNull();
    expect(record.confidence).toBeGreaterThan(0.85);
    expect(record.model_versions['tesseract.js']).toBe('7.0.0');
    expect(record.model_versions.traineddata).toContain('@tesseract.js-data/eng');
    expect(record.duration_ms).toBeGreaterThan(0);
    expect(record.rotation).toBe(0);
    expect(record.redacted_kinds).toEqual([]);
    expect(record.sensitive_identifiers).toEqual([]);
    expect(record.identifiers).toEqual([]);
    expect(record.document).toBeNull();
    expect(record.photo_id).toBe('post-book-p1');
  });

  it('reads VARTA on the batteries by turning the photo', async () => {
    const record = await publish('batteries_varta.jpg', 'post-varta');
    expect(record.text).toContain('VARTA');
    expect([90, 270]).toContain(record.rotation);
  });

  // The deployment's settings (2048 px, JPEG quality 85): the block artefacts of that copy hid
  // VARTA until the sideways passes were median-filtered; the 24 MP photo is shrunk the most.
  it.each(['batteries_varta.jpg', 'hard_huge_batteries_varta.jpg'])('reads VARTA on %s as the fetcher stores it', async (file) => {
    const record = await publish(file, 'post-varta-fetcher', normalizedLikeFetcher);
    expect(record.text).toContain('VARTA');
    expect(record.text).toContain('HIGH ENERGY');
    expect([90, 270]).toContain(record.rotation);
  });

  it('publishes a serial number and an IMEI off a product label only as keyed hashes', async () => {
    const { stage, blobs } = stageWith();
    const label = await labelImage(['Model: KX-200 Wireless Speaker', 'S/N: C02XK1ABJGH5', 'IMEI 490154203237518', 'Made in Japan']);
    const [out] = await stage.handle(await photoRecord(blobs, label, 'post-label'), ctx);
    const record = out!.value as TextsRecord;
    expect(record.text).toContain('KX-200');
    expect(record.text).toContain('IMEI [IMEI]');
    // No field of the record, the hashes' neighbours included, carries a value.
    const json = JSON.stringify(record);
    expect(json).not.toMatch(/XK1ABJGH5/);
    expect(json).not.toContain('490154203237518');
    expect(json).not.toContain('4901542032');
    expect(record.sensitive_identifiers).toEqual([]);
    expect(record.identifiers).toContainEqual(hashIdentifier({ kind: 'imei', value: '490154203237518' }, KEY));
    // The serial's line reads below the publishing threshold (LSTM confidence ~42 on a code no
    // dictionary knows, and "C02" read as "CO02"): its hash is still published, from the context.
    const serial = record.identifiers.find((id) => id.kind === 'serial_number');
    expect(serial).toMatchObject({ last4: 'JGH5', hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(record.redacted_kinds).toEqual(expect.arrayContaining(['imei']));
  });

  it('redacts the licence number, name, birth date and address of a driver licence', async () => {
    const record = await publish('id_driver_license_specimen_wa.jpg', 'post-dl');
    const text = publishedText(record);
    expect(text).toContain('FEDERAL LIMITS APPLY'); // it did read the card
    for (const secret of ['TALBOT', 'LIAM', 'WDLABCD456DG', '01/06/1958', '1958', '99999-1234', 'STREET ADDRESS']) {
      expect(text).not.toContain(secret);
    }
    expect(record.redacted_kinds).toEqual(expect.arrayContaining(['address', 'name']));
    expect(record.document?.type).toBe('driving licence');
  });

  it('redacts the holder and number of a passport', async () => {
    const record = await publish('passport_specimen_canada.jpg', 'post-passport');
    const text = publishedText(record);
    expect(text).toMatch(/PASSE?PORT/); // it did read the page
    for (const secret of ['BROWN', 'HOLLIE', 'ZE000509', '8501019', 'P<CAN']) expect(text).not.toContain(secret);
    expect(record.redacted_kinds).toContain('name');
    expect(record.document).toMatchObject({ type: 'passport', confidence: expect.any(Number) });
    expect(JSON.stringify(record)).not.toMatch(/BROWN|HOLLIE|ZE000509/);
  });

  it('redacts the member name and ID of a health-insurance card on a table', async () => {
    const record = await publish('health_insurance_card_on_table.png', 'post-insurance');
    const text = publishedText(record);
    expect(text).toMatch(/HEALTH SAVINGS PLAN|Premera/); // it did read the card
    for (const secret of ['ANGEL', 'BROWN', '123456789']) expect(text).not.toContain(secret);
    expect(record.redacted_kinds).toEqual(expect.arrayContaining(['name', 'id_number']));
    expect(record.document?.type).toBe('health insurance card');
  });

  it('publishes no personal data from a business card', async () => {
    const record = await publish('business_card_on_wooden_desk.jpg', 'post-card');
    // It did read the card (levelled by the skew pass): the company and the redacted street show.
    expect(record.text).toContain('Contoso');
    expect(record.redacted_kinds).toContain('address');
    expect(record.rotation).not.toBe(0);
    expect(record.document?.type).toBe('business card');
    const text = publishedText(record).toLowerCase();
    for (const secret of ['avery', 'smith', '7911', '123456', '9876', '5432', '6789', 'kingdom', 'w2 6bd'])
      expect(text).not.toContain(secret);
  });

  it('publishes few or no lines for a photo without text', async () => {
    const record = await publish('person_with_dog.jpg', 'post-dog');
    expect(record.status).toBe('ok');
    expect(record.lines.length).toBeLessThanOrEqual(1);
  });
});

describe('ocr stage caching and failures', () => {
  it('serves the same image from the cache by sha256 without reading it again', async () => {
    const { stage, blobs, counting } = stageWith();
    const bytes = await labelImage(['Made in Japan']);
    const first = await stage.handle(await photoRecord(blobs, bytes, 'post-a'), ctx);
    const second = await stage.handle(await photoRecord(blobs, bytes, 'post-b'), ctx);
    expect(counting.reads).toBe(1);
    expect(blobs.gets).toBe(1);
    const a = first[0]!.value as TextsRecord;
    const b = second[0]!.value as TextsRecord;
    expect(b.post_id).toBe('post-b');
    expect(second[0]!.key).toBe('post-b');
    expect(b.text).toBe(a.text);
    expect(b.text).toContain('Made in Japan');
  });

  it('never caches unredacted text', async () => {
    const { stage, blobs, cache } = stageWith();
    const record = await photoRecord(blobs, await labelImage(['Owner: Dr. Jane Roe', 'Phone: +1 206 555 0100']), 'post-s');
    await stage.handle(record, ctx);
    const entries = (cache as unknown as { entries: Map<string, { value: { text: string; lines: Array<{ text: string }> } }> }).entries;
    expect(entries.size).toBe(1);
    const stored = JSON.stringify([...entries.values()].map((e) => [e.value.text, e.value.lines.map((l) => l.text)]));
    expect(stored).toContain('[NAME]');
    expect(stored).toContain('[PHONE]');
    expect(stored).not.toMatch(/Jane|Roe|555/);
  });

  it('does not serve a record with faces the answer cached for the same image without them', async () => {
    const cache = new MemoryResultCache();
    const blobs = new MemoryBlobStore();
    const counting = new CountingReader();
    const { stage } = stageWith(blobs, counting, cache);
    const bytes = await labelImage(['FITNESS CLUB AURORA', 'Lukas Novak', 'Premium']);
    const plain = await photoRecord(blobs, bytes, 'post-f1');
    const a = (await stage.handle({ ...plain, value: { ...plain.value, faces: null } }, ctx))[0]!.value as TextsRecord;
    expect(a.text).toContain('Lukas Novak');
    // The fetcher found a card-sized face right of the lines (the label image's text starts at the left),
    // close enough that the lines are the card's fields (within two face-widths of it).
    const portrait = { confidence: 0.9, box: { x: 0.72, y: 0.1, width: 0.25, height: 0.4 } };
    const b = (await stage.handle({ ...plain, value: { ...plain.value, faces: [portrait] } }, ctx))[0]!.value as TextsRecord;
    expect(counting.reads).toBe(2);
    expect(b.text).not.toContain('Lukas Novak');
    expect(b.text).toContain('FITNESS CLUB AURORA');
    // The same faces again: served from the cache.
    await stage.handle({ ...plain, value: { ...plain.value, faces: [portrait] } }, ctx);
    expect(counting.reads).toBe(2);
  });

  it('never caches an identifier value, and never serves hashes made under another key', async () => {
    const cache = new MemoryResultCache();
    const blobs = new MemoryBlobStore();
    const counting = new CountingReader();
    const bytes = await labelImage(['IMEI 490154203237518']);
    const first = stageWith(blobs, counting, cache);
    const a = (await first.stage.handle(await photoRecord(blobs, bytes, 'post-k1'), ctx))[0]!.value as TextsRecord;
    const entries = (cache as unknown as { entries: Map<string, { value: unknown }> }).entries;
    expect(JSON.stringify([...entries.values()])).not.toContain('490154203237518');

    const rotated = stageWith(blobs, counting, cache, Buffer.alloc(32, 8));
    const b = (await rotated.stage.handle(await photoRecord(blobs, bytes, 'post-k2'), ctx))[0]!.value as TextsRecord;
    expect(counting.reads).toBe(2);
    expect(a.identifiers).toEqual([hashIdentifier({ kind: 'imei', value: '490154203237518' }, KEY)]);
    expect(b.identifiers).toEqual([hashIdentifier({ kind: 'imei', value: '490154203237518' }, Buffer.alloc(32, 8))]);
  });

  it('fails retryably when the blob is missing', async () => {
    const { stage } = stageWith();
    const other = new MemoryBlobStore();
    const record = await photoRecord(other, await labelImage(['x']), 'post-missing');
    const error = await stage.handle(record, ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MediaAiError);
    expect((error as MediaAiError).code).toBe('MEDIA_AI_BLOB_MISSING');
    expect((error as MediaAiError).retryable).toBe(true);
  });

  it('fails permanently on bytes that are not an image', async () => {
    const { stage, blobs } = stageWith();
    const record = await photoRecord(blobs, await labelImage(['x']), 'post-corrupt');
    await blobs.put(record.value.blob_key, Buffer.from('garbage'));
    const error = await stage.handle(record, ctx).catch((e: unknown) => e);
    expect((error as MediaAiError).code).toBe('MEDIA_AI_PHOTO_CORRUPT');
    expect((error as MediaAiError).retryable).toBe(false);
  });

  it('gives up with a failed record so the aggregator does not wait', async () => {
    const { stage, blobs } = stageWith();
    const record = await photoRecord(blobs, await labelImage(['x']), 'post-given-up');
    const out = stage.onGiveUp!(record, new MediaAiError('MEDIA_AI_PHOTO_CORRUPT'));
    expect(out).toHaveLength(1);
    expect(out[0]!.topic).toBe(TOPICS.texts);
    expect(out[0]!.key).toBe('post-given-up');
    const value = out[0]!.value as TextsRecord;
    expect(value).toMatchObject({ status: 'failed', error_code: 'MEDIA_AI_PHOTO_CORRUPT', lines: [], text: '', sensitive_identifiers: [] });
    expect(value.model_versions['tesseract.js']).toBe('7.0.0');
  });

  it('gives up on an unexpected error as MEDIA_AI_INTERNAL without quoting it', async () => {
    const { stage, blobs } = stageWith();
    const record = await photoRecord(blobs, await labelImage(['x']), 'post-internal');
    const value = stage.onGiveUp!(record, new Error('boom: Name: John Smith'))[0]!.value as TextsRecord;
    expect(value.error_code).toBe('MEDIA_AI_INTERNAL');
    expect(value.error_message).not.toContain('John Smith');
  });
});

describe('redactReading (plain readings)', () => {
  const line = (text: string) => ({ text, confidence: 0.9, box: { x: 0.1, y: 0.1, width: 0.5, height: 0.05 }, words: [] });
  const reading = (lines: string[], contextText: string): OcrResult => ({
    text: lines.join('\n'),
    lines: lines.map(line),
    contextText,
    confidence: 0.9,
    rotation: 0,
    durationMs: 1,
    width: 800,
    height: 600,
  });

  it('masks a value whose label only the unpublished context read, wherever it is published', () => {
    const texts = redactReading(reading(['C02XK0ABJGH5', 'Designed by Apple'], 'S/N C02XK0ABJGH5\nDesigned by Apple'), KEY);
    expect(texts.lines.map((l) => l.text)).toEqual(['[SERIAL]', 'Designed by Apple']);
    expect(texts.text).toBe('[SERIAL]\nDesigned by Apple');
    expect(texts.identifiers).toEqual([hashIdentifier({ kind: 'serial_number', value: 'C02XK0ABJGH5' }, KEY)]);
    expect(JSON.stringify(texts)).not.toContain('C02XK0ABJGH5');
  });

  it('fails closed on a text beside a portrait the fetcher found, and not beside a person photographed', () => {
    // A library card: the portrait left, the fields right of it (boxes relative to the photo).
    // No date on it: a date beside a name of uncommon words fails closed on the text alone (privacy-rules-8).
    const card = reading(['STADTBIBLIOTHEK LINZ', 'Leseausweis', 'Johanna Bergmann', 'Zweigstelle Urfahr'], '');
    card.lines.forEach((l, i) => (l.box = { x: 0.4, y: 0.2 + i * 0.1, width: 0.4, height: 0.05 }));
    expect(redactReading(reading(['STADTBIBLIOTHEK LINZ', 'Johanna Bergmann', 'gültig bis 12/2026'], ''), KEY).text).not.toMatch(
      /Johanna|Bergmann|12\/2026/,
    );
    const portrait = { confidence: 0.9, box: { x: 0.1, y: 0.3, width: 0.16, height: 0.3 } };
    expect(redactReading(card, KEY).text).toContain('Johanna Bergmann');
    expect(redactReading(card, KEY, { faces: [] }).text).toContain('Johanna Bergmann');
    const closed = redactReading(card, KEY, { faces: [portrait] }).text;
    expect(closed).not.toMatch(/Johanna|Bergmann|12\/2026/);
    expect(closed).toContain('STADTBIBLIOTHEK LINZ');
    // A face that fills the frame is someone photographed, not a card's portrait.
    const person = { confidence: 0.9, box: { x: 0.05, y: 0.1, width: 0.3, height: 0.7 } };
    expect(redactReading(card, KEY, { faces: [person] }).text).toContain('Johanna Bergmann');
  });

  it('publishes each identifier once, by its hash, and the document the text is', () => {
    const card = reading(['VISA', '4111 1111 1111 1111', 'VALID THRU 08/27', 'CARDHOLDER NAME'], '');
    const texts = redactReading(card, KEY);
    expect(texts.identifiers).toEqual([hashIdentifier({ kind: 'card_number', value: '4111111111111111' }, KEY)]);
    expect(texts.document).toMatchObject({ type: 'payment card' });
    expect(texts.sensitive_identifiers).toEqual([]);
    expect(JSON.stringify(texts)).not.toMatch(/4111 ?1111/);
  });
});
