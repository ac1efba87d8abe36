import { randomBytes } from 'node:crypto';
import { encode as confluentWireEncode } from '@kafkajs/confluent-schema-registry/dist/wireEncoder.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadAvroSchemas, latestAvroSchemas, registerSchemas, type AvroSchemaFile } from './avro-schemas.js';
import { parseAvroSchema } from './avro-types.js';
import { createCodecs, type CreateCodecsOptions } from './codecs.js';
import { MediaAiError } from './errors.js';
import { InProcessSchemaRegistry, subjectForTopic, type SchemaRegistryClient } from './schema-registry.js';
import { TOPICS } from './topics.js';
import { SAMPLES, manifest, photo } from './test-support/sample-records.js';
import { failureOf } from './test-support/failure-of.js';

const ENRICHMENT = 'posts.enhancements';
const DLQ = TOPICS.deadLetter;

/** A registry that counts lookups and can be made to fail like an unreachable server. */
class CountingRegistry implements SchemaRegistryClient {
  lookups = 0;
  down = false;
  constructor(private readonly inner: SchemaRegistryClient) {}
  register(subject: string, schema: object): Promise<number> {
    return this.inner.register(subject, schema);
  }
  lookup(subject: string, schema: object): Promise<number | null> {
    return this.inner.lookup(subject, schema);
  }
  async getSchema(id: number): Promise<object> {
    this.lookups++;
    if (this.down) throw new Error('connect ECONNREFUSED 127.0.0.1:8081');
    return this.inner.getSchema(id);
  }
}

let files: AvroSchemaFile[];
beforeAll(async () => {
  files = await loadAvroSchemas();
});

async function setup(extra: Partial<CreateCodecsOptions> = {}) {
  const registry = new CountingRegistry(new InProcessSchemaRegistry());
  const schemaIds = await registerSchemas(registry, { schemas: files });
  const codecs = createCodecs({ registry, schemaIds, enrichmentTopic: ENRICHMENT, deadLetterTopic: DLQ, ...extra });
  return { registry, schemaIds, codecs };
}

const header = (id: number, magic = 0): Buffer => {
  const b = Buffer.alloc(5);
  b.writeUInt8(magic, 0);
  b.writeUInt32BE(id, 1);
  return b;
};

describe('Avro codecs (Confluent wire format)', () => {
  it.each(Object.keys(SAMPLES))('%s: encodes 0x00 + big-endian id + Avro body, and decodes back', async (topic) => {
    const { codecs, schemaIds } = await setup();
    const id = schemaIds[topic] as number;
    const type = parseAvroSchema(latestAvroSchemas(files).get(topic)?.schema);
    for (const sample of SAMPLES[topic] ?? []) {
      const bytes = await codecs.forTopic(topic).encode(sample);
      expect(bytes[0]).toBe(0);
      expect(bytes.readUInt32BE(1)).toBe(id);
      // Byte-identical to what @kafkajs/confluent-schema-registry writes for the same id and body.
      expect(bytes.equals(confluentWireEncode(id, type.toBuffer(sample)))).toBe(true);
      expect(await codecs.forTopic(topic).decode(bytes)).toEqual(sample);
    }
  });

  it('writes a schema id above 2^24 in all four bytes', async () => {
    const registry = new InProcessSchemaRegistry();
    const id = await registry.register(subjectForTopic(TOPICS.photos), latestAvroSchemas(files).get(TOPICS.photos)?.schema as object);
    const bigId = 0x01020304;
    const shifted: SchemaRegistryClient = {
      register: () => Promise.resolve(bigId),
      lookup: () => Promise.resolve(bigId),
      getSchema: (n) => registry.getSchema(n === bigId ? id : -1),
    };
    const codecs = createCodecs({
      registry: shifted,
      schemaIds: { [TOPICS.photos]: bigId },
      enrichmentTopic: ENRICHMENT,
      deadLetterTopic: DLQ,
    });
    const bytes = await codecs.forTopic(TOPICS.photos).encode(photo);
    expect([...bytes.subarray(0, 5)]).toEqual([0, 1, 2, 3, 4]);
    expect(await codecs.forTopic(TOPICS.photos).decode(bytes)).toEqual(photo);
  });

  it('refuses to encode a value that does not match the schema, naming the field path', async () => {
    const { codecs } = await setup();
    const posts = codecs.forTopic(TOPICS.posts);
    const wrongEnum = { ...manifest, photos: [{ ...manifest.photos[0], status: 'maybe' }] };
    const e1 = await failureOf(posts.encode(wrongEnum));
    expect(e1.code).toBe('MEDIA_AI_BAD_RECORD');
    expect(e1.message).toContain('photos.0.status');

    const { event_id: _omitted, ...missing } = manifest;
    expect((await failureOf(posts.encode(missing))).message).toContain('event_id');
    expect((await failureOf(posts.encode({ ...manifest, photos: [{ ...manifest.photos[0], url: undefined }] }))).message).toContain(
      'photos.0.url',
    );
    // Avro semantics: a field with a default may be left out and is written as its default (null).
    const { post_title: _title, ...withoutTitle } = manifest;
    expect(await posts.decode(await posts.encode(withoutTitle))).toEqual({ ...manifest, post_title: null });
    // A misspelt extra field is a bug in the producing stage, not something to drop silently.
    expect((await failureOf(posts.encode({ ...manifest, post_titel: 'x' }))).code).toBe('MEDIA_AI_BAD_RECORD');
    expect((await failureOf(posts.encode({ ...manifest, received_at: 1.5 }))).message).toContain('received_at');
    expect((await failureOf(posts.encode(null))).code).toBe('MEDIA_AI_BAD_RECORD');
  });

  it('refuses wrong magic, short and truncated records as MEDIA_AI_BAD_RECORD', async () => {
    const { codecs } = await setup();
    const posts = codecs.forTopic(TOPICS.posts);
    const good = await posts.encode(manifest);
    const wrongMagic = Buffer.from(good);
    wrongMagic[0] = 0x7b; // '{': somebody wrote JSON on an Avro topic
    expect((await failureOf(posts.decode(wrongMagic))).message).toMatch(/magic byte is 0x7b/);
    expect((await failureOf(posts.decode(Buffer.alloc(0)))).code).toBe('MEDIA_AI_BAD_RECORD');
    expect((await failureOf(posts.decode(good.subarray(0, 4)))).code).toBe('MEDIA_AI_BAD_RECORD');
    expect((await failureOf(posts.decode(good.subarray(0, good.length - 3)))).code).toBe('MEDIA_AI_BAD_RECORD');
    expect((await failureOf(posts.decode(Buffer.concat([good, Buffer.from([1, 2])])))).code).toBe('MEDIA_AI_BAD_RECORD');
    expect((await failureOf(posts.decode('not bytes' as unknown as Buffer))).code).toBe('MEDIA_AI_BAD_RECORD');
  });

  it('never throws anything but a MediaAiError on random bodies, and returns only valid records', async () => {
    const { codecs, schemaIds } = await setup();
    const topic = TOPICS.texts;
    const type = parseAvroSchema(latestAvroSchemas(files).get(topic)?.schema);
    for (let i = 0; i < 300; i++) {
      const bytes = Buffer.concat([header(schemaIds[topic] as number), randomBytes(1 + (i % 64))]);
      try {
        const value = await codecs.forTopic(topic).decode(bytes);
        expect(type.isValid(value)).toBe(true);
      } catch (error) {
        expect(error).toBeInstanceOf(MediaAiError);
        expect((error as MediaAiError).code).toBe('MEDIA_AI_BAD_RECORD');
      }
    }
  });

  it('answers an unknown schema id with MEDIA_AI_UNKNOWN_SCHEMA and caches that answer', async () => {
    let now = 1_000;
    const { codecs, registry } = await setup({ now: () => now, unknownSchemaTtlMs: 60_000 });
    const bytes = Buffer.concat([header(999), Buffer.from([0])]);
    const posts = codecs.forTopic(TOPICS.posts);
    expect((await failureOf(posts.decode(bytes))).code).toBe('MEDIA_AI_UNKNOWN_SCHEMA');
    const afterFirst = registry.lookups;
    expect((await failureOf(posts.decode(bytes))).code).toBe('MEDIA_AI_UNKNOWN_SCHEMA');
    expect((await failureOf(codecs.forTopic(TOPICS.photos).decode(bytes))).code).toBe('MEDIA_AI_UNKNOWN_SCHEMA');
    expect(registry.lookups).toBe(afterFirst);
    // After the expiry the registry is asked again (a lagging replica may know it by now).
    now += 60_001;
    await failureOf(posts.decode(bytes));
    expect(registry.lookups).toBe(afterFirst + 1);
  });

  it('keeps the negative cache bounded when corrupt headers carry ever new ids', async () => {
    const { codecs, registry } = await setup();
    const posts = codecs.forTopic(TOPICS.posts);
    const garbage = (id: number) => Buffer.concat([header(id), Buffer.from([0])]);
    await failureOf(posts.decode(garbage(100_000)));
    for (let id = 100_001; id < 100_001 + 1100; id++) await failureOf(posts.decode(garbage(id)));
    const before = registry.lookups;
    // The oldest entry was evicted, so the registry is asked again; the newest is still cached.
    await failureOf(posts.decode(garbage(100_000)));
    await failureOf(posts.decode(garbage(100_001 + 1099)));
    expect(registry.lookups).toBe(before + 1);
  });

  it('treats a registry answer that is not Avro as an unknown schema', async () => {
    const broken: SchemaRegistryClient = {
      register: () => Promise.resolve(1),
      lookup: () => Promise.resolve(1),
      getSchema: () => Promise.resolve({ type: 'record', name: 'X' }),
    };
    const codecs = createCodecs({ registry: broken, schemaIds: { [TOPICS.posts]: 1 }, enrichmentTopic: ENRICHMENT, deadLetterTopic: DLQ });
    expect((await failureOf(codecs.forTopic(TOPICS.posts).decode(Buffer.concat([header(1), Buffer.from([0])])))).code).toBe(
      'MEDIA_AI_UNKNOWN_SCHEMA',
    );
  });

  it('decodes a plain Uint8Array (in-process transports) like a Buffer', async () => {
    const { codecs } = await setup();
    const posts = codecs.forTopic(TOPICS.posts);
    const bytes = await posts.encode(manifest);
    const copy = new Uint8Array(bytes.length + 3).subarray(3);
    copy.set(bytes);
    expect(await posts.decode(copy as Buffer)).toEqual(manifest);
  });

  it('looks each writer schema up once, even for a burst of records', async () => {
    const { codecs, registry } = await setup();
    const posts = codecs.forTopic(TOPICS.posts);
    const bytes = await posts.encode(manifest);
    await Promise.all(Array.from({ length: 20 }, () => posts.decode(bytes)));
    await posts.decode(bytes);
    expect(registry.lookups).toBe(1);
  });

  it('does not cache a registry outage: the error is retryable and the next try succeeds', async () => {
    const { codecs, registry } = await setup();
    const posts = codecs.forTopic(TOPICS.posts);
    registry.down = true;
    const error = await posts.encode(manifest).catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(MediaAiError);
    expect(String(error)).toMatch(/ECONNREFUSED/);
    registry.down = false;
    const bytes = await posts.encode(manifest);
    expect(await posts.decode(bytes)).toEqual(manifest);
  });

  it('reads records written with an older schema version into the current one (and newer into older)', async () => {
    const registry = new InProcessSchemaRegistry();
    const v1 = latestAvroSchemas(files).get(TOPICS.posts)?.schema as { fields: object[] };
    const v2 = { ...v1, fields: [...v1.fields, { name: 'priority', type: 'int', default: 0 }] };
    const oldId = await registry.register(subjectForTopic(TOPICS.posts), v1);
    const newId = await registry.register(subjectForTopic(TOPICS.posts), v2);
    const opts = { registry, enrichmentTopic: ENRICHMENT, deadLetterTopic: DLQ };
    const oldCodec = createCodecs({ ...opts, schemaIds: { [TOPICS.posts]: oldId } }).forTopic(TOPICS.posts);
    const newCodec = createCodecs({ ...opts, schemaIds: { [TOPICS.posts]: newId } }).forTopic(TOPICS.posts);

    const written = await oldCodec.encode(manifest);
    expect(written.readUInt32BE(1)).toBe(oldId);
    expect(await newCodec.decode(written)).toEqual({ ...manifest, priority: 0 });

    const newer = await newCodec.encode({ ...manifest, priority: 7 });
    expect(await oldCodec.decode(newer)).toEqual(manifest);
  });

  it('reads media-ai.photos v4 faces (no keypoints) as keypoints null, and v5 faces with keypoints back as written', async () => {
    const registry = new InProcessSchemaRegistry();
    const version = (n: number) => files.find((f) => f.topic === TOPICS.photos && f.version === n)?.schema as object;
    const v4Id = await registry.register(subjectForTopic(TOPICS.photos), version(4));
    const v5Id = await registry.register(subjectForTopic(TOPICS.photos), version(5));
    const opts = { registry, enrichmentTopic: ENRICHMENT, deadLetterTopic: DLQ };
    const v4 = createCodecs({ ...opts, schemaIds: { [TOPICS.photos]: v4Id } }).forTopic(TOPICS.photos);
    const v5 = createCodecs({ ...opts, schemaIds: { [TOPICS.photos]: v5Id } }).forTopic(TOPICS.photos);
    const faces = photo.faces ?? [];
    expect(faces.some((f) => f.keypoints?.length === 6)).toBe(true);

    // A v4 writer knows no keypoints: what it wrote reads with keypoints null (the release then blurs around the box).
    const boxesOnly = { ...photo, faces: faces.map(({ confidence, box }) => ({ confidence, box })) };
    const old = await v4.encode(boxesOnly);
    expect(old.readUInt32BE(1)).toBe(v4Id);
    expect(await v5.decode(old)).toEqual({ ...photo, faces: faces.map(({ confidence, box }) => ({ confidence, box, keypoints: null })) });

    // v5 round trip keeps every keypoint; a v4 reader of v5 data still gets its boxes.
    const written = await v5.encode(photo);
    expect(await v5.decode(written)).toEqual(photo);
    expect(await v4.decode(written)).toEqual(boxesOnly);
  });

  it('refuses a record of another topic (its writer cannot be read as this reader)', async () => {
    const { codecs } = await setup();
    const photoBytes = await codecs.forTopic(TOPICS.photos).encode(photo);
    const error = await failureOf(codecs.forTopic(TOPICS.posts).decode(photoBytes));
    expect(error.code).toBe('MEDIA_AI_BAD_RECORD');
    expect(error.message).toMatch(/PhotoRecord.*cannot be read as .*PostManifest/);
  });

  it('refuses a schema id that is not a 32-bit integer when the codecs are built', () => {
    const registry = new InProcessSchemaRegistry();
    expect(() => createCodecs({ registry, schemaIds: { [TOPICS.posts]: -1 }, enrichmentTopic: ENRICHMENT, deadLetterTopic: DLQ })).toThrow(
      /32-bit/,
    );
  });
});

describe('JSON codecs at the edges', () => {
  const event = { id: 'e1', event_type: 'post.created', payload: { post: { id: 'p1', title: 'Lost ✓ wallet' } } };

  it('round-trip UTF-8 JSON on posts.events and on the configured enrichment topic', async () => {
    const { codecs } = await setup();
    for (const topic of [TOPICS.postsEvents, ENRICHMENT]) {
      const bytes = await codecs.forTopic(topic).encode(event);
      expect(bytes.toString('utf8')).toBe(JSON.stringify(event));
      expect(await codecs.forTopic(topic).decode(bytes)).toEqual(event);
    }
  });

  it('refuse bad JSON and invalid UTF-8 with MEDIA_AI_BAD_EVENT', async () => {
    const { codecs } = await setup();
    for (const topic of [TOPICS.postsEvents, ENRICHMENT]) {
      const codec = codecs.forTopic(topic);
      expect((await failureOf(codec.decode(Buffer.from('{"id": ')))).code).toBe('MEDIA_AI_BAD_EVENT');
      expect((await failureOf(codec.decode(Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d])))).code).toBe('MEDIA_AI_BAD_EVENT');
      expect((await failureOf(codec.decode(Buffer.alloc(0)))).code).toBe('MEDIA_AI_BAD_EVENT');
    }
  });

  it('refuse values that have no JSON form', async () => {
    const { codecs } = await setup();
    const codec = codecs.forTopic(ENRICHMENT);
    expect((await failureOf(codec.encode({ n: 1n }))).code).toBe('MEDIA_AI_BAD_RECORD');
    expect((await failureOf(codec.encode(undefined))).code).toBe('MEDIA_AI_BAD_RECORD');
  });

  it('honour a renamed input topic', async () => {
    const { codecs } = await setup({ postsEventsTopics: ['dev.posts.events'] });
    expect(await codecs.forTopic('dev.posts.events').decode(Buffer.from('{"a":1}'))).toEqual({ a: 1 });
    expect(() => codecs.forTopic(TOPICS.postsEvents)).toThrow(/No codec for topic "posts\.events"/);
  });
});

describe('dead-letter codec and topic lookup', () => {
  it('passes raw bytes through untouched, whatever they are', async () => {
    const { codecs } = await setup();
    const dlq = codecs.forTopic(DLQ);
    const junk = Buffer.from([0xff, 0x00, 0x13, 0x37]);
    expect((await dlq.encode(junk)).equals(junk)).toBe(true);
    expect(((await dlq.decode(junk)) as Buffer).equals(junk)).toBe(true);
    expect((await dlq.encode(new Uint8Array([1, 2, 3]))).equals(Buffer.from([1, 2, 3]))).toBe(true);
    expect((await failureOf(dlq.encode('text'))).code).toBe('MEDIA_AI_BAD_RECORD');
  });

  it('throws a clear error for a topic it has no codec for', async () => {
    const { codecs } = await setup();
    expect(() => codecs.forTopic('media-ai.unknown')).toThrow(/No codec for topic "media-ai\.unknown"; known topics: .*media-ai\.posts/);
  });

  it('returns the same codec for a topic every time (caches are per process, not per call)', async () => {
    const { codecs } = await setup();
    expect(codecs.forTopic(TOPICS.posts)).toBe(codecs.forTopic(TOPICS.posts));
  });
});
