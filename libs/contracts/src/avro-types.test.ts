import avro from 'avsc';
import { describe, expect, it } from 'vitest';
import { explainUnreadable, parseAvroSchema } from './avro-types.js';

const long = avro.Type.forSchema('long');
/** Bytes of an Avro block count (a zigzag varint long). */
const count = (n: number): Buffer => long.toBuffer(n);

const withList = (items: unknown) => ({
  type: 'record',
  name: 'R',
  fields: [{ name: 'xs', type: { type: 'array', items } }],
});
const withMap = { type: 'record', name: 'R', fields: [{ name: 'm', type: { type: 'map', values: 'string' } }] };

/** Runs `fn` and returns how long it took; the bombs below must fail fast, not loop. */
function timed(fn: () => unknown): { error: unknown; ms: number } {
  const start = performance.now();
  try {
    fn();
    return { error: undefined, ms: performance.now() - start };
  } catch (error) {
    return { error, ms: performance.now() - start };
  }
}

describe('parseAvroSchema', () => {
  it('keeps ["null", T] unions as plain values', () => {
    const type = parseAvroSchema({ type: 'record', name: 'R', fields: [{ name: 'a', type: ['null', 'string'], default: null }] });
    expect(type.fromBuffer(type.toBuffer({ a: 'x' }))).toEqual({ a: 'x' });
    expect(type.fromBuffer(type.toBuffer({ a: null }))).toEqual({ a: null });
  });

  it('still round-trips arrays and maps, including multi-block and sized-block encodings', () => {
    const type = parseAvroSchema({
      type: 'record',
      name: 'R',
      fields: [
        { name: 'xs', type: { type: 'array', items: 'string' } },
        { name: 'm', type: { type: 'map', values: 'int' } },
      ],
    });
    const value = { xs: ['a', 'bb', ''], m: { one: 1, two: 2 } };
    expect(type.fromBuffer(type.toBuffer(value))).toEqual(value);
    // Two blocks, the second with a negative count + byte size, as other Avro writers may emit.
    const str = avro.Type.forSchema('string');
    const body = Buffer.concat([
      count(1),
      str.toBuffer('a'),
      count(-2),
      count(4),
      str.toBuffer('bb'),
      str.toBuffer(''),
      count(0),
      count(0),
    ]);
    expect(type.fromBuffer(body)).toEqual({ xs: ['a', 'bb', ''], m: {} });
  });

  it('fails fast on an array whose count points past the end (instead of looping or allocating)', () => {
    const type = parseAvroSchema(withList({ type: 'record', name: 'I', fields: [{ name: 's', type: 'string' }] }));
    const { error, ms } = timed(() => type.fromBuffer(Buffer.concat([count(2 ** 31 - 1), Buffer.from([2, 65])])));
    expect(String(error)).toMatch(/truncated/);
    expect(ms).toBeLessThan(1000);
  });

  it('fails fast on a map bomb (unguarded avsc loops here for minutes)', () => {
    const type = parseAvroSchema(withMap);
    const { error, ms } = timed(() => type.fromBuffer(count(2 ** 40)));
    expect(String(error)).toMatch(/truncated/);
    expect(ms).toBeLessThan(1000);
  });

  it('guards reads through a resolver, and skips of fields the reader drops', () => {
    const writer = parseAvroSchema({
      type: 'record',
      name: 'R',
      fields: [
        { name: 'a', type: 'string' },
        { name: 'dropped', type: { type: 'map', values: 'string' } },
        { name: 'xs', type: { type: 'array', items: 'string' } },
      ],
    });
    const reader = parseAvroSchema({
      type: 'record',
      name: 'R',
      fields: [
        { name: 'a', type: 'string' },
        { name: 'xs', type: { type: 'array', items: 'string' } },
      ],
    });
    const resolver = reader.createResolver(writer);
    const good = writer.toBuffer({ a: 'k', dropped: { x: 'y' }, xs: ['1'] });
    expect(reader.fromBuffer(good, resolver)).toEqual({ a: 'k', xs: ['1'] });

    const str = avro.Type.forSchema('string');
    const skipBomb = Buffer.concat([str.toBuffer('k'), count(2 ** 40)]);
    const skip = timed(() => reader.fromBuffer(skipBomb, resolver));
    expect(String(skip.error)).toMatch(/truncated/);
    expect(skip.ms).toBeLessThan(1000);

    const readBomb = Buffer.concat([str.toBuffer('k'), count(0), count(2 ** 30)]);
    const read = timed(() => reader.fromBuffer(readBomb, resolver));
    expect(String(read.error)).toMatch(/truncated/);
    expect(read.ms).toBeLessThan(1000);
  });
});

describe('explainUnreadable', () => {
  const box = { type: 'record', name: 'Box', fields: [{ name: 'x', type: 'double' }] };
  const v1 = {
    type: 'record',
    name: 'Thing',
    namespace: 'media_ai.v1',
    fields: [
      { name: 'a', type: 'int' },
      {
        name: 'items',
        type: {
          type: 'array',
          items: {
            type: 'record',
            name: 'Item',
            fields: [
              { name: 'status', type: { type: 'enum', name: 'S', symbols: ['ok', 'failed'] } },
              { name: 'box', type: box },
            ],
          },
        },
      },
    ],
  };
  const edit = (change: (s: typeof v1) => object) => change(structuredClone(v1));
  const why = (reader: object, writer: object) => explainUnreadable(parseAvroSchema(reader), parseAvroSchema(writer));

  it('names a new field without a default', () => {
    expect(
      why(
        edit((s) => ({ ...s, fields: [...s.fields, { name: 'b', type: 'string' }] })),
        v1,
      ),
    ).toBe('field b is new and has no default, so data written without it cannot be read');
  });

  it('names a changed type, nested fields by path', () => {
    expect(
      why(
        edit((s) => ({ ...s, fields: [{ name: 'a', type: 'string' }, s.fields[1]] })),
        v1,
      ),
    ).toBe('field a: int written, read as string');
    const narrower = edit((s) => {
      const items = (s.fields[1]?.type as { items: { fields: { name: string; type: unknown }[] } }).items;
      items.fields[1] = { name: 'box', type: { ...box, fields: [{ name: 'x', type: 'float' }] } };
      return s;
    });
    expect(why(narrower, v1)).toBe('field items[].box.x: double written, read as float');
  });

  it('names enum symbols a reader without a default cannot take, and a rename without an alias', () => {
    const more = edit((s) => {
      const items = (s.fields[1]?.type as { items: { fields: { type: { symbols: string[] } }[] } }).items;
      (items.fields[0] as { type: { symbols: string[] } }).type.symbols.push('skipped');
      return s;
    });
    expect(why(v1, more)).toBe('field items[].status: symbols skipped written, unknown to the reader, which has no default');
    expect(why({ ...v1, name: 'Renamed' }, v1)).toBe('media_ai.v1.Thing is read as media_ai.v1.Renamed, which lists no alias for it');
    expect(why({ ...v1, name: 'Renamed', aliases: ['Thing'] }, v1)).toBeUndefined();
  });
});
