/**
 * The broker's primitive codec against kafkajs' own encoder and decoder, so both ends of the wire
 * agree on every type, including the zig-zag varints of the record format; and its flexible-version
 * types (KIP-482) against the byte examples of the protocol guide and protobuf's varint spec.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { ProtocolError, Reader, Writer } from './codec.js';

const require = createRequire(import.meta.url);
interface KafkajsEncoder {
  writeUVarInt(v: number): KafkajsEncoder;
  writeUVarIntString(v: string | null): KafkajsEncoder;
  writeInt32(v: number): KafkajsEncoder;
  writeVarInt(v: number): KafkajsEncoder;
  writeVarLong(v: number): KafkajsEncoder;
  writeString(v: string | null): KafkajsEncoder;
  writeBytes(v: Buffer | null): KafkajsEncoder;
  writeInt64(v: string): KafkajsEncoder;
  buffer: Buffer;
}
const KafkajsEncoder = require('kafkajs/src/protocol/encoder.js') as new () => KafkajsEncoder;
const KafkajsDecoder = require('kafkajs/src/protocol/decoder.js') as new (b: Buffer) => {
  readString(): string | null;
  readBytes(): Buffer | null;
  readInt64(): { toString(): string };
  readArray<T>(item: (d: unknown) => T): T[];
  readInt32(): number;
  readInt16(): number;
  readUVarInt(): number;
  readUVarIntString(): string | null;
  readUVarIntArray<T>(item: (d: unknown) => T): T[] | null;
  readTaggedFields(): unknown;
  canReadBytes(n: number): boolean;
};

const hex = (buffer: Buffer) => buffer.toString('hex');

describe('codec', () => {
  it('keeps everything written while the buffer grows', () => {
    const writer = new Writer({ initialSize: 4 });
    const long = 'x'.repeat(300);
    writer.int8(1).int16(2).int32(3).int64(4n).string(long).bytes(Buffer.alloc(700, 7)).string(null).bytes(null);
    const reader = new Reader(writer.toBuffer());
    expect([reader.int8(), reader.int16(), reader.int32(), reader.int64()]).toEqual([1, 2, 3, 4n]);
    expect(reader.string()).toBe(long);
    expect(reader.bytes()).toEqual(Buffer.alloc(700, 7));
    expect([reader.nullableString(), reader.nullableBytes(), reader.remaining]).toEqual([null, null, 0]);
  });

  it('decodes the varints kafkajs encodes, at every width and sign', () => {
    const ints = [0, 1, -1, 63, -64, 64, 300, -300, 2 ** 20, -(2 ** 20), 2 ** 31 - 1, -(2 ** 31)];
    const longs = [0, -1, 1, 2 ** 40, -(2 ** 40), Number.MAX_SAFE_INTEGER];
    const encoder = new KafkajsEncoder();
    for (const value of ints) encoder.writeVarInt(value);
    for (const value of longs) encoder.writeVarLong(value);
    const reader = new Reader(encoder.buffer);
    expect(ints.map(() => reader.varint())).toEqual(ints);
    expect(longs.map(() => reader.varlong())).toEqual(longs.map(BigInt));
  });

  it('writes what the kafkajs decoder reads', () => {
    const body = new Writer()
      .string('topic')
      .bytes(Buffer.from('abc'))
      .int64(-2)
      .array([5, 6], (w, n) => w.int32(n))
      .toBuffer();
    const decoder = new KafkajsDecoder(body);
    expect(decoder.readString()).toBe('topic');
    expect(decoder.readBytes()).toEqual(Buffer.from('abc'));
    expect(decoder.readInt64().toString()).toBe('-2');
    expect(decoder.readArray(() => decoder.readInt32())).toEqual([5, 6]);
  });

  it('refuses to read past the end, and absurd array lengths', () => {
    expect(() => new Reader(Buffer.alloc(3)).int32()).toThrow(ProtocolError);
    expect(() => new Reader(new Writer().int32(1_000_000).toBuffer()).array((r) => r.int32())).toThrow(ProtocolError);
    expect(() => new Reader(new Writer().string('abc').toBuffer().subarray(0, 4)).string()).toThrow(ProtocolError);
  });
});

describe('codec, flexible versions', () => {
  it('writes unsigned varints as protobuf does (its spec examples, and the 32-bit edge)', () => {
    const cases: Array<[number, string]> = [
      [0, '00'],
      [1, '01'],
      [127, '7f'],
      [128, '8001'],
      [150, '9601'], // protobuf encoding guide
      [300, 'ac02'], // protobuf encoding guide
      [2 ** 32 - 1, 'ffffffff0f'],
    ];
    for (const [value, bytes] of cases) {
      expect(hex(new Writer().unsignedVarint(value).toBuffer())).toBe(bytes);
      expect(new Reader(Buffer.from(bytes, 'hex')).unsignedVarint()).toBe(value);
      expect(hex(new KafkajsEncoder().writeUVarInt(value).buffer)).toBe(bytes);
    }
    expect(() => new Writer().unsignedVarint(-1)).toThrow(RangeError);
    expect(() => new Reader(Buffer.from('ffffffffff01', 'hex')).unsignedVarint()).toThrow(ProtocolError);
  });

  it('writes compact strings, bytes and arrays with length+1 (0 = null), and empty tagged fields', () => {
    const flexible = () => new Writer({ flexible: true });
    expect(hex(flexible().string('abc').toBuffer())).toBe('04616263');
    expect(hex(flexible().string('').toBuffer())).toBe('01');
    expect(hex(flexible().string(null).toBuffer())).toBe('00');
    expect(
      hex(
        flexible()
          .bytes(Buffer.from([0xca, 0xfe]))
          .toBuffer(),
      ),
    ).toBe('03cafe');
    expect(hex(flexible().bytes(null).toBuffer())).toBe('00');
    expect(
      hex(
        flexible()
          .array([5, 6], (w, n) => w.int32(n))
          .toBuffer(),
      ),
    ).toBe('030000000500000006');
    expect(
      hex(
        flexible()
          .array(null, () => undefined)
          .toBuffer(),
      ),
    ).toBe('00');
    expect(hex(flexible().tags().toBuffer())).toBe('00');
    // The same calls in a classic version keep the int16/int32 lengths and write no tags at all.
    expect(
      hex(
        new Writer()
          .string('abc')
          .array([5], (w, n) => w.int32(n))
          .tags()
          .toBuffer(),
      ),
    ).toBe('000361626300000001' + '00000005');
  });

  it('agrees with kafkajs on compact types in both directions', () => {
    const ours = new Writer({ flexible: true })
      .string('topic')
      .string(null)
      .array(['a', 'bc'], (w, s) => w.string(s).tags())
      .tags()
      .toBuffer();
    const decoder = new KafkajsDecoder(ours);
    expect(decoder.readUVarIntString()).toBe('topic');
    expect(decoder.readUVarIntString()).toBe(null);
    expect(
      decoder.readUVarIntArray((d) => {
        const value = (d as typeof decoder).readUVarIntString();
        (d as typeof decoder).readTaggedFields();
        return value;
      }),
    ).toEqual(['a', 'bc']);
    decoder.readTaggedFields();
    expect(decoder.canReadBytes(1)).toBe(false);

    const theirs = new KafkajsEncoder()
      .writeUVarIntString('group')
      .writeUVarIntString(null)
      .writeUVarInt(3)
      .writeInt32(7)
      .writeInt32(8).buffer;
    const reader = new Reader(theirs, { flexible: true });
    expect([reader.string(), reader.nullableString(), reader.array((r) => r.int32()), reader.remaining]).toEqual([
      'group',
      null,
      [7, 8],
      0,
    ]);
  });

  it('reads tagged fields in tag order, skips their values, and refuses them out of order', () => {
    // Two fields: tag 0 with 2 bytes, tag 5 with 1 byte; then an int8 after the tag section.
    const reader = new Reader(Buffer.from('02' + '0002abcd' + '0501ef' + '2a', 'hex'), { flexible: true });
    expect(reader.tags()).toEqual([
      { tag: 0, value: Buffer.from('abcd', 'hex') },
      { tag: 5, value: Buffer.from('ef', 'hex') },
    ]);
    expect(reader.int8()).toBe(42);
    expect(() => new Reader(Buffer.from('02' + '0501ef' + '0002abcd', 'hex'), { flexible: true }).tags()).toThrow(/out of order/);
    // A classic-version reader has no tag section to read.
    const classic = new Reader(Buffer.from('2a', 'hex'));
    expect(classic.tags()).toEqual([]);
    expect(classic.int8()).toBe(42);
  });

  it('refuses compact lengths that overrun the buffer, and keeps the header client id classic', () => {
    expect(() => new Reader(Buffer.from('ff7f', 'hex'), { flexible: true }).array((r) => r.int8())).toThrow(ProtocolError);
    expect(() => new Reader(Buffer.from('0561', 'hex'), { flexible: true }).string()).toThrow(ProtocolError);
    expect(() => new Reader(Buffer.from('00', 'hex'), { flexible: true }).string()).toThrow(/null where a non-nullable STRING/);
    // Request header v2 keeps client_id as an int16-length NULLABLE_STRING (KIP-482), whatever the mode.
    expect(new Reader(Buffer.from('000772646b61666b61', 'hex'), { flexible: true }).classicNullableString()).toBe('rdkafka');
  });
});
