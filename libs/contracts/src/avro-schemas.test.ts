import { mkdtemp, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAvroSchema } from './avro-types.js';
import {
  DEFAULT_AVRO_SCHEMA_DIR,
  assertBackwardTransitive,
  checkAvroSchemaFolder,
  latestAvroSchemas,
  loadAvroSchemas,
  registerSchemas,
  resolveSchemaIds,
  type AvroSchemaFile,
} from './avro-schemas.js';
import { MediaAiError } from './errors.js';
import { InProcessSchemaRegistry } from './schema-registry.js';
import { TOPICS } from './topics.js';
import { SAMPLES } from './test-support/sample-records.js';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const INTERNAL_TOPICS = [TOPICS.posts, TOPICS.photos, TOPICS.detections, TOPICS.texts, TOPICS.descriptions, TOPICS.reviews];

async function tempDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'avsc-'));
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

const record = (fields: object[], name = 'Thing'): string => JSON.stringify({ type: 'record', name, namespace: 'media_ai.v1', fields });

describe('the repository schemas', () => {
  it('are found relative to the module, at the repository root', () => {
    // src/ and dist/ are both three levels below the root: this is the same URL the built file resolves.
    expect(fileURLToPath(DEFAULT_AVRO_SCHEMA_DIR)).toBe(join(REPO_ROOT, 'schemas', 'avro') + '/');
    const fromDist = new URL('../../../schemas/avro/', new URL('../dist/avro-schemas.js', import.meta.url));
    expect(fromDist.href).toBe(DEFAULT_AVRO_SCHEMA_DIR.href);
  });

  it('cover every internal topic at version 1, in namespace media_ai.v1', async () => {
    const files = await loadAvroSchemas();
    expect(files.filter((f) => f.version === 1).map((f) => f.topic)).toEqual([...INTERNAL_TOPICS].sort());
    for (const f of files) {
      expect(f.subject).toBe(`${f.topic}-value`);
      expect(f.schema['namespace']).toBe('media_ai.v1');
      expect(f.fileName).toBe(`${f.topic}.v${f.version}.avsc`);
    }
    expect(files.find((f) => f.topic === TOPICS.posts)?.schema['name']).toBe('PostManifest');
    expect(files.find((f) => f.topic === TOPICS.detections)?.schema['name']).toBe('DetectionsRecord');
  });

  it.each(INTERNAL_TOPICS)('%s mirrors records.ts: typed samples round-trip and carry no field the schema lacks', async (topic) => {
    const latest = latestAvroSchemas(await loadAvroSchemas()).get(topic) as AvroSchemaFile;
    const type = parseAvroSchema(latest.schema);
    const samples = SAMPLES[topic] ?? [];
    expect(samples.length).toBeGreaterThan(0);
    for (const sample of samples) {
      const paths: string[] = [];
      const ok = type.isValid(sample, { noUndeclaredFields: true, errorHook: (p) => paths.push(p.join('.')) });
      expect(paths).toEqual([]);
      expect(ok).toBe(true);
      expect(type.fromBuffer(type.toBuffer(sample))).toEqual(sample);
    }
  });

  it('use the wire types the records need: long epoch ms, int counts, double confidences, string maps, null unions with null defaults', async () => {
    const latest = latestAvroSchemas(await loadAvroSchemas());
    const fields = (topic: string) => latest.get(topic)?.schema['fields'] as { name: string; type: unknown; default?: unknown }[];
    const posts = fields(TOPICS.posts);
    expect(posts.find((f) => f.name === 'received_at')?.type).toBe('long');
    expect(posts.find((f) => f.name === 'deadline_at')?.type).toBe('long');
    expect(posts.find((f) => f.name === 'revision')?.type).toBe('int');
    const title = posts.find((f) => f.name === 'post_title');
    expect(title).toMatchObject({ type: ['null', 'string'], default: null });
    expect(fields(TOPICS.detections).find((f) => f.name === 'model_versions')?.type).toEqual({ type: 'map', values: 'string' });
    expect(fields(TOPICS.texts).find((f) => f.name === 'confidence')?.type).toBe('double');
    // Every union in every schema is ["null", T] with a null default, as records.ts models T | null.
    for (const file of latest.values()) {
      const text = JSON.stringify(file.schema);
      const unions = [...text.matchAll(/"type":\[/g)].length;
      const nullUnions = [...text.matchAll(/"type":\["null",/g)].length;
      expect(unions).toBe(nullUnions);
    }
    // An epoch in ms does not fit an int: the long must really hold it.
    const type = parseAvroSchema(latest.get(TOPICS.posts)?.schema);
    expect(type.isValid({ ...SAMPLES[TOPICS.posts]?.[0], received_at: 2 ** 31 + 1 })).toBe(true);
    expect(type.isValid({ ...SAMPLES[TOPICS.posts]?.[0], revision: 2 ** 31 })).toBe(false);
  });

  it('carry the measured colours in the manifest with the photos topic NamedColor, [] for a writer without them', async () => {
    const latest = latestAvroSchemas(await loadAvroSchemas());
    const photoFields = (schema: Record<string, unknown> | undefined, name: string) =>
      (schema?.['fields'] as { name: string; type: { items: { fields: { name: string; type: unknown }[] } } }[]).find(
        (f) => f.name === name,
      )!.type.items;
    const manifestPhoto = photoFields(latest.get(TOPICS.posts)?.schema, 'photos');
    const colors = manifestPhoto.fields.find((f) => f.name === 'colors') as unknown as { type: { items: unknown }; default: unknown };
    // Same record, same full name on both topics: one NamedColor type in records.ts and in the registry.
    expect(colors.type.items).toEqual(photoFields(latest.get(TOPICS.photos)?.schema, 'colors'));
    expect(colors.default).toEqual([]);

    // A manifest written before the field existed reads with no colours rather than failing.
    const reader = parseAvroSchema(latest.get(TOPICS.posts)?.schema);
    const oldSchema = JSON.parse(JSON.stringify(latest.get(TOPICS.posts)?.schema)) as Record<string, unknown>;
    const oldPhoto = photoFields(oldSchema, 'photos');
    oldPhoto.fields = oldPhoto.fields.filter((f) => f.name !== 'colors');
    const writer = parseAvroSchema(oldSchema);
    const sample = SAMPLES[TOPICS.posts]![0] as { photos: Array<Record<string, unknown>> };
    const old = { ...sample, photos: sample.photos.map(({ colors: _c, ...rest }) => rest) };
    const read = reader.fromBuffer(writer.toBuffer(old), reader.createResolver(writer)) as { photos: Array<{ colors: unknown }> };
    expect(read.photos.map((p) => p.colors)).toEqual([[], []]);
  });

  it('are BACKWARD_TRANSITIVE compatible across versions (the CI rule)', async () => {
    expect(() => assertBackwardTransitive([])).not.toThrow();
    assertBackwardTransitive(await loadAvroSchemas());
  });
});

describe('loadAvroSchemas', () => {
  it('ignores non-.avsc files and sorts by topic then version', async () => {
    const dir = await tempDir({
      'b.topic.v2.avsc': record([{ name: 'a', type: 'string' }]),
      'b.topic.v1.avsc': record([{ name: 'a', type: 'string' }]),
      'a.topic.v1.avsc': record([{ name: 'a', type: 'int' }]),
      'README.md': '# not a schema',
    });
    const files = await loadAvroSchemas(dir);
    expect(files.map((f) => f.fileName)).toEqual(['a.topic.v1.avsc', 'b.topic.v1.avsc', 'b.topic.v2.avsc']);
    expect(latestAvroSchemas(files).get('b.topic')?.version).toBe(2);
  });

  it('orders versions numerically, not as text (v10 after v9)', async () => {
    const dir = await tempDir({ 't.v9.avsc': record([]), 't.v10.avsc': record([]) });
    const files = await loadAvroSchemas(dir);
    expect(files.map((f) => f.version)).toEqual([9, 10]);
    expect(latestAvroSchemas(files).get('t')?.version).toBe(10);
  });

  it('refuses a misnamed or invalid schema file, naming it', async () => {
    await expect(loadAvroSchemas(await tempDir({ 'posts.avsc': record([]) }))).rejects.toThrow(/posts\.avsc.*<topic>\.v<N>\.avsc/);
    await expect(loadAvroSchemas(await tempDir({ 't.v1.avsc': '{ nope' }))).rejects.toThrow(/t\.v1\.avsc: not a valid Avro schema/);
    const error = await loadAvroSchemas(
      await tempDir({ 't.v1.avsc': JSON.stringify({ type: 'record', name: 'X', fields: [{ name: 'a', type: 'nosuchtype' }] }) }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MediaAiError);
    expect((error as MediaAiError).code).toBe('MEDIA_AI_SCHEMA_REJECTED');
  });
});

describe('assertBackwardTransitive', () => {
  it('accepts a field added with a default and refuses one added without', async () => {
    const v1 = record([{ name: 'a', type: 'string' }]);
    const good = await loadAvroSchemas(
      await tempDir({
        't.v1.avsc': v1,
        't.v2.avsc': record([
          { name: 'a', type: 'string' },
          { name: 'b', type: ['null', 'string'], default: null },
        ]),
      }),
    );
    expect(() => assertBackwardTransitive(good)).not.toThrow();
    const bad = await loadAvroSchemas(
      await tempDir({
        't.v1.avsc': v1,
        't.v2.avsc': record([
          { name: 'a', type: 'string' },
          { name: 'b', type: 'string' },
        ]),
      }),
    );
    expect(() => assertBackwardTransitive(bad)).toThrow(/t\.v2\.avsc cannot read data written with t\.v1\.avsc/);
  });

  it('checks against every earlier version, not only the previous one', async () => {
    // v3 reads v2 data (b is written there) but not v1 data (no b, and v3 gives it no default):
    // BACKWARD would pass, BACKWARD_TRANSITIVE must not.
    const files = await loadAvroSchemas(
      await tempDir({
        't.v1.avsc': record([{ name: 'a', type: 'string' }]),
        't.v2.avsc': record([
          { name: 'a', type: 'string' },
          { name: 'b', type: 'string', default: '' },
        ]),
        't.v3.avsc': record([
          { name: 'a', type: 'string' },
          { name: 'b', type: 'string' },
        ]),
      }),
    );
    expect(() => assertBackwardTransitive(files.slice(1))).not.toThrow();
    expect(() => assertBackwardTransitive(files)).toThrow(/t\.v3\.avsc cannot read data written with t\.v1\.avsc/);
  });
});

describe('registerSchemas', () => {
  it('registers the latest version per topic under <topic>-value and is idempotent', async () => {
    const registry = new InProcessSchemaRegistry();
    const ids = await registerSchemas(registry);
    expect(Object.keys(ids).sort()).toEqual([...INTERNAL_TOPICS].sort());
    expect(new Set(Object.values(ids)).size).toBe(INTERNAL_TOPICS.length);
    expect(await registerSchemas(registry)).toEqual(ids);
    expect(registry.subjectNames()).toEqual(INTERNAL_TOPICS.map((t) => `${t}-value`).sort());
    const posts = JSON.parse(await readFile(join(REPO_ROOT, 'schemas/avro/media-ai.posts.v4.avsc'), 'utf8')) as object;
    expect(await registry.getSchema(ids[TOPICS.posts] as number)).toEqual(posts);
  });

  it('registers only the newest of several versions', async () => {
    const registry = new InProcessSchemaRegistry();
    const schemas = await loadAvroSchemas(
      await tempDir({
        't.v1.avsc': record([{ name: 'a', type: 'string' }]),
        't.v2.avsc': record([
          { name: 'a', type: 'string' },
          { name: 'b', type: 'int', default: 0 },
        ]),
      }),
    );
    const ids = await registerSchemas(registry, { schemas });
    expect(registry.versions('t-value')).toEqual([ids['t']]);
    expect(await registry.getSchema(ids['t'] as number)).toEqual(schemas[1]?.schema);
  });
});

describe('checkAvroSchemaFolder (what `media-ai schemas check` runs)', () => {
  it('passes the repository folder', async () => {
    const report = await checkAvroSchemaFolder();
    expect(report.problems).toEqual([]);
    expect(new Set(report.files.map((f) => f.topic))).toEqual(new Set(INTERNAL_TOPICS));
  });

  it('reports every problem at once: misnamed, unparseable, gaps and breaking versions, naming topic and files', async () => {
    const dir = await tempDir({
      'good.v1.avsc': record([{ name: 'a', type: 'string' }]),
      'good.v2.avsc': record([
        { name: 'a', type: 'string' },
        { name: 'b', type: 'int', default: 0 },
      ]),
      'gap.v1.avsc': record([{ name: 'a', type: 'string' }]),
      'gap.v3.avsc': record([{ name: 'a', type: 'string' }]),
      'broken.v1.avsc': record([{ name: 'a', type: 'string' }]),
      'broken.v2.avsc': record([{ name: 'a', type: 'long' }]),
      'nojson.v1.avsc': '{ nope',
      'unversioned.avsc': record([]),
      'notes.txt': 'ignored',
    });
    const { problems, files } = await checkAvroSchemaFolder(dir);
    expect(files.map((f) => f.fileName)).not.toContain('nojson.v1.avsc');
    expect(problems).toHaveLength(4);
    expect(problems).toContainEqual(expect.stringMatching(/^nojson\.v1\.avsc: not a valid Avro schema/));
    expect(problems).toContainEqual(expect.stringMatching(/^unversioned\.avsc: .*<topic>\.v<N>\.avsc/));
    expect(problems).toContainEqual('gap: versions must run v1, v2, ... without gaps; found v1, v3 (missing v2)');
    expect(problems).toContainEqual(
      expect.stringMatching(
        /^broken: v2 \(broken\.v2\.avsc\) cannot read data written with v1 \(broken\.v1\.avsc\), so it is not BACKWARD_TRANSITIVE compatible: /,
      ),
    );
  });

  it('requires the first version to be v1, and says when a folder has no schemas', async () => {
    expect((await checkAvroSchemaFolder(await tempDir({ 't.v2.avsc': record([]) }))).problems).toEqual([
      't: versions must run v1, v2, ... without gaps; found v2 (missing v1)',
    ]);
    expect((await checkAvroSchemaFolder(await tempDir({ 'README.md': '#' }))).problems).toEqual([expect.stringMatching(/no \.avsc files/)]);
    expect((await checkAvroSchemaFolder(join(tmpdir(), 'no-such-folder-9f2c'))).problems).toEqual([
      expect.stringMatching(/cannot read the schema folder/),
    ]);
  });
});

describe('resolveSchemaIds', () => {
  it('fails with MEDIA_AI_SCHEMA_NOT_REGISTERED before the deploy step, registers nothing, then returns the registered ids', async () => {
    const registry = new InProcessSchemaRegistry();
    const error = await resolveSchemaIds(registry).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MediaAiError);
    expect((error as MediaAiError).code).toBe('MEDIA_AI_SCHEMA_NOT_REGISTERED');
    expect((error as MediaAiError).message).toMatch(/media-ai schemas register/);
    expect(registry.subjectNames()).toEqual([]);

    const ids = await registerSchemas(registry);
    expect(await resolveSchemaIds(registry)).toEqual(ids);
  });

  it("still resolves the older release's schema after a newer version is registered (rolling deploys)", async () => {
    const registry = new InProcessSchemaRegistry();
    const v1 = await loadAvroSchemas(await tempDir({ 't.v1.avsc': record([{ name: 'a', type: 'string' }]) }));
    const v2 = await loadAvroSchemas(
      await tempDir({
        't.v1.avsc': record([{ name: 'a', type: 'string' }]),
        't.v2.avsc': record([
          { name: 'a', type: 'string' },
          { name: 'b', type: 'int', default: 0 },
        ]),
      }),
    );
    const old = await registerSchemas(registry, { schemas: v1 });
    const current = await registerSchemas(registry, { schemas: v2 });
    expect(await resolveSchemaIds(registry, { schemas: v1 })).toEqual(old);
    expect(await resolveSchemaIds(registry, { schemas: v2 })).toEqual(current);
  });
});
