/**
 * Retry pacing shared by the network sources: exponential backoff with full jitter, so that many
 * replicas retrying one flaky origin spread out instead of hammering it in lock-step.
 * Must never sleep past the caller's abort signal.
 */

export interface BackoffOptions {
  /** First delay ceiling in ms; doubles per attempt. */
  baseMs: number;
  /** Largest delay ceiling in ms. */
  maxMs: number;
  /** 0..1 source of jitter (injectable so tests are deterministic). */
  random?: () => number;
}

/** Delay before retry number `attempt` (0-based): uniform in [0, min(max, base * 2^attempt)]. */
export function backoffDelay(attempt: number, options: BackoffOptions): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** attempt);
  return Math.floor((options.random ?? Math.random)() * ceiling);
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
