import { describe, expect, it } from 'vitest';
import { MediaAiError } from '@media-ai/contracts';
import { CircuitBreaker, type CircuitState } from './circuit-breaker.js';

function breaker(threshold = 3, cooldownMs = 1_000) {
  let now = 0;
  const changes: string[] = [];
  const b = new CircuitBreaker({
    threshold,
    cooldownMs,
    now: () => now,
    onStateChange: (s: CircuitState, p: CircuitState) => changes.push(`${p}->${s}`),
  });
  return { b, changes, advance: (ms: number) => (now += ms) };
}

describe('CircuitBreaker', () => {
  it('opens after the threshold of failures in a row, and a success in between resets the count', () => {
    const { b, changes } = breaker(3);
    b.recordFailure();
    b.recordFailure();
    b.recordSuccess();
    b.recordFailure();
    b.recordFailure();
    expect(b.state).toBe('closed');
    b.recordFailure();
    expect(b.state).toBe('open');
    expect(b.tryAcquire()).toBe(false);
    expect(changes).toEqual(['closed->open']);
  });

  it('lets exactly one trial through after the cool-down; its success closes the breaker', () => {
    const { b, changes, advance } = breaker(1, 1_000);
    b.recordFailure();
    advance(999);
    expect(b.tryAcquire()).toBe(false);
    advance(1);
    expect(b.state).toBe('half-open');
    expect(b.tryAcquire()).toBe(true);
    expect(b.tryAcquire()).toBe(false);
    b.recordSuccess();
    expect(b.state).toBe('closed');
    expect(b.tryAcquire()).toBe(true);
    expect(changes).toEqual(['closed->open', 'open->half-open', 'half-open->closed']);
  });

  it('reopens for another cool-down when the trial fails', () => {
    const { b, advance } = breaker(5, 1_000);
    for (let i = 0; i < 5; i++) b.recordFailure();
    advance(1_000);
    expect(b.tryAcquire()).toBe(true);
    b.recordFailure();
    expect(b.state).toBe('open');
    advance(500);
    expect(b.tryAcquire()).toBe(false);
    advance(500);
    expect(b.tryAcquire()).toBe(true);
  });

  it('frees the trial slot when the trial ended for a reason that says nothing about the API', () => {
    const { b, advance } = breaker(1, 10);
    b.recordFailure();
    advance(10);
    expect(b.tryAcquire()).toBe(true);
    b.recordNeutral();
    expect(b.state).toBe('half-open');
    expect(b.tryAcquire()).toBe(true);
  });

  it('reads a failed call from its error: only unavailability counts against the API', () => {
    const { b, advance } = breaker(2, 10);
    const unavailable = new MediaAiError('MEDIA_AI_LLM_UNAVAILABLE', 'down', { details: { reason: 'connection' } });
    b.recordError(unavailable);
    // An unusable answer or a refusal means the API answered: the streak starts again.
    b.recordError(new MediaAiError('MEDIA_AI_LLM_BAD_ANSWER'));
    b.recordError(unavailable);
    expect(b.state).toBe('closed');
    b.recordError(new MediaAiError('MEDIA_AI_LLM_REFUSED'));
    b.recordError(unavailable);
    b.recordError(unavailable);
    expect(b.state).toBe('open');

    // Half-open: our own abort, a bad photo or an unknown error free the trial without a verdict.
    advance(10);
    for (const neutral of [
      new MediaAiError('MEDIA_AI_LLM_UNAVAILABLE', 'aborted', { details: { reason: 'aborted' } }),
      new MediaAiError('MEDIA_AI_PHOTO_CORRUPT'),
      new Error('bug'),
    ]) {
      expect(b.tryAcquire()).toBe(true);
      b.recordError(neutral);
      expect(b.state).toBe('half-open');
    }
    expect(b.tryAcquire()).toBe(true);
    b.recordError(new MediaAiError('MEDIA_AI_LLM_BAD_ANSWER'));
    expect(b.state).toBe('closed');
  });

  it('survives an observer that throws', () => {
    const b = new CircuitBreaker({
      threshold: 1,
      cooldownMs: 10,
      onStateChange: () => {
        throw new Error('boom');
      },
    });
    expect(() => b.recordFailure()).not.toThrow();
    expect(b.state).toBe('open');
  });
});
