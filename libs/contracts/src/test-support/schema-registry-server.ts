/**
 * A stand-in Confluent Schema Registry for tests: a real HTTP server on 127.0.0.1 speaking the
 * REST API that @kafkajs/confluent-schema-registry and our code call, backed by the
 * InProcessSchemaRegistry (global ids, versions per subject, compatibility levels). Tests can count
 * the requests per route and make it fail with an HTTP status for a while (an outage).
 * Test code only: it must never be exported from the package's main entry, never bind anything but
 * the loopback address, and never keep state between two servers.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MediaAiError } from '../errors.js';
import { InProcessSchemaRegistry, isSchemaCompatibility, type SchemaCompatibility, type SubjectVersion } from '../schema-registry.js';

export interface SchemaRegistryServerOptions {
  /** With both set, every request needs basic auth with them (401 otherwise), as Confluent Cloud. */
  username?: string;
  password?: string;
  /** The global compatibility level; defaults to BACKWARD, a fresh Confluent registry's. */
  compatibility?: SchemaCompatibility;
}

export interface SchemaRegistryServer {
  /** Base URL, e.g. `http://127.0.0.1:41234` (what SCHEMA_REGISTRY_URL would hold). */
  url: string;
  /** What the server holds; tests may register or inspect directly. */
  registry: InProcessSchemaRegistry;
  /**
   * How many requests arrived (answered or failed) in all, or matching `filter`: a route as
   * SCHEMA_REGISTRY_ROUTES names it (`'GET /schemas/ids/{id}'`), or a prefix of
   * `'<METHOD> <path>'` or of the path alone (`'GET /schemas/ids/7'`, `'/subjects/'`).
   */
  requests(filter?: string): number;
  /** Answer every request with this status and a Confluent error body until called with null. */
  failWith(status: number | null): void;
  close(): Promise<void>;
}

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';
/** What Confluent accepts as a request body type. */
const ACCEPTED_BODY_TYPES = [
  'application/vnd.schemaregistry.v1+json',
  'application/vnd.schemaregistry+json',
  'application/json',
  'application/octet-stream',
];
const MAX_BODY_BYTES = 1024 * 1024;

/** Confluent's error codes (error_code in the body; the HTTP status is its first three digits). */
const SUBJECT_NOT_FOUND = 40401;
const VERSION_NOT_FOUND = 40402;
const SCHEMA_NOT_FOUND = 40403;
const SUBJECT_LEVEL_COMPATIBILITY_NOT_CONFIGURED = 40408;
const INVALID_SCHEMA = 42201;
const INVALID_VERSION = 42202;
const INVALID_COMPATIBILITY_LEVEL = 42203;
const INCOMPATIBLE_SCHEMA = 409;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: number,
    message: string,
  ) {
    super(message);
  }
}

interface Call {
  params: string[];
  query: URLSearchParams;
  body: unknown;
}
type Handler = (registry: InProcessSchemaRegistry, call: Call) => unknown;
interface Route {
  method: 'GET' | 'POST' | 'PUT';
  /** The route as Confluent's docs write it; also the key `requests()` counts by. */
  name: string;
  pattern: RegExp;
  handle: Handler;
}

const SEGMENT = '([^/]+)';
const route = (method: Route['method'], name: string, handle: Handler): Route => ({
  method,
  name: `${method} ${name}`,
  pattern: new RegExp(`^${name.replace(/\{[a-z]+\}/g, SEGMENT)}$`),
  handle,
});

const ROUTES: readonly Route[] = [
  route('GET', '/schemas/ids/{id}', async (registry, { params: [id] }) => {
    const schema = /^\d+$/.test(id ?? '') ? await registry.getSchema(Number(id)).catch(() => undefined) : undefined;
    if (!schema) throw new HttpError(404, SCHEMA_NOT_FOUND, `Schema ${id} not found`);
    return { schema: JSON.stringify(schema) };
  }),
  route('GET', '/subjects', (registry) => registry.subjectNames()),
  route('GET', '/subjects/{subject}/versions', (registry, { params: [subject] }) => {
    const count = existingSubject(registry, subject as string);
    return Array.from({ length: count }, (_, i) => i + 1);
  }),
  route('GET', '/subjects/{subject}/versions/{version}', (registry, { params: [subject, version] }) => {
    return describe(findVersion(registry, subject as string, version as string));
  }),
  route('GET', '/subjects/{subject}/versions/{version}/schema', (registry, { params: [subject, version] }) => {
    return findVersion(registry, subject as string, version as string).schema;
  }),
  route('POST', '/subjects/{subject}/versions', async (registry, { params: [subject], body }) => {
    const schema = schemaOf(body);
    try {
      return { id: await registry.register(subject as string, schema) };
    } catch (error) {
      throw rejection(error, subject as string);
    }
  }),
  route('POST', '/subjects/{subject}', (registry, { params: [subject], body }) => {
    const schema = schemaOf(body);
    existingSubject(registry, subject as string);
    let found: SubjectVersion | undefined;
    try {
      found = registry.find(subject as string, schema);
    } catch (error) {
      throw rejection(error, subject as string);
    }
    if (!found) throw new HttpError(404, SCHEMA_NOT_FOUND, 'Schema not found');
    return describe(found);
  }),
  route('POST', '/compatibility/subjects/{subject}/versions/{version}', (registry, { params: [subject, version], query, body }) => {
    const schema = schemaOf(body);
    const parsed = parseVersion(version as string);
    return compatibility(registry, subject as string, schema, parsed, query);
  }),
  route('POST', '/compatibility/subjects/{subject}/versions', (registry, { params: [subject], query, body }) => {
    return compatibility(registry, subject as string, schemaOf(body), undefined, query);
  }),
  route('GET', '/config', (registry) => ({ compatibilityLevel: registry.compatibility() })),
  route('PUT', '/config', (registry, { body }) => {
    const level = levelOf(body);
    registry.setCompatibility(level);
    return { compatibility: level };
  }),
  route('GET', '/config/{subject}', (registry, { params: [subject], query }) => {
    const own = registry.subjectCompatibility(subject as string);
    if (own) return { compatibilityLevel: own };
    if (query.get('defaultToGlobal') === 'true') return { compatibilityLevel: registry.compatibility() };
    throw new HttpError(
      404,
      SUBJECT_LEVEL_COMPATIBILITY_NOT_CONFIGURED,
      `Subject '${subject}' does not have subject-level compatibility configured`,
    );
  }),
  route('PUT', '/config/{subject}', (registry, { params: [subject], body }) => {
    const level = levelOf(body);
    registry.setCompatibility(level, subject as string);
    return { compatibility: level };
  }),
];

/** Every endpoint the stand-in speaks, as `requests()` names them. */
export const SCHEMA_REGISTRY_ROUTES: readonly string[] = ROUTES.map((r) => r.name);

/** The stand-in registry with a fresh, empty InProcessSchemaRegistry, listening on 127.0.0.1. */
export async function startSchemaRegistryServer(options: SchemaRegistryServerOptions = {}): Promise<SchemaRegistryServer> {
  const registry = new InProcessSchemaRegistry({ compatibility: options.compatibility ?? 'BACKWARD' });
  const seen: { route: string; method: string; path: string }[] = [];
  let failure: number | null = null;
  const expectedAuth =
    options.username !== undefined && options.password !== undefined
      ? `Basic ${Buffer.from(`${options.username}:${options.password}`).toString('base64')}`
      : undefined;

  const server = createServer((req, res) => {
    void answer(req, res).catch((error: unknown) => send(res, 500, 50001, `stand-in failure: ${(error as Error).message}`));
  });

  async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const method = req.method ?? 'GET';
    const onPath = ROUTES.filter((r) => r.pattern.test(path));
    const matched = onPath.find((r) => r.method === method);
    seen.push({ route: matched?.name ?? `${method} ${path}`, method, path });

    const body = await readBody(req);
    if (failure !== null) return send(res, failure, failure, `The stand-in registry is told to fail with HTTP ${failure}`);
    if (expectedAuth !== undefined && req.headers.authorization !== expectedAuth) {
      res.setHeader('WWW-Authenticate', 'Basic realm="schema-registry"');
      return send(res, 401, 401, 'Unauthorized');
    }
    if (!matched) {
      return onPath.length > 0 ? send(res, 405, 405, 'HTTP 405 Method Not Allowed') : send(res, 404, 404, 'HTTP 404 Not Found');
    }
    let parsedBody: unknown;
    if (body.length > 0) {
      const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
      if (type && !ACCEPTED_BODY_TYPES.includes(type)) return send(res, 415, 415, 'HTTP 415 Unsupported Media Type');
      try {
        parsedBody = JSON.parse(body.toString('utf8'));
      } catch (error) {
        return send(res, 400, 400, `Unrecognized request body: ${(error as Error).message}`);
      }
    }
    const params = (matched.pattern.exec(path) ?? []).slice(1).map((p) => decodeURIComponent(p));
    try {
      const result = await matched.handle(registry, { params, query: url.searchParams, body: parsedBody });
      res.writeHead(200, { 'content-type': CONTENT_TYPE });
      res.end(JSON.stringify(result));
    } catch (error) {
      if (error instanceof HttpError) return send(res, error.status, error.errorCode, error.message);
      throw error;
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    registry,
    requests(filter?: string): number {
      if (filter === undefined) return seen.length;
      return seen.filter((r) => r.route === filter || `${r.method} ${r.path}`.startsWith(filter) || r.path.startsWith(filter)).length;
    },
    failWith(status: number | null): void {
      failure = status;
    },
    async close(): Promise<void> {
      // Clients keep connections alive; without this, close() waits for them to time out.
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function send(res: ServerResponse, status: number, errorCode: number, message: string): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, { 'content-type': CONTENT_TYPE });
  res.end(JSON.stringify({ error_code: errorCode, message }));
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error(`request body over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function describe(v: SubjectVersion): object {
  return { subject: v.subject, version: v.version, id: v.id, schema: JSON.stringify(v.schema) };
}

/** The number of versions of `subject`; 404 40401 when it has none. */
function existingSubject(registry: InProcessSchemaRegistry, subject: string): number {
  const count = registry.versions(subject).length;
  if (count === 0) throw new HttpError(404, SUBJECT_NOT_FOUND, `Subject '${subject}' not found.`);
  return count;
}

function parseVersion(version: string): number | 'latest' {
  if (version === 'latest' || version === '-1') return 'latest';
  if (/^[1-9]\d*$/.test(version) && Number(version) <= 2 ** 31 - 1) return Number(version);
  throw new HttpError(
    422,
    INVALID_VERSION,
    `The specified version '${version}' is not a valid version id. Allowed values are between [1, 2^31-1] and the string "latest"`,
  );
}

function findVersion(registry: InProcessSchemaRegistry, subject: string, version: string): SubjectVersion {
  const parsed = parseVersion(version);
  existingSubject(registry, subject);
  const found = registry.subjectVersion(subject, parsed);
  if (!found) throw new HttpError(404, VERSION_NOT_FOUND, `Version ${version} not found.`);
  return found;
}

/** The Avro schema of a register / lookup / compatibility body: `{ schema: "<json text>", schemaType?, references? }`. */
function schemaOf(body: unknown): object {
  const { schema, schemaType, references } = (body ?? {}) as { schema?: unknown; schemaType?: unknown; references?: unknown };
  if (typeof schema !== 'string' || schema.trim() === '') throw new HttpError(422, INVALID_SCHEMA, 'Empty schema');
  if (schemaType !== undefined && schemaType !== null && schemaType !== 'AVRO') {
    throw new HttpError(422, INVALID_SCHEMA, `The stand-in registry keeps Avro schemas only, got schemaType ${String(schemaType)}`);
  }
  if (Array.isArray(references) && references.length > 0)
    throw new HttpError(422, INVALID_SCHEMA, 'The stand-in registry does not resolve schema references');
  let parsed: unknown;
  try {
    parsed = JSON.parse(schema);
  } catch (error) {
    throw new HttpError(422, INVALID_SCHEMA, `Invalid schema: ${(error as Error).message}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new HttpError(422, INVALID_SCHEMA, 'The stand-in registry keeps object schemas (records, enums, ...) only');
  }
  return parsed;
}

function levelOf(body: unknown): SchemaCompatibility {
  const level = String((body as { compatibility?: unknown } | undefined)?.compatibility ?? '').toUpperCase();
  if (!isSchemaCompatibility(level)) {
    throw new HttpError(
      422,
      INVALID_COMPATIBILITY_LEVEL,
      'Invalid compatibility level. Valid values are none, backward, forward, full, backward_transitive, forward_transitive, and full_transitive',
    );
  }
  return level;
}

function compatibility(
  registry: InProcessSchemaRegistry,
  subject: string,
  schema: object,
  version: number | 'latest' | undefined,
  query: URLSearchParams,
): object {
  let result;
  try {
    result = registry.testCompatibility(subject, schema, version);
  } catch (error) {
    throw rejection(error, subject);
  }
  if (!result) throw new HttpError(404, VERSION_NOT_FOUND, `Version ${String(version)} not found.`);
  // Confluent lists the reasons only when asked to.
  return query.get('verbose') === 'true'
    ? { is_compatible: result.compatible, messages: result.messages }
    : { is_compatible: result.compatible };
}

/** A refusal by the in-process registry as Confluent words it: 422 invalid, 409 incompatible. */
function rejection(error: unknown, subject: string): unknown {
  if (!(error instanceof MediaAiError) || error.code !== 'MEDIA_AI_SCHEMA_REJECTED') return error;
  if (error.details['reason'] === 'incompatible') {
    return new HttpError(
      409,
      INCOMPATIBLE_SCHEMA,
      `Schema being registered is incompatible with an earlier schema for subject "${subject}", details: [${error.message}]`,
    );
  }
  return new HttpError(422, INVALID_SCHEMA, `Invalid schema: ${error.message}`);
}
