/**
 * The REST API of `media-ai serve` as a hostile client tries it, built as serve builds it (with API
 * tokens, as production runs it) and started on real stages and models: every case answers 4xx in
 * the API's envelope `{ error: { code, message } }`, or is refused, and nothing reaches the stream
 * that should not.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MediaAiError, type PostEnhancedEvent } from '@media-ai/contracts';
import { failureOf } from '@media-ai/contracts/test-support';
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

const TOKEN = `${randomUUID()}${randomUUID()}`;
const AUTH = { authorization: `Bearer ${TOKEN}` };

let env: TestEnv;
let server: EmbeddedServer;
let pipeline: EmbeddedPipeline;

beforeAll(async () => {
  env = testEnv({ MEDIA_AI_API_TOKENS: `platform:${TOKEN}` });
  server = await buildServer(testRuntime(env.env));
  pipeline = await server.start();
});

afterAll(async () => {
  await server?.close();
  env?.cleanup();
});

function expectEnvelope(response: { statusCode: number; json: () => unknown; body: string }, status: number, code: string) {
  expect(response.statusCode, response.body.slice(0, 300)).toBe(status);
  const body = response.json() as { error: { code: string; message: string } };
  expect(Object.keys(body)).toEqual(['error']);
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe('string');
  // No stack, no engine message, no path of ours in any error.
  expect(response.body).not.toMatch(/call stack|\s+at \S+ \(|\/work\/|node_modules|\.ts:\d+/);
  return body.error;
}

/** A multipart/form-data body as a browser would send it. */
async function multipartBody(files: Array<{ name: string; bytes: Buffer; type: string }>, fields: Record<string, string> = {}) {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  for (const file of files) form.append('photos', new Blob([file.bytes], { type: file.type }), file.name);
  const response = new Response(form);
  return { payload: Buffer.from(await response.arrayBuffer()), contentType: response.headers.get('content-type')! };
}

const analyze = (payload: unknown, headers: Record<string, string> = {}) =>
  server.app.inject({ method: 'POST', url: '/api/v1/photos/analyze', payload: payload as string, headers: { ...AUTH, ...headers } });
const postEvent = (payload: unknown, headers: Record<string, string> = {}) =>
  server.app.inject({ method: 'POST', url: '/api/v1/events', payload: payload as string, headers: { ...AUTH, ...headers } });

describe('broken multipart uploads answer 400, not 500', () => {
  it('a multipart content type without a boundary', async () => {
    const response = await analyze('--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n--x--\r\n', {
      'content-type': 'multipart/form-data',
    });
    expectEnvelope(response, 400, 'MEDIA_AI_BAD_REQUEST');
  });

  it('a body cut off in the middle of a file part', async () => {
    const bytes = await readFile(photoPath('phone_with_powerbank.jpg'));
    const { payload, contentType } = await multipartBody([{ name: 'phone.jpg', bytes, type: 'image/jpeg' }]);
    const response = await analyze(payload.subarray(0, Math.floor(payload.length / 2)), { 'content-type': contentType });
    expectEnvelope(response, 400, 'MEDIA_AI_BAD_REQUEST');
    expect(pipeline.uploads.size).toBe(0);
  });

  it('a post_type of the wrong kind in a multipart field', async () => {
    const { payload, contentType } = await multipartBody([{ name: 'a.jpg', bytes: Buffer.from([0xff, 0xd8, 0xff]), type: 'image/jpeg' }], {
      post_type: 'stolen',
    });
    expectEnvelope(await analyze(payload, { 'content-type': contentType }), 400, 'MEDIA_AI_BAD_REQUEST');
    expect(pipeline.uploads.size).toBe(0);
  });
});

describe('uploads are bound to the request that made them', () => {
  it('publishes an upload under an inert name, consumes it, and refuses its URL in any other request', async () => {
    const bytes = await readFile(photoPath('phone_with_powerbank.jpg'));
    const { payload, contentType } = await multipartBody([{ name: 'phone.jpg', bytes, type: 'image/jpeg' }], { title: 'Uploaded' });
    const response = await analyze(payload, { 'content-type': contentType });
    expect(response.statusCode, response.body.slice(0, 300)).toBe(200);
    const event = response.json() as PostEnhancedEvent;
    const photo = event.data.original_post.photos[0]!;
    expect(photo.original_url).toBe(`urn:media-ai:upload:${photo.id}`);
    expect(response.body).not.toContain('upload://');
    const served = await server.app.inject({ method: 'GET', url: `/api/v1/posts/${event.data.post_id}/enrichment`, headers: AUTH });
    expect(served.body).not.toContain('upload://');
    // Read once by the fetcher, released with the request: nothing is left to reuse.
    expect(pipeline.uploads.size).toBe(0);

    // A URL that leaked while still held (here: taken straight from the store) is refused everywhere else.
    const owner = randomUUID();
    const leaked = pipeline.uploads.add(owner, bytes, 'image/jpeg');
    expectEnvelope(await analyze({ photo_urls: [leaked] }), 403, 'MEDIA_AI_UPLOAD_REFUSED');
    expectEnvelope(await analyze({ photo_urls: [leaked.toUpperCase()] }), 403, 'MEDIA_AI_UPLOAD_REFUSED');
    const otherPost = setPostId(withPhotos(contractExample('post.created.json'), [leaked]), randomUUID());
    expectEnvelope(await postEvent(otherPost), 403, 'MEDIA_AI_UPLOAD_REFUSED');
    // The pipeline itself refuses an event naming an upload held for another post, whoever submits it.
    const refused = await failureOf(pipeline.submit(otherPost));
    expect(refused).toBeInstanceOf(MediaAiError);
    expect(refused.code).toBe('MEDIA_AI_UPLOAD_REFUSED');
    expect(pipeline.uploads.size).toBe(1);
    pipeline.uploads.release(owner);
    expect(pipeline.uploads.size).toBe(0);
  });
});

describe('only callers with a token', () => {
  it('refuses every API route without a valid token (401) and keeps probes and metrics open', async () => {
    const anonymous = [
      server.app.inject({ method: 'POST', url: '/api/v1/photos/analyze', payload: { photo_urls: [photoUrl('phone_with_powerbank.jpg')] } }),
      server.app.inject({ method: 'POST', url: '/api/v1/events', payload: contractExample('post.created.json') }),
      server.app.inject({ method: 'GET', url: `/api/v1/posts/${randomUUID()}/enrichment` }),
      server.app.inject({ method: 'GET', url: '/docs/json' }),
      server.app.inject({
        method: 'GET',
        url: `/api/v1/posts/${randomUUID()}/enrichment`,
        headers: { authorization: `Bearer ${TOKEN.slice(1)}x` },
      }),
    ];
    for (const response of await Promise.all(anonymous)) expectEnvelope(response, 401, 'MEDIA_AI_UNAUTHORIZED');
    for (const url of ['/api/v1/health', '/api/v1/health/live', '/api/v1/health/ready', '/metrics']) {
      expect((await server.app.inject({ method: 'GET', url })).statusCode, url).toBe(200);
    }
  });

  it('/health/detailed shows no configuration, versions or paths without a token, and all of them with one', async () => {
    const anonymous = await server.app.inject({ method: 'GET', url: '/api/v1/health/detailed' });
    expect(anonymous.statusCode).toBe(200);
    const open = anonymous.json() as { checks: Record<string, Record<string, unknown>>; config?: unknown };
    expect(open.config).toBeUndefined();
    expect(Object.keys(open.checks)).toEqual(expect.arrayContaining(['detector', 'ocr', 'llm', 'blob_store']));
    for (const check of Object.values(open.checks)) expect(Object.keys(check).sort()).toEqual(['critical', 'latency_ms', 'status']);
    expect(anonymous.body).not.toContain(env.dir);
    expect(anonymous.body).not.toContain(TOKEN);

    const trusted = await server.app.inject({ method: 'GET', url: '/api/v1/health/detailed', headers: AUTH });
    const full = trusted.json() as { checks: Record<string, { status: string; details?: Record<string, unknown> }>; config: unknown };
    expect(full.checks['detector']).toMatchObject({
      status: 'healthy',
      details: { versions: { 'yolox-nano': expect.any(String), 'mobilenetv2-int8': expect.any(String) } },
    });
    expect(full.checks['llm']).toMatchObject({
      status: 'degraded',
      details: { enabled: false, reason: expect.stringContaining('OPENAI_API_KEY') },
    });
    expect(full.config).toMatchObject({ server: { apiTokens: [{ name: 'platform', token: '[redacted]' }] } });
    expect(trusted.body).not.toContain(TOKEN);
  });
});

describe('posts.events the API refuses', () => {
  const created = (urls: string[]) => setPostId(withPhotos(contractExample('post.created.json'), urls), randomUUID());

  it('an event type media-ai does not handle: 422, never a silent 202', async () => {
    const event = { ...created([photoUrl('phone_with_powerbank.jpg')]), event_type: 'contact.exchange.requested' };
    const error = expectEnvelope(await postEvent(event), 422, 'MEDIA_AI_UNSUPPORTED_EVENT_TYPE');
    expect(error.message).toContain('contact.exchange.requested');
  });

  it('more photos than a post may have (the platform allows 10): 400 MEDIA_AI_TOO_MANY_PHOTOS', async () => {
    const photos = Array.from({ length: 11 }, () => photoUrl('phone_with_powerbank.jpg'));
    expectEnvelope(await postEvent(created(photos)), 400, 'MEDIA_AI_TOO_MANY_PHOTOS');
    expectEnvelope(await analyze({ photo_urls: photos }), 400, 'MEDIA_AI_TOO_MANY_PHOTOS');
    const files = Array.from({ length: 11 }, (_, i) => ({ name: `p${i}.jpg`, bytes: Buffer.from([0xff, 0xd8, 0xff]), type: 'image/jpeg' }));
    const { payload, contentType } = await multipartBody(files);
    expectEnvelope(await analyze(payload, { 'content-type': contentType }), 400, 'MEDIA_AI_TOO_MANY_PHOTOS');
    expect(pipeline.uploads.size).toBe(0);
  });

  it('a body nested 10,000 deep: 400 MEDIA_AI_JSON_TOO_DEEP', async () => {
    const deep = `{"event_type":"post.created","payload":${'['.repeat(10_000)}${']'.repeat(10_000)}}`;
    expectEnvelope(await postEvent(deep, { 'content-type': 'application/json' }), 400, 'MEDIA_AI_JSON_TOO_DEEP');
    expectEnvelope(await analyze(deep, { 'content-type': 'application/json' }), 400, 'MEDIA_AI_JSON_TOO_DEEP');
  });
});

describe('analyze bodies of the wrong kind answer 400, not a processing.error', () => {
  it.each([
    ['a post_type of the wrong kind', { post_type: 'stolen' }],
    ['a title that is an array', { title: ['Found a phone'] }],
    ['a description that is an object', { description: { text: 'x' } }],
    ['a photo URL that is blank', { photo_urls: ['  '] }],
  ])('%s', async (_name, fields) => {
    const response = await analyze({ photo_urls: [photoUrl('phone_with_powerbank.jpg')], ...fields });
    expectEnvelope(response, 400, 'MEDIA_AI_BAD_REQUEST');
  });
});

describe("requests outside the API's routes", () => {
  it('an unknown route: 404 MEDIA_AI_ROUTE_NOT_FOUND', async () => {
    expectEnvelope(await server.app.inject({ method: 'GET', url: '/api/v2/anything', headers: AUTH }), 404, 'MEDIA_AI_ROUTE_NOT_FOUND');
    expectEnvelope(await server.app.inject({ method: 'DELETE', url: '/api/v1/events', headers: AUTH }), 404, 'MEDIA_AI_ROUTE_NOT_FOUND');
  });

  it('headers too large (431) and a request that is not HTTP (400), over a real socket', async () => {
    await server.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = server.app.server.address() as net.AddressInfo;
    const exchange = (request: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = net.connect(port, '127.0.0.1', () => socket.write(request));
        const chunks: Buffer[] = [];
        socket.on('data', (chunk) => chunks.push(chunk));
        socket.on('error', reject);
        socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
      });
    for (const [request, status, code] of [
      [`GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431, 'MEDIA_AI_HEADERS_TOO_LARGE'],
      ['\x16\x03\x01 not http\r\n\r\n', 400, 'MEDIA_AI_BAD_REQUEST'],
    ] as const) {
      const answer = await exchange(request);
      const [head, body] = answer.split('\r\n\r\n');
      expect(head).toMatch(new RegExp(`^HTTP/1.1 ${status} `));
      expect((JSON.parse(body!) as { error: { code: string } }).error.code).toBe(code);
    }
  });
});
