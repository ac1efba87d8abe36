/**
 * The client-side limiter in front of the vision-model API: every request (retries included) waits
 * here for one unit of OPENAI_MAX_REQUESTS_PER_MINUTE and its estimated tokens of
 * OPENAI_MAX_TOKENS_PER_MINUTE, first come first served. What the server says overrides our
 * arithmetic: a Retry-After pauses everyone, remaining counts in the rate-limit headers clamp the
 * buckets, and the usage of each answer corrects its token estimate.
 *
 * The limits are per process: with N replicas, give each 1/N of the organization's limits (the
 * 429 handling covers the rest). Must never let a request through early, never lose a waiter, and
 * never keep a cancelled one in the queue.
 */
import { TokenBucket } from './token-bucket.js';
import type { ServerLimits } from './rate-limit-headers.js';

export interface RateLimiterOptions {
  requestsPerWindow: number;
  tokensPerWindow: number;
  /** The API's window, one minute; tests shorten it. */
  windowMs?: number;
  now?: () => number;
}

export interface RateLimitGrant {
  /** Ms spent waiting in the queue. */
  waitedMs: number;
  /** Corrects the token charge once the real usage is known. Call at most once. */
  settle(actualTokens: number): void;
}

interface Waiter {
  tokens: number;
  enqueuedAt: number;
  resolve(grant: RateLimitGrant): void;
  reject(reason: unknown): void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

export class RateLimiter {
  private readonly requests: TokenBucket;
  private readonly tokens: TokenBucket;
  private readonly now: () => number;
  private readonly queue: Waiter[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(options: RateLimiterOptions) {
    this.now = options.now ?? Date.now;
    const windowMs = options.windowMs ?? 60_000;
    this.requests = new TokenBucket({ limit: options.requestsPerWindow, windowMs }, this.now());
    this.tokens = new TokenBucket({ limit: options.tokensPerWindow, windowMs }, this.now());
  }

  /** Waits for one request and `tokens` tokens; rejects with the signal's reason when it aborts. */
  acquire(tokens: number, signal?: AbortSignal): Promise<RateLimitGrant> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<RateLimitGrant>((resolve, reject) => {
      const waiter: Waiter = {
        tokens,
        enqueuedAt: this.now(),
        resolve,
        reject,
        signal,
        onAbort: () => {
          const index = this.queue.indexOf(waiter);
          if (index >= 0) this.queue.splice(index, 1);
          reject(signal?.reason);
          this.pump();
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.queue.push(waiter);
      this.pump();
    });
  }

  /** A 429's Retry-After, or any answer that says a limit is spent: nobody goes before `ms` from now. */
  pause(ms: number): void {
    const until = this.now() + ms;
    this.requests.pauseUntil(until);
    this.tokens.pauseUntil(until);
    this.pump();
  }

  /** Applies the rate-limit headers of an answer. */
  observe(limits: ServerLimits): void {
    const now = this.now();
    if (limits.remainingRequests !== undefined) {
      this.requests.clamp(limits.remainingRequests, now);
      if (limits.remainingRequests === 0 && limits.resetRequestsMs !== undefined) this.requests.pauseUntil(now + limits.resetRequestsMs);
    }
    if (limits.remainingTokens !== undefined) {
      this.tokens.clamp(limits.remainingTokens, now);
      if (limits.remainingTokens === 0 && limits.resetTokensMs !== undefined) this.tokens.pauseUntil(now + limits.resetTokensMs);
    }
    this.pump();
  }

  /** Waiters in the queue (for tests and health). */
  get waiting(): number {
    return this.queue.length;
  }

  private pump(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    while (this.queue.length > 0) {
      const head = this.queue[0]!;
      const now = this.now();
      const wait = Math.max(this.requests.waitMs(1, now), this.tokens.waitMs(head.tokens, now));
      if (wait > 0) {
        this.timer = setTimeout(() => this.pump(), wait);
        return;
      }
      this.queue.shift();
      head.signal?.removeEventListener('abort', head.onAbort);
      this.requests.take(1, now);
      this.tokens.take(head.tokens, now);
      head.resolve(this.grant(head, now));
    }
  }

  private grant(waiter: Waiter, grantedAt: number): RateLimitGrant {
    let settled = false;
    return {
      waitedMs: grantedAt - waiter.enqueuedAt,
      settle: (actualTokens: number) => {
        if (settled) return;
        settled = true;
        this.tokens.adjust(waiter.tokens - actualTokens, this.now());
        this.pump();
      },
    };
  }
}
