// The threaded reader answers exactly what the in-process reader answers for the same photos
// (each thread builds that reader, with single-threaded sessions), reads photos on distinct
// threads at once, with the tesseract re-reads served by the main thread's one pool, and keeps an
// error's code across the thread boundary.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MediaAiError } from '@media-ai/contracts';
import { createTextReader } from '../create-text-reader.js';
import type { OcrResult, OcrTextReader } from '../ocr-text-reader.js';
import { threadExecArgv, ThreadedTextReader } from './threaded-text-reader.js';

const PHOTOS = join(import.meta.dirname, '../../../../../shared/photos');
const FILES = ['phone_lockscreen_in_hand.jpg', 'batteries_varta.jpg', 'id_driver_license_specimen_wa.jpg'];
const images = FILES.map((file) => readFileSync(join(PHOTOS, file)));

function serialized(result: OcrResult): string {
  const { durationMs: _timing, ...reading } = result;
  return JSON.stringify(reading);
}

describe('ThreadedTextReader', () => {
  let threaded: OcrTextReader;
  let inProcess: OcrTextReader;

  beforeAll(async () => {
    threaded = createTextReader({ engine: 'hybrid', workers: 2, threads: 2 });
    inProcess = createTextReader({ engine: 'hybrid', workers: 2 });
    await Promise.all([threaded.start(), inProcess.start()]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([threaded?.stop(), inProcess?.stop()]);
  });

  it('is what createTextReader builds for threads > 0, sized to them, with the engine versions', () => {
    expect(threaded).toBeInstanceOf(ThreadedTextReader);
    expect(threaded.stats().size).toBe(2);
    expect(threaded.modelVersions).toEqual(inProcess.modelVersions);
  });

  it('reads every photo exactly as the in-process reader does, photos read at once', async () => {
    const expected: string[] = [];
    for (const image of images) expected.push(serialized(await inProcess.read(image)));
    const reads = images.map((image) => threaded.read(image));
    expect(threaded.stats().inFlight).toBe(images.length);
    const got = (await Promise.all(reads)).map(serialized);
    expect(got).toEqual(expected);
    expect(got.some((g) => JSON.parse(g).lines.length > 0)).toBe(true);
    // Re-spaced by tesseract re-reads, which the threads ask of the main thread's one pool.
    expect(got.join('\n')).toContain('DRIVER LICENSE');
  }, 180_000);

  it('keeps a re-read timeout MEDIA_AI_TIMEOUT (retryable) across the threads', async () => {
    const hurried = createTextReader({ engine: 'hybrid', workers: 1, threads: 1, hybrid: { rereadTimeoutMs: 1 } });
    try {
      await hurried.start();
      const outcome = await hurried.read(images[2]!).catch((error: unknown) => error);
      expect(outcome).toBeInstanceOf(MediaAiError);
      expect((outcome as MediaAiError).code).toBe('MEDIA_AI_TIMEOUT');
      expect((outcome as MediaAiError).retryable).toBe(true);
    } finally {
      await hurried.stop();
    }
  }, 120_000);

  it('keeps the error code of a photo it cannot decode', async () => {
    const error = await threaded.read(Buffer.from('not an image')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MediaAiError);
    expect((error as MediaAiError).code).toBe('MEDIA_AI_PHOTO_CORRUPT');
  }, 60_000);
});

describe('threadExecArgv', () => {
  it("passes on the loaders and conditions, never V8's flags, and a worker starts with what it passes", async () => {
    const argv = threadExecArgv(
      ['--max-semi-space-size=4', '--import', 'tsx', '--expose-gc', '--conditions=development', '--enable-source-maps', '-r', 'x'],
      false,
    );
    expect(argv).toEqual(['--import', 'tsx', '--conditions=development', '--enable-source-maps', '-r', 'x']);
    // A worker refuses V8's flags (ERR_WORKER_INVALID_EXEC_ARGV): with the process's own, it could not start.
    const flags = threadExecArgv(['--max-semi-space-size=4', '--stack-size=900', '--enable-source-maps'], false);
    expect(() => new Worker('0', { eval: true, execArgv: ['--max-semi-space-size=4'] })).toThrow(/execArgv/);
    const worker = new Worker('0', { eval: true, execArgv: flags });
    expect(await new Promise((resolve) => worker.once('exit', resolve))).toBe(0);
  });
});
