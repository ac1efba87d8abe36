/**
 * TesseractTextReader: the tesseract.js engine (OCR_ENGINE=tesseract). Legible text of one photo,
 * as lines and words with confidence and normalized boxes. Prepares the image (upright, flattened,
 * grayscale, sized for the engine), reads it on the worker pool, retries sideways when upright
 * finds little, and drops the garbage tesseract invents on photos without text. It must never
 * redact (that is the caller's step, on purpose separate so it can be tested as pure text) and
 * never touch the network.
 */
import { availableParallelism } from 'node:os';
import { MediaAiError } from '@media-ai/contracts/errors';
import {
  DEFAULT_LINE_FILTER,
  cleanLines,
  round3,
  textScore,
  type LineFilterOptions,
  type OcrBox,
  type OcrLine,
  type RawLine,
} from './lines.js';
import {
  DEFAULT_PREPROCESS,
  deskewPrepared,
  estimateSkew,
  prepareForOcr,
  rotatePrepared,
  type PreparedImage,
  type PreprocessOptions,
} from './preprocess.js';
import type { OcrResult, OcrTextReader } from './ocr-text-reader.js';
import { TESSERACT_VERSION, TRAINEDDATA_VERSION, TesseractPool, type PassSettings } from './tesseract-pool.js';
import { respaceOcrLine } from './spacing/respace-ocr-line.js';
import type { RestoreSpacesOptions } from './spacing/restore-spaces.js';
import { wordLexicon } from './spacing/word-lexicon.js';

/**
 * The passes. Measured on ../shared/photos (2 cores):
 * - Automatic layout (PSM 3) rejects picture regions before recognising anything: on the cafe
 *   photo it takes 0.2 s where one-block mode (PSM 6) spends 3.6 s "reading" wicker chairs. So
 *   the upright passes start with PSM 3, Otsu then Sauvola: a white card on a light wooden table
 *   is one black blob under a global (Otsu) threshold (insurance card: 0 lines), while local
 *   thresholding (Sauvola) reads 14 lines of it.
 * - PSM 3 splits a book page's first words into a separate column ("default log level" without
 *   "Setting"), so when the upright passes found some text, Otsu + one block reads it again and
 *   the better reading wins. When they found nothing, this expensive pass is skipped.
 * - Otsu + one block at 90 and 270 degrees: vertical text ("VARTA" only reads sideways, and only
 *   in one-block mode: PSM 3 read it as "WARES").
 */
const UPRIGHT_GATE_PASSES: PassSettings[] = [
  { thresholding: '0', psm: '3' },
  { thresholding: '2', psm: '3' },
];
const UPRIGHT_BLOCK_PASS: PassSettings = { thresholding: '0', psm: '6' };
const SIDEWAYS_PASS: PassSettings = { thresholding: '0', psm: '6' };
/**
 * 5x5 median before the sideways passes. The stage reads the fetcher's copy, a JPEG at quality 85:
 * its block artefacts around the big lettering break "VARTA" into "(VVARTA", "AY VARTA" at 0..23 %
 * under Otsu + one block, so only "HIGH ENERGY" was kept (the original file and q90/95 copies of
 * the 640-px photo did read VARTA; the 24 MP one never did, not even from its original). The median
 * removes the ringing and speckle and keeps strokes of 3 px and wider. Measured on both battery
 * photos normalized at 1280 and 2048 px, quality 75..95: VARTA read in 20 of 20 copies with 5x5,
 * 16 with 3x3, 6 without. Every other photo of ../shared/photos gives the same lines as without it,
 * the no-text photos still none, and they read faster, not slower (fewer speckles to segment:
 * 12.4 s -> 9.1 s for the 11 no-text photos, interleaved on 2 cores). Only the sideways passes get
 * it: they exist for big lettering, while the upright passes read small print (book pages, ID
 * cards) whose 1-2 px strokes a median would erase. Tried and dropped on the q85 copies: Sauvola
 * sideways (nothing kept), sparse-text PSM 11 alone (no VARTA), enlarging x1.5/x2 (no VARTA on the
 * 24 MP photo, 2-3x slower), a 0.8..1.2 px blur (VARTA on the 640-px photo only).
 */
const DEFAULT_SIDEWAYS_MEDIAN = 5;
/** See TesseractTextReaderOptions.wordSpacing. */
const TESSERACT_WORD_SPACING: Partial<RestoreSpacesOptions> = {
  steps: { gaps: false, digits: true, caseChanges: true, segmentation: false },
};
/**
 * A card lying at an angle (business card at ~20 deg): tesseract copes with a few degrees only.
 * Levelled, Sauvola + one block reads its name, phones and street; nothing upright did.
 */
const DESKEWED_PASS: PassSettings = { thresholding: '2', psm: '6' };
/** estimateSkew gain above which the photo holds tilted lines (see estimateSkew's measurements). */
const SKEW_MIN_GAIN = 1.3;
const SKEW_MIN_DEGREES = 4;

export interface TesseractTextReaderOptions {
  /** Worker threads (default: available cores). */
  poolSize?: number;
  /** Jobs per worker before it is replaced (default 100: RSS grows ~1-2 MB per photo otherwise). */
  recycleAfterJobs?: number;
  /**
   * Photos allowed to wait beyond one per worker (default 4 per worker); more are refused at once
   * as retryable, before any work, so a read is never cut off half-way by its own later passes.
   */
  maxQueue?: number;
  /** Abandon a pass after this long (default 30 s; a 24 MP photo takes ~2 s). */
  jobTimeoutMs?: number;
  preprocess?: Partial<PreprocessOptions>;
  lineFilter?: Partial<LineFilterOptions>;
  /**
   * The sideways passes (90 and 270) run when the upright pass scores below this
   * (letters/digits x confidence). 12 is about one confident word of a dozen characters, or two
   * brand words: the rotated VARTA batteries score 0 upright; every upright text photo scores 40+.
   */
  rotateBelowScore?: number;
  /**
   * Longest side of the sideways passes (default 1024). They exist for big vertical lettering;
   * at full size they cost 2-5 s each on a 1600-px photo without text, which is most photos.
   */
  sidewaysMaxSide?: number;
  /** Median window of the sideways passes (default 5; 0 = none): see DEFAULT_SIDEWAYS_MEDIAN. */
  sidewaysMedian?: number;
  /**
   * Word re-spacing of the kept lines (spacing/restore-spaces.ts); false turns it off. Tesseract
   * spaces words by the gaps it sees, so by default only the rules run (case changes
   * "ChrisSmith", digits "12MAR", "Redmond,WA"), not word segmentation: without the recogniser's
   * alignment to veto it, segmentation split "PASSEPORT" on the passport into "PASSE PORT".
   */
  wordSpacing?: Partial<RestoreSpacesOptions> | false;
}

interface Pass {
  lines: OcrLine[];
  context: string[];
  /** Clockwise degrees the pass's image was turned (0, 90, 270, or a deskew angle). */
  rotation: number;
  score: number;
  /** Maps a box normalized to the pass's image back onto the upright image. */
  toUpright: (box: OcrBox) => OcrBox;
}

export class TesseractTextReader implements OcrTextReader {
  /** Versions for model_versions and for cache keys: a new engine or data must not reuse old results. */
  static readonly engineVersion = `tesseract.js@${TESSERACT_VERSION}`;
  static readonly trainedDataVersion = TRAINEDDATA_VERSION;
  readonly engine = 'tesseract' as const;
  /** What this reader publishes under (model_versions of the stage's records, and its cache key). */
  readonly modelVersions: Readonly<Record<string, string>> = Object.freeze({
    'tesseract.js': TESSERACT_VERSION,
    traineddata: TRAINEDDATA_VERSION,
  });

  private readonly pool: TesseractPool;
  private readonly preprocess: PreprocessOptions;
  private readonly lineFilter: LineFilterOptions;
  private readonly rotateBelowScore: number;
  private readonly sidewaysMaxSide: number;
  private readonly sidewaysMedian: number;
  private readonly wordSpacing: Partial<RestoreSpacesOptions> | false;
  private readonly maxInFlight: number;
  private inFlight = 0;

  constructor(options: TesseractTextReaderOptions = {}) {
    const size = options.poolSize ?? availableParallelism();
    this.maxInFlight = size + (options.maxQueue ?? size * 4);
    this.pool = new TesseractPool({
      size,
      recycleAfterJobs: options.recycleAfterJobs ?? 100,
      // A read has at most two passes waiting at once (the sideways pair): admission above bounds this.
      maxQueue: this.maxInFlight * 2,
      jobTimeoutMs: options.jobTimeoutMs ?? 30_000,
    });
    this.preprocess = { ...DEFAULT_PREPROCESS, ...options.preprocess };
    this.lineFilter = { ...DEFAULT_LINE_FILTER, ...options.lineFilter };
    this.rotateBelowScore = options.rotateBelowScore ?? 12;
    this.sidewaysMaxSide = options.sidewaysMaxSide ?? 1024;
    this.sidewaysMedian = options.sidewaysMedian ?? DEFAULT_SIDEWAYS_MEDIAN;
    this.wordSpacing = options.wordSpacing ?? TESSERACT_WORD_SPACING;
  }

  /** Starts the workers; call before serving (readiness). Reading without it starts them lazily. */
  start(): Promise<void> {
    // The word lists load once per process: at start, not on the first photo.
    if (this.wordSpacing) wordLexicon();
    return this.pool.start();
  }

  stop(): Promise<void> {
    return this.pool.stop();
  }

  /** Workers, busy workers, passes waiting, photos being read (for health and metrics). */
  stats(): { size: number; busy: number; queued: number; inFlight: number } {
    return { ...this.pool.stats(), inFlight: this.inFlight };
  }

  /** Reads the text of one encoded image (JPEG, PNG, WebP). */
  async read(image: Buffer): Promise<OcrResult> {
    if (this.inFlight >= this.maxInFlight) {
      throw new MediaAiError('MEDIA_AI_OCR_FAILED', 'The OCR queue is full', { details: { in_flight: this.inFlight } });
    }
    this.inFlight++;
    try {
      return await this.readAdmitted(image);
    } finally {
      this.inFlight--;
    }
  }

  private async readAdmitted(image: Buffer): Promise<OcrResult> {
    const started = performance.now();
    const upright = await prepareForOcr(image, this.preprocess);
    let best: Pass = { lines: [], context: [], rotation: 0, score: 0, toUpright: (b) => b };
    const consider = (candidate: Pass): void => {
      if (candidate.score > best.score || (best.score === 0 && best.context.length === 0)) best = candidate;
    };
    for (const settings of UPRIGHT_GATE_PASSES) {
      if (best.score >= this.rotateBelowScore) break;
      consider(await this.pass(upright, 0, settings));
    }
    if (best.score > 0) consider(await this.pass(upright, 0, UPRIGHT_BLOCK_PASS));
    if (best.score < this.rotateBelowScore) {
      const skew = await estimateSkew(upright);
      if (Math.abs(skew.angle) >= SKEW_MIN_DEGREES && skew.gain >= SKEW_MIN_GAIN) {
        const levelled = await deskewPrepared(upright, skew.angle);
        consider(await this.pass(levelled, skew.angle, DESKEWED_PASS, (box) => unskewBox(box, skew.angle, levelled, upright)));
      }
    }
    if (best.score < this.rotateBelowScore) {
      // Vertical text (brand names on batteries, spines): read sideways, keep the best reading.
      const sideways = await Promise.all(
        [90, 270].map(async (deg) =>
          this.pass(await rotatePrepared(upright, deg, this.sidewaysMaxSide, this.sidewaysMedian), deg, SIDEWAYS_PASS),
        ),
      );
      sideways.forEach(consider);
    }
    const toUpright = best.toUpright;
    const wordSpacing = this.wordSpacing;
    // Re-spaced in the pass's own image, where text runs along x, before the boxes are turned upright.
    const spaced = wordSpacing ? best.lines.map((l) => respaceOcrLine(l, wordSpacing)) : best.lines;
    const lines = spaced.map((l) => ({
      ...l,
      box: toUpright(l.box),
      words: l.words.map((w) => ({ ...w, box: toUpright(w.box) })),
    }));
    const confidence = lines.length ? round3(lines.reduce((s, l) => s + l.confidence, 0) / lines.length) : 0;
    return {
      lines,
      text: lines.map((l) => l.text).join('\n'),
      contextText: best.context.join('\n'),
      confidence,
      // Nothing read: no orientation was confirmed, whichever pass ran last.
      rotation: lines.length ? best.rotation : 0,
      durationMs: Math.round(performance.now() - started),
      width: upright.width,
      height: upright.height,
    };
  }

  private async pass(image: PreparedImage, rotation: number, settings: PassSettings, toUpright?: (box: OcrBox) => OcrBox): Promise<Pass> {
    const page = await this.pool.recognize(image.png, settings);
    const lines = cleanLines(page.lines as RawLine[], image.width, image.height, this.lineFilter);
    const context = page.lines.map((l) => l.text.trim()).filter(Boolean);
    return { lines, context, rotation, score: textScore(lines), toUpright: toUpright ?? ((box) => unrotateBox(box, rotation)) };
  }
}

/**
 * Maps a box read on the image rotated clockwise by `rotation` back to the upright image.
 * Clockwise 90 sends upright (x, y) to (1 - y, x); 270 sends it to (y, 1 - x).
 */
export function unrotateBox(box: OcrBox, rotation: number): OcrBox {
  switch (((rotation % 360) + 360) % 360) {
    case 90:
      return { x: box.y, y: 1 - (box.x + box.width), width: box.height, height: box.width };
    case 180:
      return { x: 1 - (box.x + box.width), y: 1 - (box.y + box.height), width: box.width, height: box.height };
    case 270:
      return { x: 1 - (box.y + box.height), y: box.x, width: box.height, height: box.width };
    default:
      return box;
  }
}

/**
 * Maps a box read on the image levelled by `angle` degrees (clockwise, canvas grown around the
 * centre) back to the upright image: the corners are turned back and their bounding box kept.
 */
export function unskewBox(
  box: OcrBox,
  angle: number,
  levelled: { width: number; height: number },
  upright: { width: number; height: number },
): OcrBox {
  const t = (-angle * Math.PI) / 180;
  const c = Math.cos(t);
  const s = Math.sin(t);
  const corners = [
    [box.x, box.y],
    [box.x + box.width, box.y],
    [box.x, box.y + box.height],
    [box.x + box.width, box.y + box.height],
  ].map(([u = 0, v = 0]) => {
    const dx = u * levelled.width - levelled.width / 2;
    const dy = v * levelled.height - levelled.height / 2;
    return [(dx * c - dy * s + upright.width / 2) / upright.width, (dx * s + dy * c + upright.height / 2) / upright.height] as const;
  });
  const clamp = (v: number): number => Math.round(Math.min(1, Math.max(0, v)) * 10_000) / 10_000;
  const x0 = clamp(Math.min(...corners.map((p) => p[0])));
  const y0 = clamp(Math.min(...corners.map((p) => p[1])));
  const x1 = clamp(Math.max(...corners.map((p) => p[0])));
  const y1 = clamp(Math.max(...corners.map((p) => p[1])));
  return { x: x0, y: y0, width: Math.round((x1 - x0) * 10_000) / 10_000, height: Math.round((y1 - y0) * 10_000) / 10_000 };
}
