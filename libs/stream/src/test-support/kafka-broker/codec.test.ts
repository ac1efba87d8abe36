/**
 * The broker's primitive codec against kafkajs' own encoder and decoder, so both ends of the wire
 * agree on every type, including the zig-zag varints of the record format.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { ProtocolError, Reader, Writer } from './codec.js';

const require = createRequire(import.meta.url);
interface KafkajsEncoder {
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
};

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
