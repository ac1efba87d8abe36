/**
 * The REST API of `media-ai serve`, built exactly as serve builds it (buildServer) and driven with
 * app.inject: real stages, models, photos and tesseract behind it, no socket.
 */
import { readFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validatePostEnhanced, validateProcessingError, type PostEnhancedEvent, type ProcessingErrorEvent } from '@media-ai/contracts';
import { loadPlatformPostEnhancedValidator } from '@media-ai/contracts/test-support';
import { canonicalItem } from '@media-ai/enrich';
import { buildServer, type EmbeddedServer } from '../cli/serve.js';
import type { EmbeddedPipeline } from '../embedded/embedded-pipeline.js';
import {
  contractExample,
  photoPath,
  photoUrl,
  setPostId,
  testEnv,
  testRuntime,
  withPhotos,
  type TestEnv,
} from '../test-support/pipeline-env.js';

let env: TestEnv;
let server: EmbeddedServer;
let pipeline: EmbeddedPipeline;
let readyBeforeStart: { status: number; body: { status: string } };
const platformValidator = loadPlatformPostEnhancedValidator();

function objectNames(event: PostEnhancedEvent): string[] {
  return (event.data.enhanced_metadata.attributes.objects ?? []).map((o) => canonicalItem(o.name) ?? o.name);
}

function expectEnhanced(body: unknown): PostEnhancedEvent {
  const event = body as PostEnhancedEvent;
  expect(event.event_type, JSON.stringify(body).slice(0, 500)).toBe('post.enhanced');
  expect(validatePostEnhanced(event).errors).toEqual([]);
  expect(platformValidator(event).errors).toEqual([]);
  return event;
}

/** A multipart/form-data body as a browser would send it, serialized by the platform's own FormData. */
async function multipartBody(files: Array<{ name: string; bytes: Buffer; type: string }>, fields: Record<string, string> = {}) {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  for (const file of files) form.append('photos', new Blob([file.bytes], { type: file.type }), file.name);
  const response = new Response(form);
  return { payload: Buffer.from(await response.arrayBuffer()), contentType: response.headers.get('content-type')! };
}

beforeAll(async () => {
  env = testEnv();
  server = await buildServer(testRuntime(env.env));
  const before = await server.app.inject({ method: 'GET', url: '/api/v1/health/ready' });
  readyBeforeStart = { status: before.statusCode, body: before.json() };
  pipeline = await server.start();
});

afterAll(async () => {
  await server?.close();
  env?.cleanup();
});

describe('POST /api/v1/photos/analyze', () => {
  it('answers 200 with the post.enhanced of JSON photo_urls (file:// in development)', async () => {
    const response = await server.app.inject({
      method: 'POST',
      url: '/api/v1/photos/analyze',
      payload: { photo_urls: [photoUrl('phone_with_powerbank.jpg')], title: 'Found a phone', post_type: 'found' },
    });

    expect(response.statusCode, response.body.slice(0, 500)).toBe(200);
    const event = expectEnhanced(response.json());
    expect(event.data.original_post.title).toBe('Found a phone');
    expect(event.data.original_post.type).toBe('found');
    expect(objectNames(event)).toContain('phone');
    // The answer is what the stream published for that post.
    expect(pipeline.enrichmentOf(event.data.post_id)).toEqual(event);
  });

  it('answers 200 with the post.enhanced of a multipart upload of a real JPEG', async () => {
    const bytes = await readFile(photoPath('phone_with_powerbank.jpg'));
    const { payload, contentType } = await multipartBody([{ name: 'phone.jpg', bytes, type: 'image/jpeg' }], { title: 'Uploaded phone' });

    const response = await server.app.inject({
      method: 'POST',
      url: '/api/v1/photos/analyze',
      payload,
      headers: { 'content-type': contentType },
    });

    expect(response.statusCode, response.body.slice(0, 500)).toBe(200);
    const event = expectEnhanced(response.json());
    expect(event.data.original_post.title).toBe('Uploaded phone');
    // Published under an inert name, never the single-use upload:// reference.
    expect(event.data.original_post.photos[0]!.original_url).toMatch(/^urn:media-ai:upload:/);
    expect(event.data.failed_photos).toEqual([]);
    expect(objectNames(event)).toContain('phone');
  });

  it('answers an upload that is not an image with its processing.error', async () => {
    const { payload, contentType } = await multipartBody([
      { name: 'notes.jpg', bytes: Buffer.from('not a photo at all, just text\n'), type: 'image/jpeg' },
    ]);

    const response = await server.app.inject({
      method: 'POST',
      url: '/api/v1/photos/analyze',
      payload,
      headers: { 'content-type': contentType },
    });

    expect(response.statusCode).toBe(200);
    const event = response.json() as ProcessingErrorEvent;
    expect(event.event_type).toBe('processing.error');
    expect(validateProcessingError(event).errors).toEqual([]);
    expect(event.data.error_code).toBe('MEDIA_AI_ALL_PHOTOS_FAILED');
    expect(event.data.failed_photos.map((p) => p.error_code)).toEqual(['MEDIA_AI_PHOTO_UNSUPPORTED_TYPE']);
  });

  it('refuses an upload over MAX_IMAGE_SIZE with 413 MEDIA_AI_PHOTO_TOO_LARGE', async () => {
    const tooLarge = Buffer.alloc(10 * 1024 * 1024 + 1, 0xff);
    const { payload, contentType } = await multipartBody([{ name: 'huge.jpg', bytes: tooLarge, type: 'image/jpeg' }]);

    const response = await server.app.inject({
      method: 'POST',
      url: '/api/v1/photos/analyze',
      payload,
      headers: { 'content-type': contentType },
    });

    expect(response.statusCode, response.body).toBe(413);
    expect(response.json().error.code).toBe('MEDIA_AI_PHOTO_TOO_LARGE');
  });

  it('refuses more than ten uploaded photos with 400 MEDIA_AI_TOO_MANY_PHOTOS', async () => {
    const bytes = Buffer.from([0xff, 0xd8, 0xff]);
    const files = Array.from({ length: 11 }, (_, i) => ({ name: `p${i}.jpg`, bytes, type: 'image/jpeg' }));
    const { payload, contentType } = await multipartBody(files);

    const response = await server.app.inject({
      method: 'POST',
      url: '/api/v1/photos/analyze',
      payload,
      headers: { 'content-type': contentType },
    });

    expect(response.statusCode, response.body).toBe(400);
    expect(response.json().error.code).toBe('MEDIA_AI_TOO_MANY_PHOTOS');
  });

  it.each([
    ['no photo_urls', {}, 'MEDIA_AI_BAD_REQUEST'],
    ['an empty list', { photo_urls: [] }, 'MEDIA_AI_BAD_REQUEST'],
    ['a URL that is not a string', { photo_urls: [42] }, 'MEDIA_AI_BAD_REQUEST'],
    [
      'more than ten photos',
      { photo_urls: Array.from({ length: 11 }, () => photoUrl('phone_with_powerbank.jpg')) },
      'MEDIA_AI_TOO_MANY_PHOTOS',
    ],
  ])('answers 400 to %s', async (_name, payload, code) => {
    const response = await server.app.inject({ method: 'POST', url: '/api/v1/photos/analyze', payload });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe(code);
  });

  it('answers 400 MEDIA_AI_BAD_REQUEST to malformed JSON and to a multipart body without a file', async () => {
    const malformed = await server.app.inject({
      method: 'POST',
      url: '/api/v1/photos/analyze',
      payload: '{"photo_urls": [',
      headers: { 'content-type': 'application/json' },
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.code).toBe('MEDIA_AI_BAD_REQUEST');

    const { payload, contentType } = await multipartBody([], { title: 'no file' });
    const empty = await server.app.inject({
      method: 'POST',
      url: '/api/v1/photos/analyze',
      payload,
      headers: { 'content-type': contentType },
    });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.code).toBe('MEDIA_AI_BAD_REQUEST');
  });
});

describe('POST /api/v1/events and GET /api/v1/posts/{post_id}/enrichment', () => {
  it('accepts the fn-posts example (202), whose enrichment is then served (200)', async () => {
    const postId = randomUUID();
    const event = setPostId(withPhotos(contractExample('post.created.json'), [photoUrl('phone_with_powerbank.jpg')]), postId);

    const accepted = await server.app.inject({ method: 'POST', url: '/api/v1/events', payload: event });

    expect(accepted.statusCode, accepted.body).toBe(202);
    expect(accepted.json()).toEqual({ post_id: postId, event_type: 'post.created', status: 'accepted' });

    await pipeline.waitForEnrichment(postId);
    const served = await server.app.inject({ method: 'GET', url: `/api/v1/posts/${postId}/enrichment` });
    expect(served.statusCode).toBe(200);
    const enrichment = expectEnhanced(served.json());
    expect(enrichment.data.post_id).toBe(postId);
    expect(objectNames(enrichment)).toContain('phone');
  });

  it('refuses an unreadable event with 400 MEDIA_AI_BAD_EVENT', async () => {
    const response = await server.app.inject({ method: 'POST', url: '/api/v1/events', payload: { hello: 1 } });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('MEDIA_AI_BAD_EVENT');
  });

  it('answers 404 MEDIA_AI_POST_NOT_FOUND for a post it knows nothing about', async () => {
    const response = await server.app.inject({ method: 'GET', url: `/api/v1/posts/${randomUUID()}/enrichment` });
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe('MEDIA_AI_POST_NOT_FOUND');
  });
});

describe('POST /api/v1/match', () => {
  it('ranks the same item, photographed alone, above another item, with the reasons for its score', async () => {
    const analyzed = async (file: string, post_type: 'lost' | 'found') => {
      const response = await server.app.inject({
        method: 'POST',
        url: '/api/v1/photos/analyze',
        payload: { photo_urls: [photoUrl(file)], title: post_type === 'lost' ? 'Lost my phone' : 'Found something', post_type },
      });
      return expectEnhanced(response.json()).data.post_id;
    };
    const lost = await analyzed('phone_with_powerbank.jpg', 'lost');
    const same = await analyzed('hard_alpha_phone_powerbank.png', 'found');
    const other = await analyzed('coffee_cup_saucer.jpg', 'found');

    const response = await server.app.inject({
      method: 'POST',
      url: '/api/v1/match',
      payload: { post_id: lost, candidate_post_ids: [other, same] },
    });
    expect(response.statusCode, response.body.slice(0, 500)).toBe(200);
    const { post_id, matches } = response.json() as {
      post_id: string;
      matches: Array<{ postId: string; score: number; reasons: string[] }>;
    };
    expect(post_id).toBe(lost);
    expect(matches.map((m) => m.postId)).toEqual([same, other]);
    expect(matches[0]!.score).toBeGreaterThan(matches[1]!.score);
    expect(matches[0]!.reasons.join('\n')).toMatch(/looks alike: embedding cosine/);

    const unknown = randomUUID();
    const missing = await server.app.inject({
      method: 'POST',
      url: '/api/v1/match',
      payload: { post_id: lost, candidate_post_ids: [unknown] },
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ error: { code: 'MEDIA_AI_POST_NOT_FOUND' } });
    const bad = await server.app.inject({ method: 'POST', url: '/api/v1/match', payload: { post_id: lost } });
    expect(bad.statusCode).toBe(400);
  });
});

describe('health, metrics and docs', () => {
  it('/api/v1/health answers healthy', async () => {
    const response = await server.app.inject({ method: 'GET', url: '/api/v1/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'healthy', service: 'fn-media-ai' });
  });

  it('/api/v1/health/ready is 503 until the stages have started, then 200', async () => {
    expect(readyBeforeStart.status).toBe(503);
    expect(readyBeforeStart.body.status).toBe('not_ready');
    const response = await server.app.inject({ method: 'GET', url: '/api/v1/health/ready' });
    expect(response.statusCode).toBe(200);
    expect(response.json().status).toBe('ready');
  });

  it('/api/v1/health/detailed lists detector, ocr and llm (off), without details while nobody holds a token', async () => {
    const response = await server.app.inject({ method: 'GET', url: '/api/v1/health/detailed' });
    expect(response.statusCode).toBe(200);
    const { checks, config } = response.json() as { checks: Record<string, { status: string; details?: unknown }>; config?: unknown };
    expect(Object.keys(checks)).toEqual(expect.arrayContaining(['detector', 'ocr', 'llm', 'blob_store']));
    expect(checks['detector']!.status).toBe('healthy');
    expect(checks['ocr']!.status).toBe('healthy');
    expect(checks['llm']!.status).toBe('degraded');
    // The versions and reasons, and the configuration, need a token (hostile-requests.test.ts).
    expect(checks['detector']!.details).toBeUndefined();
    expect(config).toBeUndefined();
  });

  it('/metrics exposes media_ai_records_processed_total, counted per stage', async () => {
    await pipeline.waitForEnrichment((await analyzeOnce()).data.post_id);
    const response = await server.app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    for (const stage of ['fetcher', 'detector', 'ocr', 'aggregator']) {
      expect(response.body).toMatch(new RegExp(`^media_ai_records_processed_total\\{stage="${stage}"\\} [1-9]`, 'm'));
    }
  });

  it('/docs/json lists the API routes', async () => {
    const response = await server.app.inject({ method: 'GET', url: '/docs/json' });
    expect(response.statusCode).toBe(200);
    const paths = Object.keys((response.json() as { paths: Record<string, unknown> }).paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/v1/photos/analyze',
        '/api/v1/events',
        '/api/v1/posts/{post_id}/enrichment',
        '/api/v1/match',
        '/api/v1/health',
        '/api/v1/health/ready',
        '/api/v1/health/detailed',
        '/metrics',
      ]),
    );
  });
});

/** One analysis through the API (the metrics test needs one whatever ran before it). */
async function analyzeOnce(): Promise<PostEnhancedEvent> {
  const response = await server.app.inject({
    method: 'POST',
    url: '/api/v1/photos/analyze',
    payload: { photo_urls: [photoUrl('coffee_cup_saucer.jpg')] },
  });
  expect(response.statusCode).toBe(200);
  return response.json() as PostEnhancedEvent;
}
