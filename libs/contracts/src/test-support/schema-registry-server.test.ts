/**
 * The stand-in registry speaks Confluent's REST API: the statuses and error codes clients branch
 * on, checked over plain HTTP (the client library's view is in confluent-schema-registry.test.ts).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SCHEMA_REGISTRY_ROUTES, startSchemaRegistryServer, type SchemaRegistryServer } from './schema-registry-server.js';

const TYPE = 'application/vnd.schemaregistry.v1+json';
const v1 = { type: 'record', name: 'Thing', namespace: 'media_ai.v1', fields: [{ name: 'a', type: 'string' }] };
const v2 = { ...v1, fields: [...v1.fields, { name: 'b', type: 'int', default: 0 }] };
const breaking = { ...v1, fields: [...v1.fields, { name: 'b', type: 'int' }] };

let server: SchemaRegistryServer;
beforeEach(async () => {
  server = await startSchemaRegistryServer();
});
afterEach(async () => {
  await server.close();
});

async function call(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; type: string | null; body: unknown }> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { 'content-type': TYPE, ...headers },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  return { status: response.status, type: response.headers.get('content-type'), body: await response.json() };
}
const schema = (s: object) => ({ schema: JSON.stringify(s) });

describe('stand-in schema registry (Confluent REST API)', () => {
  it('listens on the loopback address only', () => {
    expect(new URL(server.url).hostname).toBe('127.0.0.1');
  });

  it('registers, lists, looks up and serves schemas and versions', async () => {
    expect(await call('POST', '/subjects/t-value/versions', schema(v1))).toEqual({ status: 200, type: TYPE, body: { id: 1 } });
    expect((await call('POST', '/subjects/t-value/versions', schema(v1))).body).toEqual({ id: 1 });
    expect((await call('POST', '/subjects/t-value/versions', schema(v2))).body).toEqual({ id: 2 });
    expect((await call('GET', '/subjects')).body).toEqual(['t-value']);
    expect((await call('GET', '/subjects/t-value/versions')).body).toEqual([1, 2]);
    expect((await call('GET', '/subjects/t-value/versions/latest')).body).toEqual({
      subject: 't-value',
      version: 2,
      id: 2,
      schema: JSON.stringify(v2),
    });
    expect((await call('GET', '/subjects/t-value/versions/1/schema')).body).toEqual(v1);
    expect((await call('POST', '/subjects/t-value', schema(v1))).body).toEqual({
      subject: 't-value',
      version: 1,
      id: 1,
      schema: JSON.stringify(v1),
    });
    expect((await call('GET', '/schemas/ids/2')).body).toEqual({ schema: JSON.stringify(v2) });
  });

  it.each([
    ['GET', '/schemas/ids/99', undefined, 404, 40403],
    ['GET', '/subjects/none-value/versions', undefined, 404, 40401],
    ['GET', '/subjects/t-value/versions/9', undefined, 404, 40402],
    ['GET', '/subjects/t-value/versions/zero', undefined, 422, 42202],
    ['POST', '/subjects/none-value', schema(v1), 404, 40401],
    ['POST', '/subjects/t-value', schema(v2), 404, 40403],
    ['POST', '/subjects/t-value/versions', schema(breaking), 409, 409],
    ['POST', '/subjects/t-value/versions', schema({ type: 'record', name: 'X', fields: [{ name: 'a', type: 'nope' }] }), 422, 42201],
    ['POST', '/subjects/t-value/versions', { schema: '{ nope' }, 422, 42201],
    ['POST', '/subjects/t-value/versions', { schema: JSON.stringify(v2), schemaType: 'PROTOBUF' }, 422, 42201],
    ['POST', '/subjects/t-value/versions', '{ not json', 400, 400],
    ['GET', '/config/t-value', undefined, 404, 40408],
    ['PUT', '/config/t-value', { compatibility: 'SIDEWAYS' }, 422, 42203],
    ['DELETE', '/subjects', undefined, 405, 405],
    ['GET', '/nowhere', undefined, 404, 404],
  ])('%s %s answers %i with error_code %i', async (method, path, body, status, errorCode) => {
    await call('POST', '/subjects/t-value/versions', schema(v1));
    const answer = await call(method, path, body);
    expect(answer.status).toBe(status);
    expect(answer.type).toBe(TYPE);
    expect(answer.body).toMatchObject({ error_code: errorCode, message: expect.any(String) });
  });

  it('tests compatibility against the latest, a version, or all versions, by the subject level', async () => {
    expect((await call('POST', '/compatibility/subjects/new-value/versions/latest', schema(breaking))).body).toEqual({
      is_compatible: true,
    });
    await call('POST', '/subjects/t-value/versions', schema(v1));
    expect((await call('POST', '/compatibility/subjects/t-value/versions/latest', schema(v2))).body).toEqual({ is_compatible: true });
    expect((await call('POST', '/compatibility/subjects/t-value/versions/latest', schema(breaking))).body).toEqual({
      is_compatible: false,
    });
    const verbose = await call('POST', '/compatibility/subjects/t-value/versions/1?verbose=true', schema(breaking));
    expect(verbose.body).toMatchObject({ is_compatible: false, messages: [expect.stringMatching(/version 1/)] });
    expect((await call('POST', '/compatibility/subjects/t-value/versions', schema(breaking))).body).toEqual({ is_compatible: false });
    expect((await call('POST', '/compatibility/subjects/t-value/versions/4', schema(v2))).status).toBe(404);
  });

  it('keeps a global and per-subject compatibility level as Confluent does', async () => {
    expect((await call('GET', '/config')).body).toEqual({ compatibilityLevel: 'BACKWARD' });
    expect((await call('PUT', '/config/t-value', { compatibility: 'none' })).body).toEqual({ compatibility: 'NONE' });
    expect((await call('GET', '/config/t-value')).body).toEqual({ compatibilityLevel: 'NONE' });
    expect((await call('GET', '/config/u-value?defaultToGlobal=true')).body).toEqual({ compatibilityLevel: 'BACKWARD' });
    expect((await call('PUT', '/config', { compatibility: 'FULL_TRANSITIVE' })).body).toEqual({ compatibility: 'FULL_TRANSITIVE' });
    expect(server.registry.compatibility('u-value')).toBe('FULL_TRANSITIVE');
    // NONE on t-value lets a breaking change in.
    await call('POST', '/subjects/t-value/versions', schema(v1));
    expect((await call('POST', '/subjects/t-value/versions', schema(breaking))).status).toBe(200);
  });

  it('counts requests per route, path prefix or method and path, including failed ones', async () => {
    await call('GET', '/schemas/ids/7');
    await call('GET', '/schemas/ids/7');
    await call('GET', '/schemas/ids/8');
    server.failWith(503);
    const down = await call('GET', '/subjects');
    expect(down).toMatchObject({ status: 503, body: { error_code: 503 } });
    server.failWith(null);
    expect(server.requests()).toBe(4);
    expect(server.requests('GET /schemas/ids/{id}')).toBe(3);
    expect(server.requests('GET /schemas/ids/7')).toBe(2);
    expect(server.requests('/schemas/')).toBe(3);
    expect(server.requests('GET /subjects')).toBe(1);
    expect(SCHEMA_REGISTRY_ROUTES).toContain('POST /compatibility/subjects/{subject}/versions/{version}');
  });

  it('demands basic auth when given credentials (401 otherwise)', async () => {
    const locked = await startSchemaRegistryServer({ username: 'key', password: 'secret' });
    try {
      const anonymous = await fetch(`${locked.url}/subjects`);
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic/);
      expect(await anonymous.json()).toMatchObject({ error_code: 401 });
      const wrong = await fetch(`${locked.url}/subjects`, {
        headers: { authorization: `Basic ${Buffer.from('key:guess').toString('base64')}` },
      });
      expect(wrong.status).toBe(401);
      const right = await fetch(`${locked.url}/subjects`, {
        headers: { authorization: `Basic ${Buffer.from('key:secret').toString('base64')}` },
      });
      expect(await right.json()).toEqual([]);
    } finally {
      await locked.close();
    }
  });
});
