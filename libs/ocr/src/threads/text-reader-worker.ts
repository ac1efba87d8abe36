/**
 * The body of one ThreadedTextReader thread (a piscina worker): one reader built from the options
 * the pool was given (workerData), started once, reading one photo at a time. With
 * `sharedTesseract`, the hybrid reader's tesseract re-reads go back to the main thread's pool over
 * the port that comes with each photo (threads/line-port.ts). Errors travel back as plain data so
 * their code (and whether a retry can help) survives the thread boundary. The re-spacing reads the
 * main thread's word lexicon (workerData.lexicon), never a copy of its own. It must never read
 * configuration or hold more than one photo at a time.
 */
import type { MessagePort } from 'node:worker_threads';
import { workerData } from 'node:worker_threads';
import { createTextReader } from '../create-text-reader.js';
import type { OcrResult } from '../ocr-text-reader.js';
import { adoptWordLexicon } from '../spacing/word-lexicon.js';
import { askLine, toWireError, type ThreadReaderOptions, type WireError } from './line-port.js';

export type WorkerAnswer = { ok: true; result: OcrResult } | ({ ok: false } & WireError);

/** A photo and, when the re-reads are shared, the port to ask them on (null: readiness probe). */
export type WorkerTask = { image: Uint8Array; lines: MessagePort | null } | null;

const options = workerData as ThreadReaderOptions;
// The main thread's lexicon, before the reader's start would load a copy into this isolate.
if (options.lexicon) adoptWordLexicon(options.lexicon);
/** The port of the photo being read (one at a time per thread). */
let lines: MessagePort | null = null;
const reader = createTextReader(
  options.sharedTesseract ? { ...options, hybrid: { ...options.hybrid, readLine: (png) => askLine(lines, png) } } : options,
);
const started = reader.start();
// A failed start is answered to every task (below); it must not kill the thread unhandled.
started.catch(() => undefined);

/** A task is either a photo to read or null: wait until the reader has started (readiness). */
export default async function handle(task: WorkerTask): Promise<WorkerAnswer | null> {
  try {
    await started;
    if (task === null) return null;
    lines = task.lines;
    return { ok: true, result: await reader.read(Buffer.from(task.image.buffer, task.image.byteOffset, task.image.byteLength)) };
  } catch (error) {
    return { ok: false, ...toWireError(error) };
  } finally {
    task?.lines?.close();
    lines = null;
  }
}
