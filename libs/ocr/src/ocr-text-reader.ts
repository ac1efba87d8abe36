/**
 * What every OCR engine offers (tesseract, PP-OCRv4, hybrid) and what it returns for one photo:
 * the ocr stage, the eval tools and createTextReader see readers through this alone. Types only;
 * it must never name an engine's implementation.
 */
import type { OcrLine } from './lines.js';

export const OCR_ENGINES = ['paddle', 'tesseract', 'hybrid'] as const;
export type OcrEngine = (typeof OCR_ENGINES)[number];

/** What every engine offers: the stage needs nothing more. */
export interface OcrTextReader {
  readonly engine: OcrEngine;
  /** Engine and model versions: model_versions of published records and part of the cache key. */
  readonly modelVersions: Readonly<Record<string, string>>;
  /** Reads the text of one encoded image (JPEG, PNG, WebP). */
  read(image: Buffer): Promise<OcrResult>;
  start(): Promise<void>;
  stop(): Promise<void>;
  stats(): { size: number; busy: number; queued: number; inFlight: number };
}

export interface OcrResult {
  lines: OcrLine[];
  /** Kept lines joined by newlines (garbage excluded). */
  text: string;
  /**
   * Every line the engine read in the chosen pass, garbage included. For redaction context only
   * (a blurry "Surname" label or MRZ says what a published line is): never publish it.
   */
  contextText: string;
  /** 0..1, mean of the kept lines (0 when none). */
  confidence: number;
  /** Clockwise rotation (0, 90, 270, or a deskew angle) under which the text was read; boxes are mapped back to upright. */
  rotation: number;
  durationMs: number;
  /** Size the engine saw (after scaling), upright. */
  width: number;
  height: number;
}
