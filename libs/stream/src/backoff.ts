/**
 * Retry timing: exponential backoff with jitter, and a sleep that a stop can cut short.
 * Used by the runner between attempts and by the in-process transport before redelivering a
 * failed batch. It never decides whether to retry: callers do (from MediaAiError.retryable).
 */

export interface BackoffPolicy {
  /** Delay before the second attempt. */
  initialDelayMs: number;
  /** Cap on any single delay. */
  maxDelayMs: number;
}

/**
 * Delay to wait after the given failed attempt (1-based): the exponential step capped at
 * maxDelayMs, with "equal jitter": half fixed, half random. The fixed half keeps a floor so a
 * retry never fires immediately; the random half spreads replicas that failed together (a rate
 * limit, a restarted dependency) so they do not retry in lockstep.
 */
export function backoffDelayMs(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const exponent = Math.max(0, attempt - 1);
  // Capping the exponent first avoids Infinity for very long failure streaks.
  const step = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.min(exponent, 52));
  const half = step / 2;
  return Math.round(half + random() * half);
}

/** Resolves after ms, or as soon as the signal aborts (never rejects: callers check the signal). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
