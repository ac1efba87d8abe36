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
    const reordered = JSON.parse(`{ "fields": [ {"type":"string","name":"a"} ], "namespace":"media_ai.v1", "name": "Thing", "type": "record" }`) as object;
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
