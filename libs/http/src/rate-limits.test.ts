import { afterEach, describe, expect, it } from 'vitest';
import { closeTestServers, testServer } from './test-support/test-server.js';

afterEach(closeTestServers);

const A = { name: 'platform', token: 'a'.repeat(40) };
const B = { name: 'ops', token: 'b'.repeat(40) };

async function limited(overrides: Parameters<typeof testServer>[0] = {}) {
  const server = await testServer({ rateLimit: { perMinute: 100, perHour: 1000 }, ...overrides });
  server.app.get('/api/v1/thing', async () => ({ ok: true }));
  return server;
}

describe('rate limits (counted in the process)', () => {
  it('answers the 101st request of a minute from one address with 429 MEDIA_AI_RATE_LIMITED and Retry-After', async () => {
    const { app } = await limited();
    for (let i = 1; i <= 100; i++) {
      const ok = await app.inject({ method: 'GET', url: '/api/v1/thing' });
      expect(ok.statusCode, `request ${i}`).toBe(200);
    }
    const last = await app.inject({ method: 'GET', url: '/api/v1/thing' });
    expect(last.headers['x-ratelimit-remaining']).toBe('0');
    expect(last.statusCode).toBe(429);
    const retryAfter = Number(last.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(last.json().error.code).toBe('MEDIA_AI_RATE_LIMITED');
    expect(last.json().error.message).toMatch(/per minute/);
    // Another address is another client.
    const other = await app.inject({ method: 'GET', url: '/api/v1/thing', remoteAddress: '10.0.0.2' });
    expect(other.statusCode).toBe(200);
  });

  it('never limits probes and metrics', async () => {
    const { app } = await limited({ rateLimit: { perMinute: 1, perHour: 1 } });
    for (let i = 0; i < 5; i++) {
      for (const url of ['/api/v1/health', '/api/v1/health/live', '/api/v1/health/ready', '/api/v1/health/detailed', '/metrics']) {
        expect((await app.inject({ method: 'GET', url })).statusCode, url).toBe(200);
      }
    }
    expect((await app.inject({ method: 'GET', url: '/api/v1/thing' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/api/v1/thing' })).statusCode).toBe(429);
  });

  it('counts each token name on its own, wherever its requests come from', async () => {
    const { app } = await limited({ apiTokens: [A, B], rateLimit: { perMinute: 2, perHour: 100 } });
    const as = (token: string, remoteAddress: string) =>
      app.inject({ method: 'GET', url: '/api/v1/thing', remoteAddress, headers: { authorization: `Bearer ${token}` } });
    expect((await as(A.token, '10.0.0.1')).statusCode).toBe(200);
    expect((await as(A.token, '10.0.0.2')).statusCode).toBe(200);
    expect((await as(A.token, '10.0.0.3')).statusCode).toBe(429);
    expect((await as(B.token, '10.0.0.1')).statusCode).toBe(200);
  });

  it('keeps an hourly limit beside the minute one', async () => {
    const { app } = await limited({ rateLimit: { perMinute: 100, perHour: 3 } });
    for (let i = 0; i < 3; i++) expect((await app.inject({ method: 'GET', url: '/api/v1/thing' })).statusCode).toBe(200);
    const over = await app.inject({ method: 'GET', url: '/api/v1/thing' });
    expect(over.statusCode).toBe(429);
    expect(over.json().error.message).toMatch(/per hour/);
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(60);
  });
});
