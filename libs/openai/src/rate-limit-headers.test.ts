import { describe, expect, it } from 'vitest';
import { duration, readServerLimits } from './rate-limit-headers.js';

const headers = (values: Record<string, string>) => new Headers(values);

describe('readServerLimits', () => {
  it('reads OpenAI rate-limit headers', () => {
    expect(
      readServerLimits(
        headers({
          'x-ratelimit-remaining-requests': '0',
          'x-ratelimit-reset-requests': '1m30.5s',
          'x-ratelimit-remaining-tokens': '149984',
          'x-ratelimit-reset-tokens': '6ms',
        }),
      ),
    ).toEqual({ remainingRequests: 0, resetRequestsMs: 90_500, remainingTokens: 149_984, resetTokensMs: 6 });
  });

  it('prefers retry-after-ms, then retry-after in seconds or as an HTTP date', () => {
    expect(readServerLimits(headers({ 'retry-after-ms': '250', 'retry-after': '1' })).retryAfterMs).toBe(250);
    expect(readServerLimits(headers({ 'retry-after': '2' })).retryAfterMs).toBe(2_000);
    const now = Date.UTC(2025, 0, 1, 12, 0, 0);
    expect(readServerLimits(headers({ 'retry-after': 'Wed, 01 Jan 2025 12:00:03 GMT' }), now).retryAfterMs).toBe(3_000);
  });

  it('ignores what it cannot read, and servers that send nothing', () => {
    expect(
      readServerLimits(
        headers({ 'retry-after': 'soon', 'x-ratelimit-remaining-requests': 'lots', 'x-ratelimit-reset-tokens': '5 minutes' }),
      ),
    ).toEqual({});
    expect(readServerLimits(undefined)).toEqual({});
  });
});

describe('duration', () => {
  it.each([
    ['20ms', 20],
    ['1s', 1_000],
    ['6m0s', 360_000],
    ['1h2m3.5s', 3_723_500],
    ['0.5', 500],
    ['', undefined],
    ['3 days', undefined],
  ])('%s', (text, ms) => {
    expect(duration(text)).toBe(ms);
  });
});
