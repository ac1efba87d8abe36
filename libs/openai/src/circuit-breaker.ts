/**
 * The circuit breaker in front of the vision-model API. After `threshold` calls in a row failed for
 * want of an answer (API down, timing out, rate-limited past its retries, refusing our key), it
 * opens: for `cooldownMs` no call is let through, so the caller fails fast instead of waiting on an
 * API that is not there (the llm stage publishes each photo as failed at once, and the aggregator
 * publishes posts without it instead of holding them to the deadline). Then one trial call is let
 * through (half-open): an answer closes the breaker, a failure opens it for another cool-down.
 *
 * Only availability counts, and the caller says which is which: a refusal or a malformed answer
 * means the API is up, so it is recorded as a success. Must never let more than one trial through
 * while half-open.
 */
import { toMediaAiError } from '@media-ai/contracts';

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
   * Whether a call may be made now. In half-open state the first caller gets the trial and must
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

  /** The call ended for a reason that says nothing about the API (bad input, our own shutdown). */
  recordNeutral(): void {
    this.trialInFlight = false;
  }

  /**
   * Records a failed call by what its error says about the API. Only unavailability trips the
   * breaker; an answer, even a refused or unusable one, shows the API is up; a bad photo or our
   * own shutdown (an aborted call) says nothing about it.
   */
  recordError(error: unknown): void {
    const failure = toMediaAiError(error);
    if (failure.code === 'MEDIA_AI_LLM_UNAVAILABLE' && failure.details.reason !== 'aborted') this.recordFailure();
    else if (failure.code === 'MEDIA_AI_LLM_REFUSED' || failure.code === 'MEDIA_AI_LLM_BAD_ANSWER') this.recordSuccess();
    else this.recordNeutral();
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
