import { Writable } from 'node:stream';
import { MediaAiError } from '@media-ai/contracts';
import { createLogger, createMetrics } from '@media-ai/telemetry';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createHttpServer, HealthRegistry, type HttpServerOptions } from './index.js';

const apps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

async function server(overrides: Partial<HttpServerOptions> = {}) {
  const metrics = createMetrics(new Registry(), { defaultMetrics: false });
  const health = overrides.health ?? new HealthRegistry({ timeoutMs: 100 });
  const app = await createHttpServer({ service: 'fn-media-ai', version: '1.2.3', metrics: metrics.registry, health, ...overrides });
  apps.push(app);
  return { app, health, metrics };
}

describe('GET /api/v1/health', () => {
  it('answers cheaply with service, version and timestamp', async () => {
    let called = false;
    const health = new HealthRegistry().addCheck({
      name: 'x',
      critical: true,
      check: async () => ((called = true), { status: 'unhealthy' }),
    });
    const { app } = await server({ health });
    const response = await app.inject({ method: 'GET', url: '/api/v1/health' });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ status: 'healthy', service: 'fn-media-ai', version: '1.2.3' });
    expect(new Date(body.timestamp).toISOString()).toBe(body.timestamp);
    expect(called).toBe(false);
  });
});

describe('GET /api/v1/health/detailed', () => {
  it('returns 200 with every check when healthy or degraded', async () => {
    const health = new HealthRegistry()
      .addCheck({ name: 'models', critical: true, check: async () => ({ status: 'healthy', details: { loaded: ['yolox-nano'] } }) })
      .addCheck({
        name: 'openai',
        critical: false,
        check: async () => ({ status: 'unhealthy', details: { reason: 'OPENAI_API_KEY not set' } }),
      });
    const ops = { name: 'ops', token: 'ops-token-'.repeat(4) };
    const { app } = await server({ health, configDescription: { openai: { apiKey: '[redacted]' } }, apiTokens: [ops] });
    const response = await app.inject({
      method: 'GET',
      url: '/api/v1/health/detailed',
      headers: { authorization: `Bearer ${ops.token}` },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      status: 'degraded',
      service: 'fn-media-ai',
      checks: {
        models: { status: 'healthy', critical: true, details: { loaded: ['yolox-nano'] } },
        openai: { status: 'unhealthy', critical: false, details: { reason: 'OPENAI_API_KEY not set' } },
      },
      config: { openai: { apiKey: '[redacted]' } },
    });
    expect(typeof response.json().checks.models.latency_ms).toBe('number');
  });

  it('returns 503 when a critical dependency is unhealthy or hangs', async () => {
    const health = new HealthRegistry({ timeoutMs: 50 }).addCheck({ name: 'kafka', critical: true, check: () => new Promise(() => {}) });
    const { app } = await server({ health });
    const response = await app.inject({ method: 'GET', url: '/api/v1/health/detailed' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ status: 'unhealthy', checks: { kafka: { status: 'unhealthy', critical: true } } });
  });
});

describe('GET /api/v1/health/ready and /live', () => {
  it('is 503 with reasons until every condition holds, then 200', async () => {
    const { app, health } = await server();
    const models = health.readinessFlag('models', 'models not loaded');
    const notReady = await app.inject({ method: 'GET', url: '/api/v1/health/ready' });
    expect(notReady.statusCode).toBe(503);
    expect(notReady.json()).toEqual({
      status: 'not_ready',
      conditions: { models: { ready: false, reason: 'models not loaded' } },
      reasons: ['models: models not loaded'],
    });
    models.setReady();
    const ready = await app.inject({ method: 'GET', url: '/api/v1/health/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'ready', reasons: [] });
  });

  it('stays live while dependencies are down', async () => {
    const health = new HealthRegistry().addCheck({ name: 'kafka', critical: true, check: async () => ({ status: 'unhealthy' }) });
    health.readinessFlag('transport', 'disconnected');
    const { app } = await server({ health });
    const response = await app.inject({ method: 'GET', url: '/api/v1/health/live' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'alive' });
    expect(response.json().event_loop_delay_ms).toBeGreaterThanOrEqual(0);
  });
});

describe('GET /metrics', () => {
  it('serves the registry in Prometheus text format', async () => {
    const { app, metrics } = await server();
    metrics.recordsProcessed.inc({ stage: 'detector' }, 3);
    const response = await app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(response.body).toContain('media_ai_records_processed_total{stage="detector"} 3');
    expect(response.body).toContain('# TYPE ai_processing_duration_seconds histogram');
  });
});

describe('errors', () => {
  async function withRoutes() {
    const { app } = await server();
    app.post(
      '/api/v1/posts/:id/analyse',
      {
        schema: {
          tags: ['posts'],
          params: { type: 'object', properties: { id: { type: 'string', minLength: 3 } } },
          body: { type: 'object', required: ['photo_url'], properties: { photo_url: { type: 'string' } } },
        },
      },
      async (request) => {
        const { photo_url } = request.body as { photo_url: string };
        if (photo_url === 'missing')
          throw new MediaAiError('MEDIA_AI_PHOTO_NOT_FOUND', 'no photo at missing', { details: { source: 'gcs' } });
        if (photo_url === 'slow') throw new MediaAiError('MEDIA_AI_TIMEOUT');
        if (photo_url === 'bug') throw new TypeError('cannot read properties of undefined (secret internals)');
        return { ok: true };
      },
    );
    return app;
  }

  it('sends a MediaAiError as its code with the catalogue status', async () => {
    const app = await withRoutes();
    const missing = await app.inject({ method: 'POST', url: '/api/v1/posts/post-1/analyse', payload: { photo_url: 'missing' } });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ error: { code: 'MEDIA_AI_PHOTO_NOT_FOUND', message: 'no photo at missing' } });
    const slow = await app.inject({ method: 'POST', url: '/api/v1/posts/post-1/analyse', payload: { photo_url: 'slow' } });
    expect(slow.statusCode).toBe(504);
    expect(slow.json()).toEqual({ error: { code: 'MEDIA_AI_TIMEOUT', message: 'The operation timed out' } });
  });

  it('turns schema validation failures into 400 MEDIA_AI_BAD_REQUEST', async () => {
    const app = await withRoutes();
    const response = await app.inject({ method: 'POST', url: '/api/v1/posts/post-1/analyse', payload: { url: 'x' } });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('MEDIA_AI_BAD_REQUEST');
    expect(response.json().error.message).toContain('photo_url');
    const badParam = await app.inject({ method: 'POST', url: '/api/v1/posts/p/analyse', payload: { photo_url: 'x' } });
    expect(badParam.statusCode).toBe(400);
    expect(badParam.json().error.code).toBe('MEDIA_AI_BAD_REQUEST');
  });

  it('keeps the status of fastify client errors such as malformed JSON', async () => {
    const app = await withRoutes();
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/posts/post-1/analyse',
      headers: { 'content-type': 'application/json' },
      payload: '{"photo_url":',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('MEDIA_AI_BAD_REQUEST');
  });

  it('hides unexpected errors behind MEDIA_AI_INTERNAL and logs them', async () => {
    const lines: string[] = [];
    const destination = new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(chunk.toString()), done()) });
    const { app } = await server({ logger: createLogger({ service: 'fn-media-ai', destination }) });
    app.get('/api/v1/boom', async () => {
      throw new TypeError('secret internals');
    });
    const response = await app.inject({ method: 'GET', url: '/api/v1/boom' });
    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({ error: { code: 'MEDIA_AI_INTERNAL', message: 'Unexpected internal failure' } });
    expect(response.body).not.toContain('secret internals');
    expect(lines.join('')).toContain('secret internals');
  });
});

describe('logging', () => {
  it('keeps probes out of the request log and logs other requests', async () => {
    const lines: Record<string, unknown>[] = [];
    const destination = new Writable({
      write: (chunk: Buffer, _e, done) => {
        for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    const { app } = await server({ logger: createLogger({ service: 'fn-media-ai', destination }) });
    app.get('/api/v1/thing', async () => ({ ok: true }));
    await app.inject({ method: 'GET', url: '/api/v1/health/live' });
    await app.inject({ method: 'GET', url: '/metrics' });
    expect(lines).toEqual([]);
    await app.inject({ method: 'GET', url: '/api/v1/thing' });
    expect(lines.some((l) => l.message === 'request completed' && l.service === 'fn-media-ai')).toBe(true);
  });
});

describe('OpenAPI docs', () => {
  it('lists the probe routes and routes added later by the service', async () => {
    const { app } = await server();
    app.post(
      '/api/v1/analyse',
      { schema: { tags: ['analysis'], body: { type: 'object', properties: { url: { type: 'string' } } } } },
      async () => ({}),
    );
    await app.ready();
    const spec = (await app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(spec.openapi).toMatch(/^3\./);
    expect(spec.info).toMatchObject({ title: 'fn-media-ai', version: '1.2.3' });
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/health',
        '/api/v1/health/detailed',
        '/api/v1/health/ready',
        '/api/v1/health/live',
        '/metrics',
        '/api/v1/analyse',
      ]),
    );
    const ui = await app.inject({ method: 'GET', url: '/docs/' });
    expect(ui.statusCode).toBe(200);
    expect(ui.headers['content-type']).toMatch(/text\/html/);
  });

  it('can be switched off', async () => {
    const { app } = await server({ docs: false });
    expect((await app.inject({ method: 'GET', url: '/docs/json' })).statusCode).toBe(404);
  });
});

describe('correlation id', () => {
  it('takes the caller id for the request log and echoes it, or makes one', async () => {
    const lines: Record<string, unknown>[] = [];
    const destination = new Writable({
      write: (chunk: Buffer, _e, done) => {
        for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    const { app } = await server({ logger: createLogger({ service: 'fn-media-ai', destination }) });
    app.get('/api/v1/thing', async (request) => {
      request.log.info('inside');
      return { ok: true };
    });
    const given = await app.inject({ method: 'GET', url: '/api/v1/thing', headers: { 'x-correlation-id': 'abc-123' } });
    expect(given.headers['x-correlation-id']).toBe('abc-123');
    expect(lines.find((l) => l.message === 'inside')).toMatchObject({ correlation_id: 'abc-123' });
    const made = await app.inject({ method: 'GET', url: '/api/v1/thing' });
    expect(made.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
