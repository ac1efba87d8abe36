/**
 * Runs a blob store's TTL sweep on an interval: one run at a time (the next is scheduled only
 * after the previous one ends, so a slow listing never piles up runs), each run bounded by a
 * deletion limit, and stoppable at any point (stop aborts the run in progress between deletions and
 * waits for it). Must never throw into the timer (failures go to `onError`) and never keep the
 * process alive on its own.
 */
import type { SweepableBlobStore, SweepResult } from './blob-store.js';

export interface BlobSweeperOptions {
  store: SweepableBlobStore;
  /** Blobs last stored longer ago than this are deleted (MEDIA_AI_BLOB_TTL_HOURS). */
  ttlMs: number;
  /** Pause between the end of one run and the start of the next. */
  intervalMs: number;
  /** Deletions per run; the rest wait for the next run. Default 10 000. */
  maxDeletesPerRun?: number;
  /** Called after every finished run (log it, count it). */
  onSweep?: (result: SweepResult & { durationMs: number }) => void;
  /** Called when a run fails; the next run is still scheduled. */
  onError?: (error: unknown) => void;
}

export class BlobSweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<SweepResult | undefined> | undefined;
  private abort: AbortController | undefined;
  private stopped = false;

  constructor(private readonly options: BlobSweeperOptions) {
    if (!(options.ttlMs > 0) || !(options.intervalMs > 0)) throw new RangeError('BlobSweeper needs a positive ttlMs and intervalMs');
  }

  /** Schedules the first run after one interval (start-up is busy enough without a sweep). */
  start(): void {
    this.schedule();
  }

  /**
   * Runs one sweep now, or joins the run already in progress (never two at once). Resolves to
   * undefined when the run failed (reported to onError) or the sweeper is stopped.
   */
  runOnce(): Promise<SweepResult | undefined> {
    if (this.stopped) return Promise.resolve(undefined);
    this.running ??= this.run().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Stops scheduling, aborts the run in progress and waits for it. Safe to call any number of times. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.abort?.abort();
    await this.running;
  }

  private schedule(): void {
    // One pending timer at most, however start() and finished runs interleave.
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.runOnce().finally(() => this.schedule());
    }, this.options.intervalMs);
    this.timer.unref();
  }

  private async run(): Promise<SweepResult | undefined> {
    const abort = (this.abort = new AbortController());
    const started = performance.now();
    try {
      const result = await this.options.store.sweepExpired({
        olderThanMs: this.options.ttlMs,
        limit: this.options.maxDeletesPerRun ?? 10_000,
        signal: abort.signal,
      });
      this.report(() => this.options.onSweep?.({ ...result, durationMs: performance.now() - started }));
      return result;
    } catch (error) {
      this.report(() => this.options.onError?.(error));
      return undefined;
    } finally {
      if (this.abort === abort) this.abort = undefined;
    }
  }

  /** A throwing callback must not kill the loop: the sweep itself succeeded or failed already. */
  private report(callback: () => void): void {
    try {
      callback();
    } catch {
      // Nothing sensible to do with a failing logger; the next run reports again.
    }
  }
}
