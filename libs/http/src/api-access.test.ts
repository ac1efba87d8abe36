import { afterEach, describe, expect, it } from 'vitest';
import { HealthRegistry } from './index.js';
import { capturedLogger, closeTestServers, testServer } from './test-support/test-server.js';

afterEach(closeTestServers);

const PLATFORM = { name: 'platform', token: 'p'.repeat(20) + 'latform-token-0001' };
const OPS = { name: 'ops', token: 'o'.repeat(20) + 'ps-token-000000002' };
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function withApiRoute(overrides: Parameters<typeof testServer>[0] = {}) {
  const server = await testServer(overrides);
  server.app.get('/api/v1/thing', async (request) => ({ client: request.apiClient?.name ?? null }));
  return server;
}

describe('API tokens', () => {
  it('refuses a protected route without a token, or with a wrong one, with 401 MEDIA_AI_UNAUTHORIZED', async () => {
    const { app } = await withApiRoute({ apiTokens: [PLATFORM, OPS] });
    for (const headers of [{}, bearer('x'.repeat(38)), bearer(`${PLATFORM.token}x`), { authorization: PLATFORM.token }]) {
      const response = await app.inject({ method: 'GET', url: '/api/v1/thing', headers });
      expect(response.statusCode).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Bearer realm="media-ai"');
      expect(response.json().error.code).toBe('MEDIA_AI_UNAUTHORIZED');
    }
  });

  it('lets a valid token through and names its caller', async () => {
    const { app } = await withApiRoute({ apiTokens: [PLATFORM, OPS] });
    const platform = await app.inject({ method: 'GET', url: '/api/v1/thing', headers: bearer(PLATFORM.token) });
    expect(platform.statusCode).toBe(200);
    expect(platform.json()).toEqual({ client: 'platform' });
    const ops = await app.inject({ method: 'GET', url: '/api/v1/thing', headers: { authorization: `bearer  ${OPS.token} ` } });
    expect(ops.json()).toEqual({ client: 'ops' });
  });

  it('answers probes and metrics without a token; /docs and unknown routes need one', async () => {
    const { app } = await withApiRoute({ apiTokens: [PLATFORM] });
    for (const url of ['/api/v1/health', '/api/v1/health/live', '/api/v1/health/ready', '/api/v1/health/detailed', '/metrics']) {
      expect((await app.inject({ method: 'GET', url })).statusCode, url).toBe(200);
    }
    expect((await app.inject({ method: 'GET', url: '/docs/json' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/docs/json', headers: bearer(PLATFORM.token) })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/api/v1/nothing-here' })).statusCode).toBe(401);
  });

  it('is open without tokens (development): nobody is named', async () => {
    const { app } = await withApiRoute();
    const response = await app.inject({ method: 'GET', url: '/api/v1/thing', headers: bearer(PLATFORM.token) });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ client: null });
  });

  it('logs the caller by name and never the token', async () => {
    const log = capturedLogger();
    const { app } = await withApiRoute({ apiTokens: [PLATFORM], logger: log.logger });
    await app.inject({ method: 'GET', url: '/api/v1/thing', headers: bearer(PLATFORM.token) });
    await app.inject({ method: 'GET', url: '/api/v1/thing', headers: bearer(`${PLATFORM.token}-guess`) });
    expect(log.lines().some((line) => line.api_client === 'platform' && line.message === 'request completed')).toBe(true);
    expect(log.text()).not.toContain(PLATFORM.token.slice(-18));
  });
});

describe('/api/v1/health/detailed', () => {
  const health = () =>
    new HealthRegistry().addCheck({
      name: 'blob_store',
      critical: true,
      check: async () => ({ status: 'healthy', details: { location: '/srv/media-ai/.media-ai/blobs' } }),
    });
  const configDescription = { pipeline: { blobDir: '/srv/media-ai/.media-ai/blobs' } };

  it('shows statuses but no details, paths or configuration to a caller without a token', async () => {
    for (const apiTokens of [[], [PLATFORM]]) {
      const { app } = await testServer({ health: health(), configDescription, apiTokens });
      const response = await app.inject({ method: 'GET', url: '/api/v1/health/detailed' });
      expect(response.statusCode).toBe(200);
      const body = response.json();
      expect(body.checks.blob_store).toEqual({ status: 'healthy', critical: true, latency_ms: expect.any(Number) });
      expect(body.config).toBeUndefined();
      expect(response.body).not.toContain('/srv');
    }
  });

  it('shows the details and the configuration to a caller with a valid token', async () => {
    const { app } = await testServer({ health: health(), configDescription, apiTokens: [PLATFORM] });
    const response = await app.inject({ method: 'GET', url: '/api/v1/health/detailed', headers: bearer(PLATFORM.token) });
    expect(response.json()).toMatchObject({
      checks: { blob_store: { details: { location: '/srv/media-ai/.media-ai/blobs' } } },
      config: configDescription,
    });
  });
});
