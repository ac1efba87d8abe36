/**
 * HybridTextReader (OCR_ENGINE=hybrid): a PaddleTextReader's reading, plus tesseract re-reads of
 * the lines whose capitals the Chinese recogniser glued together (respace.ts gives the rule).
 * Tesseract reads the Paddle crop as one line (PSM 7) and only lends its spaces. It must never let
 * tesseract change Paddle's characters and never re-read lines that do not match the rule
 * (tesseract is slow and invents text on photos), nor a glued line that the word re-spacing
 * (spacing/restore-spaces.ts, run on every line afterwards) already parts: on ../shared/photos that
 * left 15 of 27 re-reads and changed no reading.
 *
 * It must never answer differently for the same photo: a re-read that times out or fails fails the
 * whole reading with the pool's retryable error (MEDIA_AI_TIMEOUT, MEDIA_AI_OCR_FAILED), so the stage
 * retries the photo. Keeping the Paddle reading instead (as it once did) published a line re-spaced in
 * one run and glued in the next, depending on the machine's load alone. A photo's re-reads run one
 * after another, so the pool never holds more than one job per photo in flight and its queue limit
 * (the Paddle reader's concurrency) cannot refuse one.
 */
import sharp from 'sharp';
import type { OcrResult, OcrTextReader } from '../ocr-text-reader.js';
import { TESSERACT_VERSION, TRAINEDDATA_VERSION, TesseractPool } from '../tesseract-pool.js';
import { PaddleTextReader, type CandidateLine, type PaddleTextReaderOptions } from './paddle-text-reader.js';
import { hasGluedCapitals, respace, type ReadWord } from './respace.js';
import type { RgbImage } from './image.js';

export interface HybridTextReaderOptions extends Omit<PaddleTextReaderOptions, 'refineLines'> {
  /** Tesseract workers for the re-reads (default 1: a few lines per photo at most). */
  tesseractWorkers?: number;
  /**
   * A re-read running longer than this (counted from its start on a worker, not from its enqueueing)
   * is abandoned and fails the photo's reading with MEDIA_AI_TIMEOUT, retryable (default 10 s: one
   * line took at most 1.8 s on a 2-core machine under a load average of 30). It guards against a wedged
   * engine; it never shortens an answer.
   */
  rereadTimeoutMs?: number;
  /**
   * Re-reads through this instead of a tesseract pool of the reader's own: ThreadedTextReader's
   * threads share one pool on the main thread (a tesseract engine holds ~145 MiB; one per thread
   * was the largest part of a thread's memory). tesseractWorkers and rereadTimeoutMs are then the
   * lender's business.
   */
  readLine?: TesseractLineReader;
}

/** Reads one line image (lineImageForTesseract's PNG) as a single line: tesseract's words and confidences. */
export type TesseractLineReader = (png: Buffer) => Promise<ReadWord[]>;

/** The tesseract pool of the re-reads, for a reader of its own or shared by threads (one home for its settings). */
export function rereadPool(options: { tesseractWorkers?: number; rereadTimeoutMs?: number; maxQueue: number }): TesseractPool {
  return new TesseractPool({
    size: Math.max(1, options.tesseractWorkers ?? 1),
    recycleAfterJobs: 200,
    maxQueue: options.maxQueue,
    jobTimeoutMs: options.rereadTimeoutMs ?? 10_000,
  });
}

/** A line reader over a re-read pool: PSM 7 (one line), Otsu thresholding. */
export function poolLineReader(pool: TesseractPool): TesseractLineReader {
  return async (png) => {
    const page = await pool.recognize(png, { thresholding: '0', psm: '7' });
    return page.lines.flatMap((l) => l.words).map((w) => ({ text: w.text, confidence: w.confidence }));
  };
}

/** Tesseract's kMinCredibleResolution: what it falls back to for an image without a credible one. */
const TESSERACT_MIN_CREDIBLE_DPI = 70;

/** Tesseract's LSTM wants x-heights of ~20 px and a margin around the line. */
export async function lineImageForTesseract(crop: RgbImage): Promise<Buffer> {
  const scale = crop.height < 64 ? Math.min(4, 64 / crop.height) : 1;
  const width = Math.max(1, Math.round(crop.width * scale));
  const height = Math.max(1, Math.round(crop.height * scale));
  const margin = Math.max(8, Math.round(height / 4));
  return (
    sharp(crop.data, { raw: { width: crop.width, height: crop.height, channels: 3 } })
      .resize(width, height, { fit: 'fill', kernel: 'lanczos3' })
      .grayscale()
      .extend({ top: margin, bottom: margin, left: margin, right: margin, extendWith: 'copy' })
      // A crop made from raw pixels states no credible resolution: tesseract then prints "Invalid
      // resolution 25 dpi. Using 70 instead." to stderr for every line and reads it at 70 dpi. Stating
      // those 70 dpi keeps the reading identical and the process quiet.
      .withDensity(TESSERACT_MIN_CREDIBLE_DPI)
      .png({ compressionLevel: 1 })
      .toBuffer()
  );
}

/**
 * Composed, not inherited: the Paddle reader runs the photo and calls back into this reader's
 * re-spacing between its filters and publishing; the hybrid adds the tesseract pool and its versions.
 */
export class HybridTextReader implements OcrTextReader {
  readonly engine = 'hybrid' as const;
  /** Lines re-read, lines respaced, and glued lines the word re-spacing settled without a re-read, since start. */
  readonly rereads = { lines: 0, respaced: 0, settled: 0 };
  private readonly paddle: PaddleTextReader;
  /** Null when the re-reads go through a lent line reader (options.readLine). */
  private readonly pool: TesseractPool | null;
  private readonly readLine: TesseractLineReader;

  constructor(options: HybridTextReaderOptions = {}) {
    const { tesseractWorkers, rereadTimeoutMs, readLine, ...paddle } = options;
    this.paddle = new PaddleTextReader({ ...paddle, refineLines: (lines) => this.respaceGluedLines(lines) });
    // One re-read per photo at a time (respaceGluedLines), at most `concurrency` photos at a time.
    this.pool = readLine ? null : rereadPool({ tesseractWorkers, rereadTimeoutMs, maxQueue: this.paddle.stats().size });
    this.readLine = readLine ?? poolLineReader(this.pool!);
  }

  get modelVersions(): Readonly<Record<string, string>> {
    return { ...this.paddle.modelVersions, 'tesseract.js': TESSERACT_VERSION, traineddata: TRAINEDDATA_VERSION };
  }

  read(image: Buffer): Promise<OcrResult> {
    return this.paddle.read(image);
  }

  async start(): Promise<void> {
    await Promise.all([this.paddle.start(), this.pool?.start()]);
  }

  async stop(): Promise<void> {
    await Promise.all([this.paddle.stop(), this.pool?.stop()]);
  }

  /** The Paddle reader's admission: size = photos recognised at once (re-reads ride on those). */
  stats(): { size: number; busy: number; queued: number; inFlight: number } {
    return this.paddle.stats();
  }

  /** Re-reads the glued lines one after another; a failed re-read throws and fails the reading (see the header). */
  private async respaceGluedLines(lines: CandidateLine[]): Promise<void> {
    for (const line of lines) {
      if (!hasGluedCapitals(line.published)) continue;
      // The word re-spacing (run on every line after this step) already parts it: tesseract has
      // nothing left to settle, and a re-read costs ~100-200 ms of CPU.
      if (!hasGluedCapitals(this.paddle.wordSpaced(line))) {
        this.rereads.settled++;
        continue;
      }
      this.rereads.lines++;
      const spaced = respace(line.published, await this.readLine(await lineImageForTesseract(line.crop)));
      if (spaced !== null) {
        line.published = spaced;
        this.rereads.respaced++;
      }
    }
  }
}
