/**
 * The embedded pipeline with REDIS_URL set (a real redis-server; REDIS_URL in the environment
 * overrides the local one): join state and result cache in Redis, lifecycle events through the real
 * fetcher, and readiness that fails when Redis does (or, in production, when there is none).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PostEnhancedEvent } from '@media-ai/contracts';
import { Redis } from 'ioredis';
import { contractExample, photoUrl, setPostId, testEnv, testRuntime, withPhotos, type TestEnv } from '../test-support/pipeline-env.js';
import { buildServer } from '../cli/serve.js';
import { EmbeddedPipeline } from './embedded-pipeline.js';

const REDIS_URL = process.env['MEDIA_AI_TEST_REDIS_URL'] || process.env['REDIS_URL'] || 'redis://127.0.0.1:6379';

let env: TestEnv;
let pipeline: EmbeddedPipeline;
let redis: Redis;
const runtime = () => testRuntime(env.env);
let metricsText: () => Promise<string>;

beforeAll(async () => {
  // Short cache TTL: entries this suite leaves in a shared Redis go away soon.
  env = testEnv({ REDIS_URL, REDIS_AI_RESULTS_TTL: '120' });
  const rt = runtime();
  metricsText = () => rt.metrics.registry.metrics();
  pipeline = await EmbeddedPipeline.start(rt);
  redis = new Redis(REDIS_URL);
});

const posts: string[] = [];
afterAll(async () => {
  await pipeline?.stop();
  // The join keys this suite made (published posts are otherwise kept an hour).
  if (posts.length > 0) await redis?.del(...posts.map((id) => `media-ai:join:post:${id}`));
  await redis?.quit();
  env?.cleanup();
});

describe('embedded pipeline on Redis', () => {
  it('keeps the join in Redis, is ready while Redis answers, and counts cache lookups', async () => {
    expect(pipeline.stateStore).toBe('redis');
    expect(await pipeline.readiness()).toEqual({ ready: true });
    const postId = randomUUID();
    posts.push(postId);
    await pipeline.submit(setPostId(withPhotos(contractExample('post.created.json'), [photoUrl('phone_with_powerbank.jpg')]), postId));
    const first = (await pipeline.waitForEnrichment(postId)) as PostEnhancedEvent;
    expect(first.event_type).toBe('post.enhanced');
    expect(await redis.hget(`media-ai:join:post:${postId}`, 'prev')).toBe('1');
    expect(await metricsText()).toMatch(/redis_cache_hit_ratio\{cache="(detector|ocr)"\}/);

    // A photo added: the fetcher fetches only it, the aggregator joins it with the phone photo.
    const added = setPostId(
      withPhotos(contractExample('post.photo.added.json'), [photoUrl('phone_with_powerbank.jpg'), photoUrl('batteries_varta.jpg')]),
      postId,
    );
    (added['payload'] as Record<string, unknown>)['photo'] = (added['payload'] as { post: { photos: unknown[] } }).post.photos[1];
    await pipeline.submit(added);
    const second = (await pipeline.waitForEnrichment(postId, 120_000, 2)) as PostEnhancedEvent;
    expect(second.data.revision).toBeGreaterThan(1);
    expect(second.data.missing_stages).toEqual([]);
    const tags = second.data.tag_grades.map((t) => t.tag);
    expect(tags).toEqual(expect.arrayContaining(first.data.tag_grades.filter((t) => t.category === 'object').map((t) => t.tag)));
    expect(tags).toContain('batteries');
  });
});

describe('readiness without a usable Redis (as media-ai serve reports it)', () => {
  it.each([
    ['Redis does not answer', { REDIS_URL: 'redis://127.0.0.1:1' }, /^state_store: redis/],
    // Production serves only with API tokens; probes and /health/detailed's statuses need none.
    // Scanning (on by default in production) is not what this asks about.
    [
      'production without REDIS_URL',
      {
        ENVIRONMENT: 'production',
        MEDIA_AI_API_TOKENS: `platform:${'0'.repeat(64)}`,
        MEDIA_AI_IDENTIFIER_KEY: 'identifier-key-0123456789abcdef0123456789',
        SCAN_FOR_MALWARE: 'false',
      },
      /^state_store: REDIS_URL is not set/,
    ],
  ] as const)('%s: /health/ready is 503 naming the state store, /health/detailed the redis check', async (_name, extra, reason) => {
    const base = testEnv(extra);
    const server = await buildServer(testRuntime(base.env));
    try {
      await server.start();
      const ready = await server.app.inject({ method: 'GET', url: '/api/v1/health/ready' });
      expect(ready.statusCode).toBe(503);
      const reasons = (ready.json() as { reasons: string[] }).reasons;
      expect(reasons).toHaveLength(1);
      expect(reasons[0]).toMatch(reason);
      const detailed = await server.app.inject({ method: 'GET', url: '/api/v1/health/detailed' });
      expect((detailed.json() as { checks: Record<string, { status: string }> }).checks['redis']).toMatchObject({ status: 'unhealthy' });
    } finally {
      await server.close();
      base.cleanup();
    }
  });

  it('in development without REDIS_URL the memory stores are ready', async () => {
    const base = testEnv();
    const server = await buildServer(testRuntime(base.env));
    try {
      const pipeline = await server.start();
      expect(pipeline.stateStore).toBe('memory');
      expect((await server.app.inject({ method: 'GET', url: '/api/v1/health/ready' })).statusCode).toBe(200);
    } finally {
      await server.close();
      base.cleanup();
    }
  });
});
