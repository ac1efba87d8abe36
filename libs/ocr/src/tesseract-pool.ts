/**
 * A pool of tesseract.js workers (one WASM engine per worker thread) with a bounded queue,
 * per-job timeouts and recycling. It must never fetch anything from the network: langPath always
 * points at the traineddata shipped in @tesseract.js-data/eng (without it tesseract.js tries a CDN
 * from a worker thread and the process dies), and nothing is cached on disk.
 */
import { createRequire } from 'node:module';
import Tesseract from 'tesseract.js';
import { MediaAiError } from '@media-ai/contracts/errors';

const require = createRequire(import.meta.url);
const engData = require('@tesseract.js-data/eng') as { langPath: string; gzip: boolean };
const tesseractPackage = require('tesseract.js/package.json') as { version: string };
const engPackage = require('@tesseract.js-data/eng/package.json') as { version: string };

/** e.g. tesseract.js 7.0.0 */
export const TESSERACT_VERSION: string = tesseractPackage.version;
/** The traineddata: package version + folder (4.0.0 = tessdata "fast"-size LSTM, 10.9 MB gz). */
export const TRAINEDDATA_VERSION = `@tesseract.js-data/eng@${engPackage.version}/${engData.langPath.split(/[\\/]/).pop() ?? ''}`;
/** The traineddata file tesseract.js loads (what `media-ai models info` hashes and sizes). */
export const TRAINEDDATA_FILE = `${engData.langPath}/eng.traineddata${engData.gzip ? '.gz' : ''}`;

export interface TesseractPoolOptions {
  /** Worker threads; each holds one engine (~100 MB). */
  size: number;
  /** A worker is replaced after this many jobs: the WASM heap only grows, never shrinks. */
  recycleAfterJobs: number;
  /** Jobs waiting beyond this are refused at once (retryable): a last guard against unbounded memory. */
  maxQueue: number;
  /** A job running longer is abandoned and its worker replaced (a stuck engine cannot be interrupted). */
  jobTimeoutMs: number;
}

export interface RecognizedPage {
  lines: Tesseract.Line[];
  confidence: number;
}

/** How the engine binarises and segments one pass (see the passes in tesseract-text-reader.ts). */
export interface PassSettings {
  /** '0' Otsu (global), '2' Sauvola (local). */
  thresholding: '0' | '2';
  /** '3' automatic layout, '6' one uniform block, '7' a single text line (hybrid re-reads of Paddle crops). */
  psm: '3' | '6' | '7';
}

interface Slot {
  worker: Tesseract.Worker | null;
  settings: string;
  starting: Promise<void> | null;
  busy: boolean;
  jobs: number;
}

interface Job {
  image: Buffer;
  settings: PassSettings;
  resolve: (page: RecognizedPage) => void;
  reject: (error: Error) => void;
}

export class TesseractPool {
  private readonly slots: Slot[];
  private readonly queue: Job[] = [];
  private stopped = false;

  constructor(private readonly options: TesseractPoolOptions) {
    if (options.size < 1) throw new RangeError('pool size must be >= 1');
    this.slots = Array.from({ length: options.size }, () => ({ worker: null, settings: '', starting: null, busy: false, jobs: 0 }));
  }

  /** Starts every worker (readiness waits for it: init takes ~350 ms each). */
  async start(): Promise<void> {
    await Promise.all(this.slots.map((slot) => this.ensureWorker(slot)));
  }

  /** Workers started and jobs waiting, for health and metrics. */
  stats(): { size: number; busy: number; queued: number } {
    return { size: this.slots.length, busy: this.slots.filter((s) => s.busy).length, queued: this.queue.length };
  }

  recognize(image: Buffer, settings: PassSettings): Promise<RecognizedPage> {
    if (this.stopped) return Promise.reject(new MediaAiError('MEDIA_AI_OCR_FAILED', 'The OCR pool is stopped'));
    if (this.queue.length >= this.options.maxQueue) {
      return Promise.reject(new MediaAiError('MEDIA_AI_OCR_FAILED', 'The OCR queue is full', { details: { queued: this.queue.length } }));
    }
    return new Promise<RecognizedPage>((resolve, reject) => {
      this.queue.push({ image, settings, resolve, reject });
      this.dispatch();
    });
  }

  /** Idempotent. Pending jobs are rejected; running ones end with their worker. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const job of this.queue.splice(0)) job.reject(new MediaAiError('MEDIA_AI_OCR_FAILED', 'The OCR pool stopped'));
    await Promise.all(this.slots.map((slot) => this.retire(slot)));
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (slot.busy || slot.starting) continue;
      const job = this.queue.shift();
      if (job) void this.run(slot, job);
    }
  }

  private async run(slot: Slot, job: Job): Promise<void> {
    slot.busy = true;
    let timer: NodeJS.Timeout | undefined;
    let failed = false;
    try {
      await this.ensureWorker(slot);
      const worker = slot.worker;
      if (!worker) throw new MediaAiError('MEDIA_AI_OCR_FAILED', 'No OCR worker');
      const wanted = `${job.settings.thresholding}/${job.settings.psm}`;
      if (slot.settings !== wanted) {
        await worker.setParameters({
          thresholding_method: job.settings.thresholding,
          tessedit_pageseg_mode: job.settings.psm as Tesseract.PSM,
        });
        slot.settings = wanted;
      }
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new MediaAiError('MEDIA_AI_TIMEOUT', `OCR took longer than ${this.options.jobTimeoutMs} ms`)),
          this.options.jobTimeoutMs,
        );
      });
      const { data } = await Promise.race([worker.recognize(job.image, {}, { text: true, blocks: true }), timeout]);
      const lines = (data.blocks ?? []).flatMap((b) => b.paragraphs.flatMap((p) => p.lines));
      job.resolve({ lines, confidence: data.confidence });
    } catch (error) {
      failed = true;
      job.reject(
        error instanceof MediaAiError ? error : new MediaAiError('MEDIA_AI_OCR_FAILED', 'Text recognition failed', { cause: error }),
      );
    } finally {
      clearTimeout(timer);
      slot.jobs++;
      // A failed or timed-out engine may be wedged; a worn one holds a grown WASM heap.
      if (failed || slot.jobs >= this.options.recycleAfterJobs) {
        await this.retire(slot);
        if (!this.stopped)
          void this.ensureWorker(slot)
            .catch(() => undefined)
            .finally(() => this.dispatch());
      }
      slot.busy = false;
      this.dispatch();
    }
  }

  private ensureWorker(slot: Slot): Promise<void> {
    if (slot.worker) return Promise.resolve();
    if (slot.starting) return slot.starting;
    slot.starting = (async () => {
      try {
        const worker = await Tesseract.createWorker('eng', Tesseract.OEM.LSTM_ONLY, {
          langPath: engData.langPath,
          gzip: engData.gzip,
          cacheMethod: 'none',
          logger: () => undefined,
          errorHandler: () => undefined,
        });
        slot.worker = worker;
        slot.settings = '';
        slot.jobs = 0;
      } catch (error) {
        throw new MediaAiError('MEDIA_AI_MODEL_UNAVAILABLE', 'The tesseract engine could not start', { cause: error });
      } finally {
        slot.starting = null;
      }
    })();
    return slot.starting;
  }

  private async retire(slot: Slot): Promise<void> {
    const worker = slot.worker;
    slot.worker = null;
    if (worker) await worker.terminate().catch(() => undefined);
  }
}
