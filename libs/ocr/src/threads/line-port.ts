/**
 * The hybrid reader's tesseract re-reads across a thread boundary: a ThreadedTextReader thread asks
 * for a line over the MessagePort that came with its photo, the main thread answers from its one
 * re-read pool. The answer is exactly what the pool would give in the thread (same PNG, same
 * engine settings), so readings do not depend on where a line was read. It must never lose an
 * error's code on the way (a re-read timeout stays MEDIA_AI_TIMEOUT, retryable).
 */
import type { MessagePort } from 'node:worker_threads';
import { MediaAiError } from '@media-ai/contracts/errors';
import type { CreateTextReaderOptions } from '../create-text-reader.js';
import type { TesseractLineReader } from '../paddle/hybrid-text-reader.js';
import type { ReadWord } from '../paddle/respace.js';
import type { WordLexiconShare } from '../spacing/word-lexicon.js';

/**
 * What a thread builds (workerData): createTextReader's options, whether its re-reads are lent, and
 * the main thread's word lexicon to read instead of loading its own (absent: no re-spacing).
 */
export interface ThreadReaderOptions extends CreateTextReaderOptions {
  sharedTesseract?: boolean;
  lexicon?: WordLexiconShare;
}

/** An error as plain data. */
export interface WireError {
  code: MediaAiError['code'] | null;
  message: string;
  details: MediaAiError['details'];
}

type LineAnswer = { ok: true; words: ReadWord[] } | ({ ok: false } & WireError);

export function toWireError(error: unknown): WireError {
  if (error instanceof MediaAiError) return { code: error.code, message: error.message, details: error.details };
  return { code: null, message: error instanceof Error ? error.message : String(error), details: {} };
}

export function fromWireError(wire: WireError): MediaAiError {
  return new MediaAiError(wire.code ?? 'MEDIA_AI_OCR_FAILED', wire.message, { details: wire.details });
}

/** In a thread: one line's words from the main thread (a photo's re-reads run one after another). */
export function askLine(port: MessagePort | null, png: Buffer): Promise<ReadWord[]> {
  if (!port) return Promise.reject(new MediaAiError('MEDIA_AI_OCR_FAILED', 'No re-read port for this photo'));
  return new Promise<ReadWord[]>((resolve, reject) => {
    port.once('message', (answer: LineAnswer) => (answer.ok ? resolve(answer.words) : reject(fromWireError(answer))));
    const copy = new Uint8Array(png);
    port.postMessage(copy, [copy.buffer]);
  });
}

/** On the main thread: answers every line asked on `port` with `readLine` until the port closes. */
export function serveLines(port: MessagePort, readLine: TesseractLineReader): void {
  port.on('message', (png: Uint8Array) => {
    readLine(Buffer.from(png.buffer, png.byteOffset, png.byteLength)).then(
      (words) => port.postMessage({ ok: true, words } satisfies LineAnswer),
      (error: unknown) => port.postMessage({ ok: false, ...toWireError(error) } satisfies LineAnswer),
    );
  });
}
