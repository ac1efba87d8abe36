/**
 * Engine selection: builds the text reader a deployment asked for (OCR_ENGINE, read in
 * libs/config). All three readers have the same surface. It must never read configuration itself
 * nor start anything: the caller starts the reader when it is ready to serve.
 */
import type { OcrEngine, OcrTextReader } from './ocr-text-reader.js';
import { HybridTextReader, type HybridTextReaderOptions } from './paddle/hybrid-text-reader.js';
import { PaddleTextReader, type PaddleTextReaderOptions } from './paddle/paddle-text-reader.js';
import { TesseractTextReader, type TesseractTextReaderOptions } from './tesseract-text-reader.js';
import { ThreadedTextReader } from './threads/threaded-text-reader.js';

export interface CreateTextReaderOptions {
  engine: OcrEngine;
  /**
   * Cores the reader may use (OCR_WORKERS). Tesseract: one worker each. Paddle: one photo per
   * 2 cores (each detector run uses 2 threads), the rest of the photos queue.
   */
  workers?: number;
  tesseract?: TesseractTextReaderOptions;
  paddle?: PaddleTextReaderOptions;
  hybrid?: HybridTextReaderOptions;
  /**
   * Paddle and hybrid: read this many photos at once, each on its own worker thread with
   * single-threaded sessions (threads/threaded-text-reader.ts says why); 0 or absent: in this
   * thread, `workers` sizing the sessions. Tesseract has its own worker threads and ignores it.
   */
  threads?: number;
}

export function createTextReader(options: CreateTextReaderOptions): OcrTextReader {
  const threads = options.threads ?? 0;
  if (threads > 0 && options.engine !== 'tesseract') {
    // Each thread reads one photo with single-threaded sessions: N threads, N cores, no oversubscription.
    // No ORT arena in the recogniser of several threads: each thread's arena kept its largest batch for
    // good (bench, OCR_THREADS=true, 26 photos, load 8-11: pipeline peak RSS 1521 -> 1425 MB, CPU per
    // photo 968 -> 1011 ms while the same runs' naive loop went 833 -> 915, i.e. no measurable cost).
    // One thread keeps it, as the in-thread reader does: without it every batch's activations were
    // malloc'd and freed again in the thread's glibc arena, a transient +140-230 MiB (the hybrid reader
    // alone on one thread, 26 photos of ../shared/photos, MALLOC_ARENA_MAX 2, load 10-13: peak RSS
    // 807/823/867/891 -> 654/671/682 MiB, CPU 458/460 -> 433/438 ms per photo).
    const recMemArena = threads === 1;
    const perThread = <T extends PaddleTextReaderOptions>(o: T | undefined): T =>
      ({ ...o, concurrency: 1, session: { intraOpNumThreads: 1, recMemArena, ...o?.session } }) as T;
    return new ThreadedTextReader({
      threads,
      maxQueue: Math.max(8, threads * 4),
      reader: { engine: options.engine, workers: 1, paddle: perThread(options.paddle), hybrid: perThread(options.hybrid) },
    });
  }
  const workers = Math.max(1, options.workers ?? 2);
  const paddleDefaults: PaddleTextReaderOptions = { concurrency: Math.max(1, Math.floor(workers / 2)), maxQueue: Math.max(8, workers * 4) };
  switch (options.engine) {
    case 'tesseract':
      return new TesseractTextReader({ poolSize: workers, ...options.tesseract });
    case 'paddle':
      return new PaddleTextReader({ ...paddleDefaults, ...options.paddle });
    case 'hybrid':
      return new HybridTextReader({ ...paddleDefaults, ...options.hybrid });
    default: {
      const unknown: never = options.engine;
      throw new RangeError(`unknown OCR engine ${String(unknown)}`);
    }
  }
}
