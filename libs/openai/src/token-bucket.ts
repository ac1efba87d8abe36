/**
 * One token bucket of the client-side rate limiter (requests per minute, or tokens per minute),
 * with explicit times so its arithmetic can be tested without a clock.
 *
 * Why not the textbook bucket (capacity = limit, refilled at limit per window): it lets a full
 * bucket's worth go out and then a window's refill on top, up to twice the limit in one window,
 * which is exactly what gets a 429. Here the burst is small (about a sixtieth of the limit, one
 * second's worth on the real one-minute window) and the refill rate is set so that the burst plus a
 * window's refill stays under the limit, over a window stretched by a sixtieth to absorb the
 * jitter between our clock and the API's counter. The price is the burst's worth and a sixtieth of
 * the nominal throughput: ~3% at real limits, more at a handful of requests per window.
 *
 * Must never let a cost larger than the bucket wait forever: such a request waits for a full
 * bucket and leaves it in debt, which later requests pay back.
 */

export interface TokenBucketOptions {
  /** Most units (requests or tokens) the API accepts per window. */
  limit: number;
  /** The API's window: one minute; shortened in tests. */
  windowMs: number;
}

export class TokenBucket {
  readonly capacity: number;
  /** Units per ms. */
  readonly rate: number;
  private level: number;
  private updatedAt: number;
  private blockedUntil = 0;

  constructor(options: TokenBucketOptions, now: number) {
    const limit = Math.max(1, Math.floor(options.limit));
    this.capacity = Math.max(1, Math.floor(limit / 60));
    const guardMs = options.windowMs / 60;
    this.rate = Math.max(1, limit - this.capacity) / (options.windowMs + guardMs);
    this.level = this.capacity;
    this.updatedAt = now;
  }

  /** Ms until `cost` can be taken (0: now). */
  waitMs(cost: number, now: number): number {
    this.refill(now);
    const blocked = Math.max(0, this.blockedUntil - now);
    const need = Math.min(cost, this.capacity);
    if (this.level >= need) return blocked;
    return Math.max(blocked, Math.ceil((need - this.level) / this.rate));
  }

  take(cost: number, now: number): void {
    this.refill(now);
    this.level -= cost;
  }

  /** Gives back (positive) or charges more (negative) once the real cost is known. */
  adjust(delta: number, now: number): void {
    this.refill(now);
    this.level = Math.min(this.capacity, this.level + delta);
  }

  /** The server's count is the truth: never believe we have more left than it says. */
  clamp(remaining: number, now: number): void {
    this.refill(now);
    this.level = Math.min(this.level, remaining);
  }

  /** Nothing is taken before `until` (Retry-After, or a limit the server says is spent). */
  pauseUntil(until: number): void {
    this.blockedUntil = Math.max(this.blockedUntil, until);
  }

  private refill(now: number): void {
    if (now > this.updatedAt) {
      this.level = Math.min(this.capacity, this.level + (now - this.updatedAt) * this.rate);
      this.updatedAt = now;
    }
  }
}
