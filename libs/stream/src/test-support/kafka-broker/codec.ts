/**
 * Test Kafka broker: readers and writers for the primitive types of the Kafka wire protocol (big-endian
 * fixed-width integers, int16-length strings, int32-length bytes and arrays, zig-zag varints of the
 * record format). It knows nothing about APIs or messages, and must never guess at a malformed input:
 * reading past the end throws, so the connection carrying it gets closed like a real broker would.
 */

export class ProtocolError extends Error {
  override name = 'ProtocolError';
}

export class Reader {
  private offset = 0;

  constructor(private readonly buffer: Buffer) {}

  get remaining(): number {
    return this.buffer.length - this.offset;
  }

  private take(size: number): number {
    if (size < 0 || this.offset + size > this.buffer.length) {
      throw new ProtocolError(`read of ${size} bytes at ${this.offset} overruns a ${this.buffer.length}-byte buffer`);
    }
    const at = this.offset;
    this.offset += size;
    return at;
  }

  int8(): number {
    return this.buffer.readInt8(this.take(1));
  }

  int16(): number {
    return this.buffer.readInt16BE(this.take(2));
  }

  int32(): number {
    return this.buffer.readInt32BE(this.take(4));
  }

  int64(): bigint {
    return this.buffer.readBigInt64BE(this.take(8));
  }

  /** Offsets and timestamps fit a double exactly (2^53 is far beyond any test log or clock). */
  int64AsNumber(): number {
    return Number(this.int64());
  }

  boolean(): boolean {
    return this.int8() !== 0;
  }

  nullableString(): string | null {
    const length = this.int16();
    if (length < 0) return null;
    const at = this.take(length);
    return this.buffer.toString('utf8', at, at + length);
  }

  string(): string {
    const value = this.nullableString();
    if (value === null) throw new ProtocolError('null where a non-nullable STRING was expected');
    return value;
  }

  nullableBytes(): Buffer | null {
    const length = this.int32();
    if (length < 0) return null;
    const at = this.take(length);
    return this.buffer.subarray(at, at + length);
  }

  bytes(): Buffer {
    return this.nullableBytes() ?? Buffer.alloc(0);
  }

  /** Kafka encodes a null array as length -1; callers that accept null use this one. */
  nullableArray<T>(item: (reader: Reader) => T): T[] | null {
    const length = this.int32();
    if (length < 0) return null;
    // Each element takes at least one byte, so a bigger count can only be garbage: refuse before allocating.
    if (length > this.remaining) throw new ProtocolError(`array of ${length} elements in ${this.remaining} bytes`);
    const items: T[] = [];
    for (let i = 0; i < length; i += 1) items.push(item(this));
    return items;
  }

  array<T>(item: (reader: Reader) => T): T[] {
    return this.nullableArray(item) ?? [];
  }

  raw(size: number): Buffer {
    const at = this.take(size);
    return this.buffer.subarray(at, at + size);
  }

  rest(): Buffer {
    return this.raw(this.remaining);
  }

  /** Unsigned LEB128, at most 5 bytes (32 bits). */
  unsignedVarint(): number {
    let value = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const byte = this.buffer.readUInt8(this.take(1));
      value |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return value >>> 0;
    }
    throw new ProtocolError('varint longer than 5 bytes');
  }

  /** Zig-zag signed varint, as used for lengths and deltas inside v2 records. */
  varint(): number {
    const raw = this.unsignedVarint();
    return (raw >>> 1) ^ -(raw & 1);
  }

  /** Zig-zag signed varlong (timestamp deltas can exceed 32 bits). */
  varlong(): bigint {
    let raw = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      const byte = BigInt(this.buffer.readUInt8(this.take(1)));
      raw |= (byte & 0x7fn) << shift;
      if ((byte & 0x80n) === 0n) return (raw >> 1n) ^ -(raw & 1n);
    }
    throw new ProtocolError('varlong longer than 10 bytes');
  }

  varintBytes(): Buffer | null {
    const length = this.varint();
    if (length < 0) return null;
    return this.raw(length);
  }
}

export class Writer {
  private buffer: Buffer;
  private offset = 0;

  constructor(initialSize = 256) {
    this.buffer = Buffer.allocUnsafe(initialSize);
  }

  get length(): number {
    return this.offset;
  }

  /** Grows the buffer if needed: call it before touching this.buffer, which it may replace. */
  private reserve(size: number): number {
    if (this.offset + size > this.buffer.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.offset + size));
      this.buffer.copy(grown, 0, 0, this.offset);
      this.buffer = grown;
    }
    const at = this.offset;
    this.offset += size;
    return at;
  }

  int8(value: number): this {
    const at = this.reserve(1);
    this.buffer.writeInt8(value, at);
    return this;
  }

  int16(value: number): this {
    const at = this.reserve(2);
    this.buffer.writeInt16BE(value, at);
    return this;
  }

  int32(value: number): this {
    const at = this.reserve(4);
    this.buffer.writeInt32BE(value, at);
    return this;
  }

  int64(value: bigint | number): this {
    const at = this.reserve(8);
    this.buffer.writeBigInt64BE(BigInt(value), at);
    return this;
  }

  boolean(value: boolean): this {
    return this.int8(value ? 1 : 0);
  }

  string(value: string | null): this {
    if (value === null) return this.int16(-1);
    const length = Buffer.byteLength(value, 'utf8');
    this.int16(length);
    const at = this.reserve(length);
    this.buffer.write(value, at, length, 'utf8');
    return this;
  }

  bytes(value: Buffer | null): this {
    if (value === null) return this.int32(-1);
    this.int32(value.length);
    return this.raw(value);
  }

  array<T>(items: readonly T[] | null, write: (writer: this, item: T) => void): this {
    if (items === null) return this.int32(-1);
    this.int32(items.length);
    for (const item of items) write(this, item);
    return this;
  }

  raw(value: Buffer): this {
    const at = this.reserve(value.length);
    value.copy(this.buffer, at);
    return this;
  }

  toBuffer(): Buffer {
    return this.buffer.subarray(0, this.offset);
  }
}
