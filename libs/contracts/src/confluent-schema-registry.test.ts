/**
 * The Confluent adapter through the real @kafkajs/confluent-schema-registry client, against the
 * stand-in registry server (a real HTTP server on 127.0.0.1). With MEDIA_AI_TEST_SCHEMA_REGISTRY_URL
 * set (and optionally ..._USERNAME / ..._PASSWORD), the same cases run against that registry
 * instead, under subjects with a random prefix; the cases that need the stand-in's controls
 * (request counts, failWith, its own credentials) are skipped then.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { latestAvroSchemas, loadAvroSchemas, registerSchemas, resolveSchemaIds, type AvroSchemaFile } from './avro-schemas.js';
import { parseAvroSchema } from './avro-types.js';
import { createCodecs } from './codecs.js';
import { ConfluentSchemaRegistryClient, type ConfluentSchemaRegistryClientOptions } from './confluent-schema-registry.js';
import { subjectForTopic } from './schema-registry.js';
import { TOPICS } from './topics.js';
import { startSchemaRegistryServer, type SchemaRegistryServer } from './test-support/schema-registry-server.js';
import { SAMPLES, detections } from './test-support/sample-records.js';
import { failureOf } from './test-support/failure-of.js';

const REAL_URL = process.env['MEDIA_AI_TEST_SCHEMA_REGISTRY_URL'];
const REAL_AUTH = {
  ...(process.env['MEDIA_AI_TEST_SCHEMA_REGISTRY_USERNAME'] ? { username: process.env['MEDIA_AI_TEST_SCHEMA_REGISTRY_USERNAME'] } : {}),
  ...(process.env['MEDIA_AI_TEST_SCHEMA_REGISTRY_PASSWORD'] ? { password: process.env['MEDIA_AI_TEST_SCHEMA_REGISTRY_PASSWORD'] } : {}),
};
/** Cases that need the stand-in's controls. */
const standInOnly = it.skipIf(REAL_URL !== undefined);

const ENRICHMENT = 'posts.enhancements';
const DLQ = TOPICS.deadLetter;

let repoFiles: AvroSchemaFile[];
beforeAll(async () => {
  repoFiles = await loadAvroSchemas();
});

const servers: SchemaRegistryServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

interface Target {
  /** The stand-in, or undefined against a real registry. */
  server: SchemaRegistryServer | undefined;
  registry: ConfluentSchemaRegistryClient;
  /** Topic names unique to this case, so a shared real registry keeps cases apart. */
  topic(name: string): string;
  /** The repository's schemas, renamed onto this case's topics. */
  files: AvroSchemaFile[];
}

async function target(options: Partial<ConfluentSchemaRegistryClientOptions> = {}): Promise<Target> {
  let server: SchemaRegistryServer | undefined;
  let url = REAL_URL;
  if (!url) {
    server = await startSchemaRegistryServer();
    servers.push(server);
    url = server.url;
  }
  const prefix = `t${randomUUID().slice(0, 8)}.`;
  const topic = (name: string) => `${prefix}${name}`;
  const files = repoFiles.map((f) => ({ ...f, topic: topic(f.topic), subject: subjectForTopic(topic(f.topic)) }));
  const registry = new ConfluentSchemaRegistryClient({ url, ...REAL_AUTH, retries: 0, ...options });
  return { server, registry, topic, files };
}

const header = (id: number): Buffer => {
  const b = Buffer.alloc(5);
  b.writeUInt32BE(id, 1);
  return b;
};

function schemaOf(files: readonly AvroSchemaFile[], topic: string): Record<string, unknown> {
  return latestAvroSchemas(files).get(topic)?.schema as Record<string, unknown>;
}

describe('ConfluentSchemaRegistryClient (through @kafkajs/confluent-schema-registry)', () => {
  it('registers, looks up and reads back a schema unchanged (docs and enum defaults included)', async () => {
    const { registry, topic, files, server } = await target();
    const subject = subjectForTopic(topic(TOPICS.detections));
    const schema = schemaOf(files, topic(TOPICS.detections));

    expect(await registry.lookup(subject, schema)).toBeNull();
    const id = await registry.register(subject, schema);
    expect(await registry.register(subject, schema)).toBe(id);
    expect(await registry.lookup(subject, schema)).toBe(id);
    // Same schema, another subject: not registered there (lookups are per subject).
    expect(await registry.lookup(subjectForTopic(topic('elsewhere')), schema)).toBeNull();
    // Another schema, same subject: not registered either (Confluent 40403 rather than 40401).
    expect(await registry.lookup(subject, { ...schema, doc: 'another schema' })).toBeNull();

    // Lossless: the reader schema needs its enum default to read newer writers (see below).
    expect(await registry.getSchema(id)).toEqual(schema);
    // The subject got the project's level at its first registration.
    if (server) expect(server.registry.subjectCompatibility(subject)).toBe('BACKWARD_TRANSITIVE');
  });

  it('backs the Avro codecs: every sample round-trips in the Confluent wire format', async () => {
    const { registry, topic, files } = await target();
    const schemaIds = await registerSchemas(registry, { schemas: files });
    const codecs = createCodecs({ registry, schemaIds, enrichmentTopic: ENRICHMENT, deadLetterTopic: DLQ });
    for (const [name, samples] of Object.entries(SAMPLES)) {
      const codec = codecs.forTopic(topic(name));
      // What the newest schema makes of a sample (fields added since it was written take their defaults).
      const type = parseAvroSchema(schemaOf(files, topic(name)));
      for (const sample of samples) {
        const bytes = await codec.encode(sample);
        expect(bytes.readUInt32BE(1)).toBe(schemaIds[topic(name)]);
        expect(await codec.decode(bytes)).toEqual(type.fromBuffer(type.toBuffer(sample)));
      }
    }
  });

  it('lets an older pod read a newer writer: the enum default it reads back from the registry resolves a new symbol', async () => {
    const { registry, topic, files } = await target();
    const subject = subjectForTopic(topic(TOPICS.detections));
    const v1 = schemaOf(files, topic(TOPICS.detections)) as { fields: { name: string; type: unknown }[] };
    const v2 = {
      ...v1,
      fields: v1.fields.map((f) =>
        f.name === 'status' ? { ...f, type: { ...(f.type as object), symbols: ['ok', 'failed', 'skipped'] } } : f,
      ),
    };
    const oldId = await registry.register(subject, v1);
    const newId = await registry.register(subject, v2);
    const codecsFor = (id: number) =>
      createCodecs({ registry, schemaIds: { [topic(TOPICS.detections)]: id }, enrichmentTopic: ENRICHMENT, deadLetterTopic: DLQ }).forTopic(
        topic(TOPICS.detections),
      );
    const written = await codecsFor(newId).encode({ ...detections, status: 'skipped' });
    expect(await codecsFor(oldId).decode(written)).toEqual({ ...detections, status: 'failed' });
  });

  it('answers an unknown id with MEDIA_AI_UNKNOWN_SCHEMA (not retryable)', async () => {
    const { registry } = await target();
    const error = await failureOf(registry.getSchema(2_147_483_000));
    expect(error.code).toBe('MEDIA_AI_UNKNOWN_SCHEMA');
    expect(error.retryable).toBe(false);
  });

  standInOnly('asks the registry once for an unknown id, however many records carry it (negative cache)', async () => {
    const { registry, topic, files, server } = await target();
    const schemaIds = await registerSchemas(registry, { schemas: files });
    const codecs = createCodecs({ registry, schemaIds, enrichmentTopic: ENRICHMENT, deadLetterTopic: DLQ });
    const posts = codecs.forTopic(topic(TOPICS.posts));
    const record = Buffer.concat([header(9999), Buffer.from([0])]);

    const burst = await Promise.all(Array.from({ length: 25 }, () => failureOf(posts.decode(record))));
    expect(new Set(burst.map((e) => e.code))).toEqual(new Set(['MEDIA_AI_UNKNOWN_SCHEMA']));
    for (let i = 0; i < 10; i++) expect((await failureOf(posts.decode(record))).code).toBe('MEDIA_AI_UNKNOWN_SCHEMA');
    expect(server?.requests('GET /schemas/ids/9999')).toBe(1);
  });

  standInOnly('reports a 503 as a retryable outage, never as unknown, and does not cache it', async () => {
    const { registry, topic, files, server } = await target();
    const schemaIds = await registerSchemas(registry, { schemas: files });
    const id = schemaIds[topic(TOPICS.posts)] as number;
    const posts = createCodecs({ registry, schemaIds, enrichmentTopic: ENRICHMENT, deadLetterTopic: DLQ }).forTopic(topic(TOPICS.posts));
    const [sample] = SAMPLES[TOPICS.posts] ?? [];

    server?.failWith(503);
    const error = await failureOf(posts.encode(sample));
    expect(error.code).toBe('MEDIA_AI_SCHEMA_REGISTRY_UNAVAILABLE');
    expect(error.retryable).toBe(true);
    expect(error.outage).toBe(true);
    expect(error.message).toMatch(/HTTP 503/);
    expect((await failureOf(registry.getSchema(id))).code).toBe('MEDIA_AI_SCHEMA_REGISTRY_UNAVAILABLE');
    expect((await failureOf(registry.lookup(subjectForTopic(topic(TOPICS.posts)), {}))).code).toBe('MEDIA_AI_SCHEMA_REGISTRY_UNAVAILABLE');

    server?.failWith(null);
    const bytes = await posts.encode(sample);
    expect(await posts.decode(bytes)).toEqual(sample);
    // Two failed tries (codec, direct) and the one that worked: nothing was cached during the outage.
    expect(server?.requests(`GET /schemas/ids/${id}`)).toBe(3);
  });

  standInOnly('retries a failed GET inside one call as configured', async () => {
    const { registry, server } = await target({ retries: 2 });
    server?.failWith(503);
    expect((await failureOf(registry.getSchema(1))).code).toBe('MEDIA_AI_SCHEMA_REGISTRY_UNAVAILABLE');
    expect(server?.requests('GET /schemas/ids/1')).toBe(3);
  });

  standInOnly('reports an unreachable or hanging registry as a retryable outage', async () => {
    const closed = await startSchemaRegistryServer();
    await closed.close();
    const gone = new ConfluentSchemaRegistryClient({ url: closed.url, retries: 0 });
    const refused = await failureOf(gone.getSchema(1));
    expect(refused.code).toBe('MEDIA_AI_SCHEMA_REGISTRY_UNAVAILABLE');
    expect(refused.message).toMatch(/ECONNREFUSED/);

    const silent: Server = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as AddressInfo;
      const hanging = new ConfluentSchemaRegistryClient({ url: `http://127.0.0.1:${port}`, retries: 0, requestTimeoutMs: 200 });
      const started = Date.now();
      const timedOut = await failureOf(hanging.getSchema(1));
      expect(timedOut.code).toBe('MEDIA_AI_SCHEMA_REGISTRY_UNAVAILABLE');
      expect(timedOut.message).toMatch(/Timeout/i);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  standInOnly('sends basic auth; wrong or missing credentials are a retryable outage naming the variables, never "unknown"', async () => {
    const server = await startSchemaRegistryServer({ username: 'api-key', password: 's3cret' });
    servers.push(server);
    const schema = schemaOf(repoFiles, TOPICS.posts);
    const good = new ConfluentSchemaRegistryClient({ url: server.url, username: 'api-key', password: 's3cret', retries: 0 });
    const id = await good.register('auth-value', schema);
    expect(await good.getSchema(id)).toEqual(schema);

    for (const bad of [
      new ConfluentSchemaRegistryClient({ url: server.url, retries: 0 }),
      new ConfluentSchemaRegistryClient({ url: server.url, username: 'api-key', password: 'nope', retries: 0 }),
    ]) {
      const error = await failureOf(bad.getSchema(id));
      expect(error.code).toBe('MEDIA_AI_SCHEMA_REGISTRY_UNAVAILABLE');
      expect(error.message).toMatch(/401.*SCHEMA_REGISTRY_USERNAME/);
      expect(error.message).not.toContain('s3cret');
      expect((await failureOf(bad.register('auth-value', schema))).code).toBe('MEDIA_AI_SCHEMA_REGISTRY_UNAVAILABLE');
    }
  });

  it('refuses an incompatible schema with MEDIA_AI_SCHEMA_REJECTED, and tests compatibility without registering', async () => {
    const { registry, topic, files, server } = await target();
    const subject = subjectForTopic(topic(TOPICS.posts));
    const v1 = schemaOf(files, topic(TOPICS.posts)) as { fields: object[] };
    const breaking = { ...v1, fields: [...v1.fields, { name: 'priority', type: 'int' }] };
    const compatible = { ...v1, fields: [...v1.fields, { name: 'priority', type: 'int', default: 0 }] };

    // Nothing registered yet: anything goes.
    expect(await registry.testCompatibility(subject, breaking)).toEqual({ compatible: true, messages: [] });
    await registry.register(subject, v1);
    const verdict = await registry.testCompatibility(subject, breaking);
    expect(verdict.compatible).toBe(false);
    expect(verdict.messages.join('\n')).toMatch(/priority/);
    expect((await registry.testCompatibility(subject, compatible)).compatible).toBe(true);

    const refused = await failureOf(registry.register(subject, breaking));
    expect(refused.code).toBe('MEDIA_AI_SCHEMA_REJECTED');
    expect(refused.details['reason']).toBe('incompatible');
    if (server) expect(server.registry.versions(subject)).toHaveLength(1);
  });

  standInOnly('refuses to register under a subject configured with another compatibility level', async () => {
    const { registry, server } = await target();
    server?.registry.setCompatibility('NONE', 'loose-value');
    const error = await failureOf(registry.register('loose-value', schemaOf(repoFiles, TOPICS.posts)));
    expect(error.code).toBe('MEDIA_AI_SCHEMA_REJECTED');
    expect(error.message).toMatch(/BACKWARD_TRANSITIVE/);
    expect(server?.registry.subjectNames()).toEqual([]);
  });
});

describe('resolveSchemaIds over the Confluent adapter (pods look up, they do not register)', () => {
  it('fails naming every missing subject and the deploy command, then resolves what registerSchemas registered', async () => {
    const { registry, files, server } = await target();
    const error = await failureOf(resolveSchemaIds(registry, { schemas: files }));
    expect(error.code).toBe('MEDIA_AI_SCHEMA_NOT_REGISTERED');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('media-ai schemas register');
    for (const file of latestAvroSchemas(files).values()) expect(error.message).toContain(file.subject);
    // Looking up registered nothing.
    if (server) {
      expect(server.requests('POST /subjects/{subject}/versions')).toBe(0);
      expect(server.registry.subjectNames()).toEqual([]);
    }

    const registered = await registerSchemas(registry, { schemas: files });
    expect(await resolveSchemaIds(registry, { schemas: files })).toEqual(registered);
  });

  it('names only the subjects still missing when some are registered', async () => {
    const { registry, topic, files } = await target();
    const posts = latestAvroSchemas(files).get(topic(TOPICS.posts)) as AvroSchemaFile;
    await registry.register(posts.subject, posts.schema);
    const error = await failureOf(resolveSchemaIds(registry, { schemas: files }));
    expect(error.message).not.toContain(posts.subject);
    expect(error.message).toContain(subjectForTopic(topic(TOPICS.photos)));
  });
});
