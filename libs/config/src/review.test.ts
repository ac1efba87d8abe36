import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.js';
import { describeConfig, REDACTED } from './describe-config.js';
import { loadConfig } from './load-config.js';

const TOKEN_A = 'a'.repeat(40);
const TOKEN_B = 'b1:'.padEnd(40, 'b');

describe('MEDIA_AI_REVIEW_TOKENS', () => {
  it('is empty (the desk off) when unset', () => {
    expect(loadConfig({}).review).toEqual({ tokens: [], ratePerMinute: 120 });
  });

  it('reads tenant:name:token entries (a token may hold a colon)', () => {
    const review = loadConfig({
      MEDIA_AI_REVIEW_TOKENS: ` org-1:alice:${TOKEN_A} , org-2:bob:${TOKEN_B},`,
      REVIEW_RATE_LIMIT_PER_MINUTE: '30',
    }).review;
    expect(review.tokens).toEqual([
      { tenant: 'org-1', name: 'alice', token: TOKEN_A },
      { tenant: 'org-2', name: 'bob', token: TOKEN_B },
    ]);
    expect(review.ratePerMinute).toBe(30);
  });

  it.each([
    ['no tenant', `alice:${TOKEN_A}`],
    ['a short token', 'org-1:alice:short'],
    ['a name twice', `org-1:alice:${TOKEN_A},org-2:alice:${TOKEN_B}`],
    ['a token twice', `org-1:alice:${TOKEN_A},org-2:bob:${TOKEN_A}`],
  ])('refuses %s, naming the entry but never its text', (_what, value) => {
    let error: unknown;
    try {
      loadConfig({ MEDIA_AI_REVIEW_TOKENS: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(/MEDIA_AI_REVIEW_TOKENS: entry \d/);
    expect(message).not.toContain(TOKEN_A);
  });

  it('never shows a token in the described configuration', () => {
    const view = describeConfig(loadConfig({ MEDIA_AI_REVIEW_TOKENS: `org-1:alice:${TOKEN_A}` }));
    expect(view['review']).toEqual({ tokens: [{ tenant: 'org-1', name: 'alice', token: REDACTED }], ratePerMinute: 120 });
    expect(JSON.stringify(view)).not.toContain(TOKEN_A);
  });
});
