/**
 * Engine selection: builds the text reader a deployment asked for (OCR_ENGINE, read in
 * libs/config). All three readers have the same surface. It must never read configuration itself
 * nor start anything: the caller starts the reader when it is ready to serve.
 */
import type { OcrEngine, OcrTextReader } from './ocr-text-reader.js';
import { HybridTextReader, type HybridTextReaderOptions } from './paddle/hybrid-text-reader.js';
import { PaddleTextReader, type PaddleTextReaderOptions } from './paddle/paddle-text-reader.js';
import { TesseractTextReader, type TesseractTextReaderOptions } from './tesseract-text-reader.js';

export interface CreateTextReaderOptions {
  engine: OcrEngine;
  /**
   * Cores the reader may use (OCR_WORKERS). Tesseract: one worker each. Paddle: one photo per
   * 2 cores (each ORT run uses 2 threads), the rest of the photos queue.
   */
  workers?: number;
  tesseract?: TesseractTextReaderOptions;
  paddle?: PaddleTextReaderOptions;
  hybrid?: HybridTextReaderOptions;
}

export function createTextReader(options: CreateTextReaderOptions): OcrTextReader {
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
