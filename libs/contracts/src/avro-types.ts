/**
 * Turns an Avro schema (plain JSON) into an avsc Type that is safe to point at bytes from the
 * network. Used by the registry, the schema loader and the codecs so all three parse alike.
 * It must never hand out a Type whose decoder can be made to loop by a corrupt length prefix.
 */
import avro from 'avsc';

/** A schema as JSON (what a .avsc file and the registry hold). */
export type AvroSchema = Record<string, unknown>;

/**
 * Unions stay plain values (`null` or the value, never `{string: ...}` wrappers) because records.ts
 * models them as `T | null`. All our unions are ["null", T], which avsc never finds ambiguous.
 */
function parseOptions(): Partial<avro.ForSchemaOptions> {
  // forSchema writes its registry into the options object, so each parse gets a fresh one.
  return { wrapUnions: false, typeHook: guardedBlockType };
}

export function parseAvroSchema(schema: unknown): avro.Type {
  return avro.Type.forSchema(schema as avro.Schema, parseOptions());
}

/**
 * Why `reader` cannot read what `writer` wrote, pointing at the field ("field photos[].status: ...")
 * where avsc only says `cannot read "int" as "string"`: an operator fixing a schema needs the field.
 * Undefined when no single culprit is found; callers then fall back to avsc's message.
 */
export function explainUnreadable(reader: avro.Type, writer: avro.Type, path = ''): string | undefined {
  const { RecordType, ArrayType, MapType, EnumType } = avro.types;
  if (reader instanceof RecordType && writer instanceof RecordType) {
    if (!sameName(reader, writer))
      return `${path ? `field ${path}: ` : ''}${writer.name} is read as ${reader.name}, which lists no alias for it`;
    for (const field of reader.fields) {
      const at = path ? `${path}.${field.name}` : field.name;
      const written = writer.field(field.name) ?? field.aliases.map((alias) => writer.field(alias)).find((f) => f !== undefined);
      if (!written) {
        if (field.defaultValue() === undefined) return `field ${at} is new and has no default, so data written without it cannot be read`;
        continue;
      }
      try {
        field.type.createResolver(written.type);
      } catch {
        return (
          explainUnreadable(field.type, written.type, at) ??
          `field ${at}: ${describeType(written.type)} written, read as ${describeType(field.type)}`
        );
      }
    }
    return undefined;
  }
  if (reader instanceof ArrayType && writer instanceof ArrayType) return explainUnreadable(reader.itemsType, writer.itemsType, `${path}[]`);
  if (reader instanceof MapType && writer instanceof MapType)
    return explainUnreadable(reader.valuesType as avro.Type, writer.valuesType as avro.Type, `${path}{}`);
  if (reader instanceof EnumType && writer instanceof EnumType && sameName(reader, writer)) {
    const unknown = writer.symbols.filter((s) => !reader.symbols.includes(s));
    return `${path ? `field ${path}: ` : ''}symbols ${unknown.join(', ')} written, unknown to the reader, which has no default`;
  }
  return path ? `field ${path}: ${describeType(writer)} written, read as ${describeType(reader)}` : undefined;
}

/** Avro name resolution: same full name, or the reader lists the writer's name among its aliases. */
function sameName(reader: avro.Type, writer: avro.Type): boolean {
  return reader.name === writer.name || (writer.name !== undefined && (reader.aliases ?? []).includes(writer.name));
}

function describeType(type: avro.Type): string {
  if (type.name) return type.name;
  if (type instanceof avro.types.ArrayType) return `array of ${describeType(type.itemsType)}`;
  if (type instanceof avro.types.MapType) return `map of ${describeType(type.valuesType as avro.Type)}`;
  return type.typeName.startsWith('union') ? JSON.stringify(type.schema()) : type.typeName;
}

// --- Decoder guard -------------------------------------------------------------------------
//
// avsc reads an array or map block as "count, then count items". A corrupt or hostile count
// (e.g. 2^31 items in a 20-byte message) makes it loop for minutes, and a map never even fails:
// reads past the end of a buffer do not throw in avsc, they only mark the tap invalid. One such
// record would wedge its partition forever. Every item of a real block consumes at least one byte
// (zero-byte items only exist for `null`, which we never put in an array), so we stop as soon as
// the read position runs past the end of the buffer.

interface Tap {
  buf: Buffer;
  pos: number;
  readLong(): number;
  skipLong(): void;
  readString(): string;
  skipString(): void;
}
interface ItemReader {
  _read(tap: Tap): unknown;
  _skip(tap: Tap): void;
}

/** Items that consume no bytes (arrays of null) are legal but absurd; bound them anyway. */
const MAX_ZERO_BYTE_ITEMS = 1_000_000;

function overrun(tap: Tap): Error {
  return new Error(`truncated buffer: a block count points past the end (${tap.buf.length} bytes)`);
}

function eachItem(tap: Tap, count: number, readOne: () => void): void {
  let zeroByteItems = 0;
  for (let i = 0; i < count; i++) {
    const before = tap.pos;
    readOne();
    if (tap.pos > tap.buf.length) throw overrun(tap);
    if (tap.pos === before && ++zeroByteItems > MAX_ZERO_BYTE_ITEMS) throw overrun(tap);
  }
}

function blockCount(tap: Tap): number {
  let n = tap.readLong();
  if (n < 0) {
    // A negative count is followed by the block's byte size, which readers may skip.
    n = -n;
    tap.skipLong();
  }
  if (tap.pos > tap.buf.length) throw overrun(tap);
  return n;
}

/** Skips an array or map written by a newer writer that our reader drops. */
function skipBlocks(tap: Tap, inner: ItemReader, isMap: boolean): void {
  let n: number;
  while ((n = tap.readLong())) {
    if (n < 0) {
      // Sized block: skip it whole.
      const size = tap.readLong();
      tap.pos += size;
      if (size < 0 || tap.pos > tap.buf.length) throw overrun(tap);
      continue;
    }
    eachItem(tap, n, () => {
      if (isMap) tap.skipString();
      inner._skip(tap);
    });
  }
}

// avsc freezes its types, so the guard is a subclass chosen through forSchema's typeHook; resolvers
// copy `_read` from the reader type, so resolved reads are guarded too. `this` is the type or, when
// reading through a resolver, the resolver (which carries the resolved itemsType / valuesType).
class GuardedArrayType extends avro.types.ArrayType {
  _read(this: { itemsType: ItemReader }, tap: Tap): unknown[] {
    const items = this.itemsType;
    const out: unknown[] = [];
    let n: number;
    while ((n = blockCount(tap))) eachItem(tap, n, () => out.push(items._read(tap)));
    return out;
  }

  _skip(this: { itemsType: ItemReader }, tap: Tap): void {
    skipBlocks(tap, this.itemsType, false);
  }
}

class GuardedMapType extends avro.types.MapType {
  _read(this: { valuesType: ItemReader }, tap: Tap): Record<string, unknown> {
    const values = this.valuesType;
    const out: Record<string, unknown> = {};
    let n: number;
    while ((n = blockCount(tap))) {
      eachItem(tap, n, () => {
        const key = tap.readString();
        out[key] = values._read(tap);
      });
    }
    return out;
  }

  _skip(this: { valuesType: ItemReader }, tap: Tap): void {
    skipBlocks(tap, this.valuesType, true);
  }
}

function guardedBlockType(schema: avro.Schema, opts: avro.ForSchemaOptions): avro.Type | undefined {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return undefined;
  const kind = (schema as { type?: unknown }).type;
  if (kind === 'array') return new GuardedArrayType(schema, opts);
  if (kind === 'map') return new GuardedMapType(schema, opts);
  return undefined;
}
