import { describe, expect, it } from 'vitest';
import { loadConfig } from './index.js';
import { configProblems } from './test-support/config-problems.js';

const load = (env: Record<string, string | undefined>) => loadConfig(env, { cwd: '/srv/media-ai', cpuCount: 2 });
const problems = (env: Record<string, string | undefined>) => configProblems(() => load(env));

const TOKEN_A = 'a'.repeat(16) + '0123456789abcdef0123';
const TOKEN_B = 'b:c!~'.repeat(8);

describe('MEDIA_AI_API_TOKENS', () => {
  it('is empty unless set: the API is open (serve refuses that in production)', () => {
    expect(load({}).server.apiTokens).toEqual([]);
  });

  it('reads name:token pairs, a token may contain colons', () => {
    expect(load({ MEDIA_AI_API_TOKENS: ` platform:${TOKEN_A} , ops.team:${TOKEN_B},` }).server.apiTokens).toEqual([
      { name: 'platform', token: TOKEN_A },
      { name: 'ops.team', token: TOKEN_B },
    ]);
  });

  it.each([
    ['a bare token without a name', TOKEN_A, /entry 1: expected name:token/],
    ['a short token', 'platform:short-token', /entry 1: expected a token of 32 to 256/],
    ['a token with a space', `platform:${TOKEN_A} ${TOKEN_A}`, /entry 1: expected a token/],
    ['a name used twice', `a:${TOKEN_A},a:${TOKEN_B}`, /entry 2: its name is already used/],
    ['a token listed twice', `a:${TOKEN_A},b:${TOKEN_A}`, /entry 2: its token is already listed/],
  ])('refuses %s without echoing the value', (_name, value, expected) => {
    const found = problems({ MEDIA_AI_API_TOKENS: value });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^MEDIA_AI_API_TOKENS: /);
    expect(found[0]).toMatch(expected);
    expect(found[0]).not.toContain(TOKEN_A);
    expect(found[0]).not.toContain(TOKEN_B);
    expect(found[0]).not.toContain('short-token');
  });
});

describe('API rate limits and the photo cap', () => {
  it("default to the deployment guide's 100 a minute and 1,000 an hour per client, and the platform's 10 photos", () => {
    const config = load({});
    expect(config.server.rateLimit).toEqual({ perMinute: 100, perHour: 1000 });
    expect(config.photos.maxPhotosPerPost).toBe(10);
  });

  it('are configurable; 0 turns a window off; a photo cap below 1 is refused', () => {
    const config = load({ API_RATE_LIMIT_PER_MINUTE: '0', API_RATE_LIMIT_PER_HOUR: '5000', MEDIA_AI_MAX_PHOTOS_PER_POST: '20' });
    expect(config.server.rateLimit).toEqual({ perMinute: 0, perHour: 5000 });
    expect(config.photos.maxPhotosPerPost).toBe(20);
    expect(problems({ MEDIA_AI_MAX_PHOTOS_PER_POST: '0' })).toEqual(['MEDIA_AI_MAX_PHOTOS_PER_POST: expected an integer 1..1000, got "0"']);
    expect(problems({ API_RATE_LIMIT_PER_MINUTE: '-1' })[0]).toMatch(/^API_RATE_LIMIT_PER_MINUTE: expected an integer/);
  });
});
