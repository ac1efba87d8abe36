/**
 * The error envelope where Fastify or Node would answer in their own shape: unknown routes, bodies
 * too large, too deep or of the wrong type, and requests the HTTP parser refuses before Fastify
 * sees them (over a real socket).
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH } from './index.js';
import { jsonDepthExceeds } from './json-body.js';
import { closeTestServers, testServer } from './test-support/test-server.js';

afterEach(closeTestServers);

async function withEcho(overrides: Parameters<typeof testServer>[0] = {}) {
  const server = await testServer(overrides);
  server.app.post('/api/v1/echo', async (request) => ({ received: request.body }));
  return server;
}

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

/** Writes raw bytes to the listening server and returns everything it answers. */
async function rawExchange(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(request));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

function envelopeOf(answer: string): { status: number; body: { error: { code: string; message: string } } } {
  const [head, body] = answer.split('\r\n\r\n');
  return { status: Number(head!.split(' ')[1]), body: JSON.parse(body!) as { error: { code: string; message: string } } };
}

describe('the error envelope', () => {
  it('answers an unknown route with 404 MEDIA_AI_ROUTE_NOT_FOUND', async () => {
    const { app } = await withEcho();
    const response = await app.inject({ method: 'GET', url: '/api/v1/nothing?x=1' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ error: { code: 'MEDIA_AI_ROUTE_NOT_FOUND', message: 'No route GET /api/v1/nothing' } });
  });

  it('answers a body over the limit with 413 MEDIA_AI_BODY_TOO_LARGE and an unknown content type with 415', async () => {
    const { app } = await withEcho({ bodyLimit: 1024 });
    const large = await app.inject({ method: 'POST', url: '/api/v1/echo', payload: { text: 'x'.repeat(2048) } });
    expect(large.statusCode).toBe(413);
    expect(large.json().error.code).toBe('MEDIA_AI_BODY_TOO_LARGE');
    const xml = await app.inject({ method: 'POST', url: '/api/v1/echo', payload: '<a/>', headers: { 'content-type': 'application/xml' } });
    expect(xml.statusCode).toBe(415);
    expect(xml.json().error.code).toBe('MEDIA_AI_UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers headers too large (431) and a request that is not HTTP (400) in the envelope', async () => {
    const { app } = await withEcho();
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as net.AddressInfo;

    const huge = envelopeOf(await rawExchange(port, `GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`));
    expect(huge.status).toBe(431);
    expect(huge.body.error.code).toBe('MEDIA_AI_HEADERS_TOO_LARGE');

    const garbage = envelopeOf(await rawExchange(port, 'NOT HTTP AT ALL\r\n\r\n'));
    expect(garbage.status).toBe(400);
    expect(garbage.body.error.code).toBe('MEDIA_AI_BAD_REQUEST');
  });
});

describe('JSON depth', () => {
  it(`takes a body ${MAX_JSON_DEPTH} deep and refuses ${MAX_JSON_DEPTH + 1} with 400 MEDIA_AI_JSON_TOO_DEEP`, async () => {
    const { app } = await withEcho();
    const deepest = await app.inject({
      method: 'POST',
      url: '/api/v1/echo',
      payload: `{"a":${nested(MAX_JSON_DEPTH - 1)}}`,
      headers: { 'content-type': 'application/json' },
    });
    expect(deepest.statusCode).toBe(200);
    const tooDeep = await app.inject({
      method: 'POST',
      url: '/api/v1/echo',
      payload: `{"a":${nested(MAX_JSON_DEPTH)}}`,
      headers: { 'content-type': 'application/json' },
    });
    expect(tooDeep.statusCode).toBe(400);
    expect(tooDeep.json().error.code).toBe('MEDIA_AI_JSON_TOO_DEEP');
  });

  it('refuses a body nested 10,000 deep without a word about the call stack', async () => {
    const { app } = await withEcho();
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/echo',
      payload: `{"payload":${nested(10_000)}}`,
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: { code: 'MEDIA_AI_JSON_TOO_DEEP', message: `The JSON body nests deeper than ${MAX_JSON_DEPTH} levels` },
    });
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    expect(jsonDepthExceeds(JSON.stringify({ text: `"${'['.repeat(100)}\\"{{{` }), 2)).toBe(false);
    expect(jsonDepthExceeds('[[[]]]', 2)).toBe(true);
    expect(jsonDepthExceeds('[[],[],[]]', 2)).toBe(false);
  });

  it('still refuses prototype poisoning and malformed JSON with 400', async () => {
    const { app } = await withEcho();
    for (const payload of ['{"__proto__":{"x":1}}', '{"a":']) {
      const response = await app.inject({ method: 'POST', url: '/api/v1/echo', payload, headers: { 'content-type': 'application/json' } });
      expect(response.statusCode, payload).toBe(400);
      expect(response.json().error.code).toBe('MEDIA_AI_BAD_REQUEST');
    }
  });
});
