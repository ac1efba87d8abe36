/**
 * Retry timing for the whole repository: how long to wait before the next attempt, and a wait that
 * a stop cuts short. The stream runner (record retries, timer sends, in-process redelivery), the
 * photo downloads and the OpenAI client all wait through here, so they spread out the same way.
 *
 * Jitter: "full jitter" (Brooker, "Exponential Backoff And Jitter", AWS Architecture Blog, 2015):
 * each delay is uniform in [0, min(maxDelayMs, initialDelayMs × 2^(retry−1))). Chosen over
 * decorrelated jitter because it is a pure function of the retry number, which every caller
 * already counts (a batch's attempt, a partition's failure streak, a download's attempt), while
 * decorrelated jitter must carry the previous delay from one wait to the next; its ceiling is the
 * plain exponential, so a caller's time budget is sized from it exactly; and in those measurements
 * it spread clients that failed together (replicas after a broker or API hiccup) as well as any
 * scheme while doing the least total work. The price is that a retry can come almost at once;
 * the ceiling doubles with each failure, so a streak cannot keep retrying fast.
 *
 * Abort: `sleep` never rejects. It resolves true when the whole delay passed and false as soon as
 * the signal aborts (at once when it already had), and it leaves no listener on the signal either
 * way. What a stop means (leave the batch uncommitted, report a cancelled download, fail the call
 * as aborted) is the caller's to decide. Must never decide whether to retry: callers do, from
 * MediaAiError.retryable, a Retry-After or their own budget.
 */
import { setTimeout as delay } from 'node:timers/promises';

export interface BackoffPolicy {
  /** Ceiling of the first wait (before the second attempt); it doubles per retry. */
  initialDelayMs: number;
  /** Cap on any wait's ceiling. */
  maxDelayMs: number;
}

/**
 * The wait before retry number `retry` (1 = after the first failed attempt): full jitter, uniform
 * in [0, ceiling) for `random` in [0, 1). `random` is injectable so tests can pin it.
 */
export function backoffDelayMs(retry: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const exponent = Math.max(0, retry - 1);
  // Capping the exponent first avoids Infinity for very long failure streaks.
  const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.min(exponent, 52));
  return Math.max(0, Math.floor(random() * ceiling));
}

/** Waits `ms`: true when it did, false when the signal aborted first. Never rejects. */
export async function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return false;
  if (ms <= 0) return true;
  try {
    await delay(ms, undefined, { signal });
    return true;
  } catch (error) {
    if (signal?.aborted) return false;
    throw error;
  }
}
