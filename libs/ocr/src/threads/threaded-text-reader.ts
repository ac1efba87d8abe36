/**
 * ThreadedTextReader: a text reader that reads `threads` photos at once, each on its own worker
 * thread with its own reader (PP-OCRv4 sessions, tesseract pool), so two cores read two distinct
 * photos in one process. onnxruntime-node runs a session synchronously on the thread that calls
 * it: in-process readers share the main thread with every other stage and read one photo at a
 * time whatever their concurrency says. Each thread's sessions run single-threaded by default
 * (intraOpNumThreads 1), so N threads keep N cores busy without oversubscribing them. The hybrid
 * engine's tesseract re-reads are served by one pool on this thread for all threads (line-port.ts):
 * a tesseract engine per thread was ~145 MiB each. The threads' re-spacing reads this thread's word
 * lexicon, shared (spacing/shared-word-ranks.ts), not a copy per thread.
 * It must never answer differently from the in-process reader of the same options (each thread
 * builds exactly that reader), never hold more photos than its threads and queue allow, and never
 * lose an error's code on the way back.
 */
import { availableParallelism } from 'node:os';
import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { MediaAiError } from '@media-ai/contracts/errors';
import type { CreateTextReaderOptions } from '../create-text-reader.js';
import type { OcrEngine, OcrResult, OcrTextReader } from '../ocr-text-reader.js';
import { HybridTextReader, poolLineReader, rereadPool, type TesseractLineReader } from '../paddle/hybrid-text-reader.js';
import { PaddleTextReader } from '../paddle/paddle-text-reader.js';
import { TesseractTextReader } from '../tesseract-text-reader.js';
import type { TesseractPool } from '../tesseract-pool.js';
import { shareWordLexicon } from '../spacing/word-lexicon.js';
import { fromWireError, serveLines, type ThreadReaderOptions } from './line-port.js';
import type { WorkerAnswer, WorkerTask } from './text-reader-worker.js';

export interface ThreadedTextReaderOptions {
  /** What each thread builds (createTextReader's options; `workers` is per thread, keep it 1). */
  reader: CreateTextReaderOptions;
  /** Worker threads, i.e. photos read at once (default: the cores available). */
  threads?: number;
  /** Photos allowed to wait beyond `threads` (default 8); more are refused at once, retryable. */
  maxQueue?: number;
}

/** In development (src/*.ts, the `development` condition) the worker is a .ts file; built, it is .js beside this one. */
const DEVELOPMENT = import.meta.url.endsWith('.ts');
const WORKER_FILE = new URL(`./text-reader-worker.${DEVELOPMENT ? 'ts' : 'js'}`, import.meta.url).href;

/** Node flags a thread is given: what loads code or picks exports (with a value, `--import tsx` or `--import=tsx`), source maps. */
const THREAD_VALUE_FLAGS = new Set(['--import', '--require', '-r', '--loader', '--experimental-loader', '--conditions', '-C']);
const THREAD_SWITCHES = new Set(['--enable-source-maps']);

/**
 * Node flags of the threads: the process's flags that load code or pick exports, plus in development
 * what runs TypeScript sources (the tsx loader and the development condition, as tools and tests
 * run), which a process started by vitest does not pass on by itself. Never V8's flags: a worker
 * refuses them (ERR_WORKER_INVALID_EXEC_ARGV, so `node --max-semi-space-size=4` could not read at
 * all) and they reach its isolate anyway, being the process's (a worker's young generation is
 * --max-semi-space-size's).
 */
export function threadExecArgv(execArgv: readonly string[] = process.execArgv, development = DEVELOPMENT): string[] {
  const argv: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const flag = execArgv[i]!;
    const name = flag.split('=')[0]!;
    if (THREAD_SWITCHES.has(flag)) argv.push(flag);
    if (!THREAD_VALUE_FLAGS.has(name)) continue;
    argv.push(flag);
    if (name === flag && i + 1 < execArgv.length) argv.push(execArgv[++i]!);
  }
  if (!development) return argv;
  if (!argv.some((a) => a.includes('tsx'))) argv.push('--import', 'tsx');
  if (!argv.some((a) => a.includes('conditions=development'))) argv.push('--conditions=development');
  return argv;
}

export class ThreadedTextReader implements OcrTextReader {
  readonly engine: OcrEngine;
  readonly modelVersions: Readonly<Record<string, string>>;
  private readonly threads: number;
  private readonly maxInFlight: number;
  private readonly readerOptions: ThreadReaderOptions;
  /** Whether the threads' reader re-spaces its lines, i.e. reads the word lexicon. */
  private readonly respaces: boolean;
  /** The hybrid's re-read pool, shared by every thread; null for the other engines. */
  private readonly rereads: { pool: TesseractPool; readLine: TesseractLineReader } | null;
  private pool: Piscina | undefined;
  private inFlight = 0;
  private stopped = false;

  constructor(options: ThreadedTextReaderOptions) {
    this.threads = Math.max(1, options.threads ?? availableParallelism());
    this.maxInFlight = this.threads + Math.max(0, options.maxQueue ?? 8);
    this.engine = options.reader.engine;
    const hybrid = options.reader.hybrid;
    const shared =
      this.engine === 'hybrid'
        ? // One re-read per photo at a time (each thread reads one photo), so at most `threads` waiting.
          rereadPool({ tesseractWorkers: hybrid?.tesseractWorkers, rereadTimeoutMs: hybrid?.rereadTimeoutMs, maxQueue: this.threads })
        : null;
    this.rereads = shared ? { pool: shared, readLine: poolLineReader(shared) } : null;
    this.readerOptions = { ...options.reader, sharedTesseract: shared !== null };
    this.respaces = (options.reader.engine === 'hybrid' ? options.reader.hybrid : options.reader.paddle)?.wordSpacing !== false;
    // The versions are static per engine: a thread's reader publishes exactly these.
    this.modelVersions = versionsOf(options.reader.engine);
  }

  /** Starts every thread and waits until each reader has loaded its models (readiness). */
  async start(): Promise<void> {
    const pool = this.open();
    // One no-op task per thread, all at once: each idle thread takes one and answers once started.
    const probe: WorkerTask = null;
    const [answers] = await Promise.all([
      Promise.all(Array.from({ length: this.threads }, () => pool.run(probe) as Promise<WorkerAnswer | null>)),
      this.rereads?.pool.start(),
    ]);
    for (const answer of answers) if (answer && !answer.ok) throw fromWireError(answer);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const pool = this.pool;
    this.pool = undefined;
    await Promise.all([pool?.destroy(), this.rereads?.pool.stop()]);
  }

  stats(): { size: number; busy: number; queued: number; inFlight: number } {
    const busy = Math.min(this.inFlight, this.threads);
    return { size: this.threads, busy, queued: this.inFlight - busy, inFlight: this.inFlight };
  }

  async read(image: Buffer): Promise<OcrResult> {
    if (this.stopped) throw new MediaAiError('MEDIA_AI_OCR_FAILED', 'The OCR reader is stopped');
    if (this.inFlight >= this.maxInFlight) {
      throw new MediaAiError('MEDIA_AI_OCR_FAILED', 'The OCR queue is full', { details: { in_flight: this.inFlight } });
    }
    const pool = this.open();
    this.inFlight++;
    // The photo's own channel for its re-reads: answers cannot reach another photo.
    const channel = this.rereads ? new MessageChannel() : null;
    try {
      if (channel) serveLines(channel.port1, this.rereads!.readLine);
      // A copy the thread owns: the caller keeps its buffer (it may be a slice of a pooled one).
      const copy = new Uint8Array(image);
      const task: WorkerTask = { image: copy, lines: channel?.port2 ?? null };
      const answer = (await pool.run(task, { transferList: channel ? [copy.buffer, channel.port2] : [copy.buffer] })) as WorkerAnswer;
      if (!answer.ok) throw fromWireError(answer);
      return answer.result;
    } catch (error) {
      if (error instanceof MediaAiError) throw error;
      // The thread died or the pool was closed under the read: retryable, as any reader failure.
      throw new MediaAiError('MEDIA_AI_OCR_FAILED', 'The OCR thread failed', { cause: error });
    } finally {
      channel?.port1.close();
      this.inFlight--;
    }
  }

  private open(): Piscina {
    if (this.stopped) throw new MediaAiError('MEDIA_AI_OCR_FAILED', 'The OCR reader is stopped');
    if (!this.pool) {
      this.pool = new Piscina({
        filename: WORKER_FILE,
        minThreads: this.threads,
        maxThreads: this.threads,
        concurrentTasksPerWorker: 1,
        idleTimeout: Number.POSITIVE_INFINITY,
        // The threads re-space with this thread's word lexicon (one copy per process, in shared memory).
        workerData: { ...this.readerOptions, lexicon: this.respaces ? shareWordLexicon() : undefined } satisfies ThreadReaderOptions,
        execArgv: threadExecArgv(),
      });
    }
    return this.pool;
  }
}

function versionsOf(engine: OcrEngine): Readonly<Record<string, string>> {
  switch (engine) {
    case 'paddle':
      return new PaddleTextReader().modelVersions;
    case 'hybrid':
      return new HybridTextReader().modelVersions;
    case 'tesseract':
      return new TesseractTextReader().modelVersions;
  }
}
