/**
 * The body of one ThreadedTextReader thread (a piscina worker): one reader built from the options
 * the pool was given (workerData), started once, reading one photo at a time. Errors travel back as
 * plain data so their code (and whether a retry can help) survives the thread boundary. It must
 * never read configuration or hold more than one photo at a time.
 */
import { workerData } from 'node:worker_threads';
import { MediaAiError } from '@media-ai/contracts';
import { createTextReader, type CreateTextReaderOptions } from '../create-text-reader.js';
import type { OcrResult } from '../ocr-text-reader.js';

export type WorkerAnswer =
  { ok: true; result: OcrResult } | { ok: false; code: MediaAiError['code'] | null; message: string; details: MediaAiError['details'] };

const reader = createTextReader(workerData as CreateTextReaderOptions);
const started = reader.start();
// A failed start is answered to every task (below); it must not kill the thread unhandled.
started.catch(() => undefined);

/** A task is either a photo to read or null: wait until the reader has started (readiness). */
export default async function handle(image: Uint8Array | null): Promise<WorkerAnswer | null> {
  try {
    await started;
    if (image === null) return null;
    return { ok: true, result: await reader.read(Buffer.from(image.buffer, image.byteOffset, image.byteLength)) };
  } catch (error) {
    if (error instanceof MediaAiError) return { ok: false, code: error.code, message: error.message, details: error.details };
    return { ok: false, code: null, message: error instanceof Error ? error.message : String(error), details: {} };
  }
}
