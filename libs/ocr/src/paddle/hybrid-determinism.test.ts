// The same photo must give the same reading: five times alone and five times under a CPU load this
// test creates, byte for byte, with the reader the ocr stage builds (OCR_ENGINE=hybrid, the default).
// A time limit may fail a reading loudly (retryable), never change it.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MediaAiError } from '@media-ai/contracts';
import { createTextReader } from '../create-text-reader.js';
import type { OcrResult, OcrTextReader } from '../ocr-text-reader.js';
import { startCpuLoad } from '../test-support/cpu-load.js';
import { HybridTextReader } from './hybrid-text-reader.js';

const PHOTOS = join(import.meta.dirname, '../../../../../shared/photos');
/** Small photos with text; the last three have glued capitals that tesseract re-reads. */
const FILES = ['phone_lockscreen_in_hand.jpg', 'batteries_varta.jpg', 'id_driver_license_specimen_wa.jpg', 'passport_specimen_canada.jpg'];
const ROUNDS = 5;
const images = new Map(FILES.map((file) => [file, readFileSync(join(PHOTOS, file))]));

/** Everything the reader answers except its own timing: what the stage redacts and publishes. */
function serialized(result: OcrResult): string {
  const { durationMs: _timing, ...reading } = result;
  return JSON.stringify(reading);
}

/** One round: every photo submitted at once, as the stage's runner does with several records in hand. */
async function readAll(reader: OcrTextReader, files: readonly string[] = FILES): Promise<Map<string, string | MediaAiError>> {
  const outcomes = await Promise.all(
    files.map(async (file): Promise<[string, string | MediaAiError]> => {
      try {
        return [file, serialized(await reader.read(images.get(file)!))];
      } catch (error) {
        if (error instanceof MediaAiError) return [file, error];
        throw error;
      }
    }),
  );
  return new Map(outcomes);
}

async function underLoad<T>(work: () => Promise<T>): Promise<T> {
  // Twice as many spinning threads as cores: every core is contended for the whole read.
  const load = startCpuLoad(availableParallelism() * 2);
  try {
    return await work();
  } finally {
    await load.stop();
  }
}

const reader = createTextReader({ engine: 'hybrid', workers: availableParallelism() });
const reference = new Map<string, string>();

beforeAll(async () => {
  await reader.start();
  for (const [file, outcome] of await readAll(reader)) {
    if (outcome instanceof Error) throw outcome;
    reference.set(file, outcome);
  }
}, 600_000);
afterAll(() => reader.stop());

describe('hybrid reading determinism', () => {
  it('reads the photos with their glued capitals re-spaced (the re-reads this test is about)', () => {
    expect(reference.get('batteries_varta.jpg')).toContain('HIGH ENERGY');
    expect(reference.get('id_driver_license_specimen_wa.jpg')).toContain('DRIVER LICENSE');
  });

  it('gives identical readings five times alone', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      expect(Object.fromEntries(await readAll(reader))).toEqual(Object.fromEntries(reference));
    }
  }, 900_000);

  it('gives identical readings five times under CPU load', async () => {
    await underLoad(async () => {
      for (let round = 0; round < ROUNDS; round++) {
        expect(Object.fromEntries(await readAll(reader))).toEqual(Object.fromEntries(reference));
      }
    });
  }, 900_000);

  it('fails a reading loudly when a re-read outruns its limit, never publishes it glued', async () => {
    const hurried = new HybridTextReader({ rereadTimeoutMs: 1 });
    try {
      await hurried.start();
      const outcome = await hurried.read(images.get('id_driver_license_specimen_wa.jpg')!).catch((error: unknown) => error);
      expect(outcome).toBeInstanceOf(MediaAiError);
      expect((outcome as MediaAiError).code).toBe('MEDIA_AI_TIMEOUT');
      expect((outcome as MediaAiError).retryable).toBe(true);
    } finally {
      await hurried.stop();
    }
  }, 900_000);
});
