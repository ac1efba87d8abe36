/**
 * The service HTTP server as `media-ai serve` and every stage service build it from configuration:
 * tokens required in production, and rate limits that two replicas on one (real) Redis share.
 */
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { ConfigError, loadConfig } from '@media-ai/config';
import { HealthRegistry } from '@media-ai/http';
import { createLogger, createMetrics } from '@media-ai/telemetry';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { Runtime } from './process-runtime.js';
import { createServiceHttpServer } from './service-http.js';

const REDIS_URL = process.env['MEDIA_AI_TEST_REDIS_URL'] || process.env['REDIS_URL'] || 'redis://127.0.0.1:6379';

const apps: FastifyInstance[] = [];
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function runtimeFrom(env: Record<string, string>) {
  const lines: string[] = [];
  const destination = new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(chunk.toString()), done()) });
  const config = loadConfig(env, { cwd: '/tmp', cpuCount: 1 });
  const runtime: Runtime = {
    config,
    logger: createLogger({ service: config.app.name, level: 'INFO', destination }),
    metrics: createMetrics(new Registry(), { defaultMetrics: false }),
  };
  return { runtime, logText: () => lines.join('') };
}

async function replica(env: Record<string, string>) {
  const { runtime, logText } = runtimeFrom(env);
  const app = await createServiceHttpServer(runtime, { service: 'fn-media-ai', health: new HealthRegistry() });
  app.get('/api/v1/thing', async () => ({ ok: true }));
  apps.push(app);
  return { app, logText };
}

describe('createServiceHttpServer', () => {
  it('refuses to start in production without MEDIA_AI_API_TOKENS', async () => {
    const { runtime } = runtimeFrom({ ENVIRONMENT: 'production' });
    const started = createServiceHttpServer(runtime, { service: 'fn-media-ai', health: new HealthRegistry() });
    await expect(started).rejects.toBeInstanceOf(ConfigError);
    await expect(started).rejects.toThrow(/MEDIA_AI_API_TOKENS: expected name:token entries in production/);
  });

  it('serves production with tokens, and says once at start when the API is open (development)', async () => {
    const token = randomUUID() + randomUUID();
    const production = await replica({ ENVIRONMENT: 'production', MEDIA_AI_API_TOKENS: `platform:${token}` });
    expect((await production.app.inject({ method: 'GET', url: '/api/v1/thing' })).statusCode).toBe(401);
    const authorized = await production.app.inject({ method: 'GET', url: '/api/v1/thing', headers: { authorization: `Bearer ${token}` } });
    expect(authorized.statusCode).toBe(200);
    expect(production.logText()).not.toContain('the API is open');

    const development = await replica({ ENVIRONMENT: 'development' });
    expect((await development.app.inject({ method: 'GET', url: '/api/v1/thing' })).statusCode).toBe(200);
    expect(development.logText().match(/the API is open to every caller/g)).toHaveLength(1);
  });

  it('shares the count of one client between two replicas on one Redis: the 101st request of a minute answers 429', async () => {
    // A name of its own keeps this run's keys apart from every other run on the same Redis.
    const appName = `media-ai-test-${randomUUID()}`;
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    cleanups.push(async () => {
      const keys = await redis.keys(`${appName}:*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
    });
    const env = { ENVIRONMENT: 'development', REDIS_URL, APP_NAME: appName };
    const replicas = [await replica(env), await replica(env)];

    for (let i = 0; i < 100; i++) {
      const response = await replicas[i % 2]!.app.inject({ method: 'GET', url: '/api/v1/thing' });
      expect(response.statusCode, `request ${i + 1}`).toBe(200);
    }
    for (const { app } of replicas) {
      const refused = await app.inject({ method: 'GET', url: '/api/v1/thing' });
      expect(refused.statusCode).toBe(429);
      expect(refused.json().error.code).toBe('MEDIA_AI_RATE_LIMITED');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    }
    // The count lives in Redis under the client's address, never a token.
    expect((await redis.keys(`${appName}:rate-limit:*`)).some((key) => key.includes('minute:address:127.0.0.1'))).toBe(true);
  });
});
