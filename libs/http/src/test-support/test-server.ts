/**
 * Test-only: a shared HTTP server as a service builds it, with a registry and health of its own, and
 * a log sink to read back what it logged. Closed after each test by closeTestServers().
 */
import { Writable } from 'node:stream';
import { createLogger, createMetrics } from '@media-ai/telemetry';
import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { createHttpServer, HealthRegistry, type HttpServerOptions } from '../index.js';

const open: FastifyInstance[] = [];

export async function closeTestServers(): Promise<void> {
  await Promise.all(open.splice(0).map((app) => app.close()));
}

export async function testServer(overrides: Partial<HttpServerOptions> = {}) {
  const metrics = createMetrics(new Registry(), { defaultMetrics: false });
  const health = overrides.health ?? new HealthRegistry({ timeoutMs: 100 });
  const app = await createHttpServer({ service: 'fn-media-ai', version: '1.2.3', metrics: metrics.registry, health, ...overrides });
  open.push(app);
  return { app, health, metrics };
}

/** A logger whose JSON lines land in `lines` (and their raw text in `text()`). */
export function capturedLogger() {
  const chunks: string[] = [];
  const destination = new Writable({ write: (chunk: Buffer, _e, done) => (chunks.push(chunk.toString()), done()) });
  return {
    logger: createLogger({ service: 'fn-media-ai', destination }),
    text: () => chunks.join(''),
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((line) => line.length > 0)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
