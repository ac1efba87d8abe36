/**
 * The native memory sharp (libvips) keeps in a long-running process. libvips caches the results of
 * recent operations (by default up to 50 MB and 100 operations) so that a repeated operation on the
 * same input is free; this pipeline decodes each photo once and never repeats an operation on it, so
 * the cache only holds pixels of photos already done. A serving process turns it off at start.
 * Must never change what an image operation returns, only what is kept after it.
 */
import sharp from 'sharp';

export interface ImageMemoryLimits {
  /** libvips threads per image operation (sharp.concurrency); default: sharp's own (the CPU count). */
  concurrency?: number;
}

/** Turns libvips' operation cache off (process-wide) and, if asked, caps its threads per operation. */
export function limitImageMemory(limits: ImageMemoryLimits = {}): void {
  sharp.cache(false);
  if (limits.concurrency !== undefined) sharp.concurrency(limits.concurrency);
}
