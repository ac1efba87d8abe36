import { describe, expect, it } from 'vitest';
import { MediaAiError } from './errors.js';
import { InProcessSchemaRegistry, subjectForTopic, type SchemaRegistryClient } from './schema-registry.js';

const v1 = { type: 'record', name: 'Thing', namespace: 'media_ai.v1', fields: [{ name: 'a', type: 'string' }] };
const v2 = { ...v1, fields: [...v1.fields, { name: 'b', type: ['null', 'string'], default: null }] };
const other = { type: 'record', name: 'Other', namespace: 'media_ai.v1', fields: [{ name: 'x', type: 'int' }] };

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MediaAiError);
  return (error as MediaAiError).code;
}

describe('subjectForTopic', () => {
  it('follows the TopicNameStrategy for values', () => {
    expect(subjectForTopic('media-ai.posts')).toBe('media-ai.posts-value');
  });
});

describe('InProcessSchemaRegistry', () => {
  it('implements the client interface the codecs use', () => {
    const client: SchemaRegistryClient = new InProcessSchemaRegistry();
    expect(typeof client.register).toBe('function');
  });

  it('gives the same schema the same id (idempotent start-up) and new schemas increasing ids from 1', async () => {
    const registry = new InProcessSchemaRegistry();
    const a = await registry.register('t-value', v1);
    expect(a).toBe(1);
    expect(await registry.register('t-value', v1)).toBe(a);
    expect(await registry.register('u-value', other)).toBe(2);
    expect(await registry.register('t-value', v2)).toBe(3);
    expect(registry.versions('t-value')).toEqual([1, 3]);
  });

  it('ignores key order and whitespace but not field order when recognising a schema', async () => {
    const registry = new InProcessSchemaRegistry({ compatibility: 'NONE' });
    const id = await registry.register('t-value', v1);
    const reordered = JSON.parse(
      `{ "fields": [ {"type":"string","name":"a"} ], "namespace":"media_ai.v1", "name": "Thing", "type": "record" }`,
    ) as object;
    expect(await registry.register('t-value', reordered)).toBe(id);
    const swapped = { ...v2, fields: [...v2.fields].reverse() };
    expect(await registry.register('t-value', swapped)).not.toBe(id);
  });

  it('shares ids across subjects, as Confluent does (ids are global)', async () => {
    const registry = new InProcessSchemaRegistry();
    const a = await registry.register('t-value', v1);
    expect(await registry.register('copy-value', v1)).toBe(a);
    expect(registry.versions('copy-value')).toEqual([a]);
    expect(registry.subjectNames()).toEqual(['copy-value', 't-value']);
  });

  it('returns the registered schema by id, as a copy', async () => {
    const registry = new InProcessSchemaRegistry();
    const id = await registry.register('t-value', v1);
    const got = (await registry.getSchema(id)) as { fields: unknown[] };
    expect(got).toEqual(v1);
    got.fields.push({ name: 'evil', type: 'int' });
    expect(await registry.getSchema(id)).toEqual(v1);
  });

  it('answers an unknown id with MEDIA_AI_UNKNOWN_SCHEMA', async () => {
    const registry = new InProcessSchemaRegistry();
    expect(await codeOf(registry.getSchema(42))).toBe('MEDIA_AI_UNKNOWN_SCHEMA');
  });

  it('refuses schemas that are not valid Avro', async () => {
    const registry = new InProcessSchemaRegistry();
    expect(await codeOf(registry.register('t-value', { type: 'record', name: 'X', fields: [{ name: 'a', type: 'nope' }] }))).toBe(
      'MEDIA_AI_SCHEMA_REJECTED',
    );
    expect(await codeOf(registry.register('', v1))).toBe('MEDIA_AI_SCHEMA_REJECTED');
    expect(registry.subjectNames()).toEqual([]);
  });

  it('refuses a change that breaks backward compatibility and keeps the subject unchanged', async () => {
    const registry = new InProcessSchemaRegistry();
    await registry.register('t-value', v1);
    const breaking = { ...v1, fields: [...v1.fields, { name: 'b', type: 'string' }] };
    const error = await registry.register('t-value', breaking).catch((e: unknown) => e);
    expect((error as MediaAiError).code).toBe('MEDIA_AI_SCHEMA_REJECTED');
    expect((error as MediaAiError).message).toMatch(/BACKWARD_TRANSITIVE/);
    expect(registry.versions('t-value')).toEqual([1]);
    // Under NONE anything valid goes.
    const lax = new InProcessSchemaRegistry({ compatibility: 'NONE' });
    await lax.register('t-value', v1);
    await expect(lax.register('t-value', breaking)).resolves.toBe(2);
  });

  it('checks every earlier version under BACKWARD_TRANSITIVE but only the latest under BACKWARD', async () => {
    const withDefault = { ...v1, fields: [...v1.fields, { name: 'b', type: 'string', default: '' }] };
    const withoutDefault = { ...v1, fields: [...v1.fields, { name: 'b', type: 'string' }] };
    const transitive = new InProcessSchemaRegistry();
    await transitive.register('t-value', v1);
    await transitive.register('t-value', withDefault);
    expect(await codeOf(transitive.register('t-value', withoutDefault))).toBe('MEDIA_AI_SCHEMA_REJECTED');

    const backward = new InProcessSchemaRegistry({ compatibility: 'BACKWARD' });
    await backward.register('t-value', v1);
    await backward.register('t-value', withDefault);
    await expect(backward.register('t-value', withoutDefault)).resolves.toBe(3);
  });
});

describe('InProcessSchemaRegistry lookups and compatibility settings', () => {
  it('looks a schema up per subject without registering it', async () => {
    const registry = new InProcessSchemaRegistry();
    expect(await registry.lookup('t-value', v1)).toBeNull();
    const id = await registry.register('t-value', v1);
    await registry.register('t-value', v2);
    expect(await registry.lookup('t-value', v1)).toBe(id);
    expect(registry.find('t-value', v1)).toEqual({ subject: 't-value', version: 1, id, schema: v1 });
    expect(await registry.lookup('other-value', v1)).toBeNull();
    expect(await codeOf(registry.lookup('t-value', { type: 'record', name: 'X', fields: [{ name: 'a', type: 'nope' }] }))).toBe(
      'MEDIA_AI_SCHEMA_REJECTED',
    );
    expect(registry.subjectNames()).toEqual(['t-value']);
  });

  it('numbers versions per subject from 1 and answers the latest', async () => {
    const registry = new InProcessSchemaRegistry();
    await registry.register('t-value', v1);
    const id2 = await registry.register('t-value', v2);
    expect(registry.subjectVersion('t-value', 'latest')).toMatchObject({ version: 2, id: id2 });
    expect(registry.subjectVersion('t-value', 1)?.schema).toEqual(v1);
    expect(registry.subjectVersion('t-value', 3)).toBeUndefined();
    expect(registry.subjectVersion('none-value', 'latest')).toBeUndefined();
  });

  it('checks with a subject level over the global one, and FORWARD the other way round', async () => {
    const withoutB = v1;
    const withB = { ...v1, fields: [...v1.fields, { name: 'b', type: 'string' }] };
    const registry = new InProcessSchemaRegistry();
    registry.setCompatibility('FORWARD', 'f-value');
    expect(registry.compatibility('f-value')).toBe('FORWARD');
    expect(registry.subjectCompatibility('g-value')).toBeUndefined();
    expect(registry.compatibility('g-value')).toBe('BACKWARD_TRANSITIVE');
    // Adding a field without a default: FORWARD accepts (the old reader ignores it), BACKWARD does not.
    await registry.register('f-value', withoutB);
    await expect(registry.register('f-value', withB)).resolves.toBeGreaterThan(0);
    await registry.register('g-value', withoutB);
    expect(await codeOf(registry.register('g-value', withB))).toBe('MEDIA_AI_SCHEMA_REJECTED');
    // FULL wants both directions.
    registry.setCompatibility('FULL', 'g-value');
    expect(registry.testCompatibility('g-value', withB)).toMatchObject({ compatible: false });
    registry.setCompatibility('NONE');
    expect(registry.compatibility('h-value')).toBe('NONE');
  });

  it('tests compatibility without registering, against the level or one chosen version', async () => {
    const withDefault = { ...v1, fields: [...v1.fields, { name: 'b', type: 'string', default: '' }] };
    const withoutDefault = { ...v1, fields: [...v1.fields, { name: 'b', type: 'string' }] };
    const registry = new InProcessSchemaRegistry();
    expect(registry.testCompatibility('t-value', withoutDefault)).toEqual({ compatible: true, messages: [] });
    await registry.register('t-value', v1);
    await registry.register('t-value', withDefault);
    const verdict = registry.testCompatibility('t-value', withoutDefault);
    expect(verdict?.compatible).toBe(false);
    expect(verdict?.messages).toEqual([expect.stringMatching(/^Incompatible with version 1 \(id 1\) under BACKWARD_TRANSITIVE: /)]);
    // Against version 2 alone it reads fine (b is written there).
    expect(registry.testCompatibility('t-value', withoutDefault, 2)).toEqual({ compatible: true, messages: [] });
    expect(registry.testCompatibility('t-value', withoutDefault, 'latest')?.compatible).toBe(true);
    expect(registry.testCompatibility('t-value', withoutDefault, 1)?.compatible).toBe(false);
    expect(registry.testCompatibility('t-value', withoutDefault, 7)).toBeUndefined();
    expect(registry.versions('t-value')).toHaveLength(2);
  });
});
