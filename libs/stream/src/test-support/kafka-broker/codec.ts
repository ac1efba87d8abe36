/**
 * Test Kafka broker: readers and writers for the primitive types of the Kafka wire protocol (big-endian
 * fixed-width integers, int16-length strings, int32-length bytes and arrays, zig-zag varints of the
 * record format) and of its flexible versions (KIP-482: compact strings, bytes and arrays with unsigned
 * varint lengths, tagged fields). A Reader or Writer made with `flexible: true` reads and writes the
 * compact forms through the same string/bytes/array methods and tagged fields through tags(), so a
 * handler reads one field list for every version. It knows nothing about APIs or messages, and must
 * never guess at a malformed input: reading past the end throws, so the connection carrying it gets
 * closed like a real broker would.
 */

export class ProtocolError extends Error {
  override name = 'ProtocolError';
}

export interface CodecOptions {
  /** The request or response uses a flexible version (compact types and tagged fields). Default false. */
  flexible?: boolean;
}

/** A tagged field as read: its tag and raw value (this broker reads no tags so far, it keeps them for tests). */
export interface TaggedField {
  tag: number;
  value: Buffer;
}

export class Reader {
  private offset = 0;
  readonly flexible: boolean;

  constructor(
    private readonly buffer: Buffer,
    options: CodecOptions = {},
  ) {
    this.flexible = options.flexible ?? false;
  }

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

  /** A length prefix: int16/int32 in classic versions, unsigned varint N+1 (0 = null) in flexible ones; -1 = null. */
  private lengthPrefix(classic: () => number): number {
    return this.flexible ? this.unsignedVarint() - 1 : classic();
  }

  nullableString(): string | null {
    const length = this.lengthPrefix(() => this.int16());
    if (length < 0) return null;
    const at = this.take(length);
    return this.buffer.toString('utf8', at, at + length);
  }

  string(): string {
    const value = this.nullableString();
    if (value === null) throw new ProtocolError('null where a non-nullable STRING was expected');
    return value;
  }

  /** Always the classic int16-length form, whatever the mode: the request header's client id (KIP-482 keeps it). */
  classicNullableString(): string | null {
    const length = this.int16();
    if (length < 0) return null;
    const at = this.take(length);
    return this.buffer.toString('utf8', at, at + length);
  }

  nullableBytes(): Buffer | null {
    const length = this.lengthPrefix(() => this.int32());
    if (length < 0) return null;
    const at = this.take(length);
    return this.buffer.subarray(at, at + length);
  }

  bytes(): Buffer {
    return this.nullableBytes() ?? Buffer.alloc(0);
  }

  /** Kafka encodes a null array as length -1 (compact: 0); callers that accept null use this one. */
  nullableArray<T>(item: (reader: Reader) => T): T[] | null {
    const length = this.lengthPrefix(() => this.int32());
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

  /**
   * The tagged fields that end every structure of a flexible version (nothing in a classic one). Tags
   * this broker does not know are skipped, as the protocol requires; they must be in ascending order.
   */
  tags(): TaggedField[] {
    if (!this.flexible) return [];
    const count = this.unsignedVarint();
    if (count > this.remaining) throw new ProtocolError(`${count} tagged fields in ${this.remaining} bytes`);
    const fields: TaggedField[] = [];
    for (let i = 0; i < count; i += 1) {
      const tag = this.unsignedVarint();
      if (fields.length > 0 && tag <= fields[fields.length - 1]!.tag) throw new ProtocolError(`tagged field ${tag} out of order`);
      fields.push({ tag, value: this.raw(this.unsignedVarint()) });
    }
    return fields;
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

export interface WriterOptions extends CodecOptions {
  /** Bytes to allocate up front (the buffer grows as needed). Default 256. */
  initialSize?: number;
}

export class Writer {
  private buffer: Buffer;
  private offset = 0;
  readonly flexible: boolean;

  constructor(options: WriterOptions = {}) {
    this.buffer = Buffer.allocUnsafe(options.initialSize ?? 256);
    this.flexible = options.flexible ?? false;
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

  /** A length prefix in the mode's form; -1 = null. */
  private lengthPrefix(value: number, classic: (value: number) => this): this {
    return this.flexible ? this.unsignedVarint(value + 1) : classic(value);
  }

  string(value: string | null): this {
    if (value === null) return this.lengthPrefix(-1, (v) => this.int16(v));
    const length = Buffer.byteLength(value, 'utf8');
    this.lengthPrefix(length, (v) => this.int16(v));
    const at = this.reserve(length);
    this.buffer.write(value, at, length, 'utf8');
    return this;
  }

  bytes(value: Buffer | null): this {
    if (value === null) return this.lengthPrefix(-1, (v) => this.int32(v));
    this.lengthPrefix(value.length, (v) => this.int32(v));
    return this.raw(value);
  }

  array<T>(items: readonly T[] | null, write: (writer: this, item: T) => void): this {
    if (items === null) return this.lengthPrefix(-1, (v) => this.int32(v));
    this.lengthPrefix(items.length, (v) => this.int32(v));
    for (const item of items) write(this, item);
    return this;
  }

  /** Tagged fields closing a structure: none are ever sent (an empty set), and nothing at all in a classic version. */
  tags(): this {
    return this.flexible ? this.unsignedVarint(0) : this;
  }

  unsignedVarint(value: number): this {
    if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw new RangeError(`${value} is not an unsigned 32-bit integer`);
    let rest = value;
    while (rest > 0x7f) {
      this.int8Unsigned((rest & 0x7f) | 0x80);
      rest = Math.floor(rest / 128);
    }
    return this.int8Unsigned(rest);
  }

  private int8Unsigned(value: number): this {
    const at = this.reserve(1);
    this.buffer.writeUInt8(value, at);
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
