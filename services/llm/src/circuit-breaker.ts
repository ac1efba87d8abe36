/**
 * The llm stage's circuit breaker. After `threshold` photos in a row failed for want of an answer
 * (API down, timing out, rate-limited past its retries, refusing our key), it opens: for `cooldownMs`
 * no photo is sent, and the stage publishes each one as failed at once, so the aggregator publishes
 * posts without the llm instead of holding them to the deadline. Then one trial photo is let
 * through (half-open): an answer closes the breaker, a failure opens it for another cool-down.
 *
 * Only availability counts. A refusal or a malformed answer means the API is up, so it resets the
 * count like a success. Must never let more than one trial through while half-open.
 */

export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerOptions {
  /** OPENAI_CIRCUIT_BREAKER_THRESHOLD. */
  threshold: number;
  /** OPENAI_CIRCUIT_BREAKER_COOLDOWN in ms. */
  cooldownMs: number;
  now?: () => number;
  /** Called on every change of state (metrics, logs); must not throw. */
  onStateChange?: (state: CircuitState, previous: CircuitState) => void;
}

export class CircuitBreaker {
  private failures = 0;
  private openedAt = 0;
  private stateNow: CircuitState = 'closed';
  private trialInFlight = false;
  private readonly now: () => number;

  constructor(private readonly options: CircuitBreakerOptions) {
    this.now = options.now ?? Date.now;
  }

  get state(): CircuitState {
    if (this.stateNow === 'open' && this.now() - this.openedAt >= this.options.cooldownMs) this.transition('half-open');
    return this.stateNow;
  }

  /**
   * Whether a photo may be sent now. In half-open state the first caller gets the trial and must
   * report its outcome with recordSuccess / recordFailure / recordNeutral.
   */
  tryAcquire(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'open' || this.trialInFlight) return false;
    this.trialInFlight = true;
    return true;
  }

  recordSuccess(): void {
    this.trialInFlight = false;
    this.failures = 0;
    if (this.stateNow !== 'closed') this.transition('closed');
  }

  recordFailure(): void {
    this.trialInFlight = false;
    this.failures += 1;
    if (this.stateNow === 'half-open' || (this.stateNow === 'closed' && this.failures >= this.options.threshold)) {
      this.openedAt = this.now();
      this.transition('open');
    }
  }

  /** The call ended for a reason that says nothing about the API (the photo, our own shutdown). */
  recordNeutral(): void {
    this.trialInFlight = false;
  }

  private transition(next: CircuitState): void {
    const previous = this.stateNow;
    if (previous === next) return;
    this.stateNow = next;
    try {
      this.options.onStateChange?.(next, previous);
    } catch {
      // A broken observer must not break the breaker.
    }
  }
}
