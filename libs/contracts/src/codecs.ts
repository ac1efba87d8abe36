/**
 * The codecs of every topic: Avro in the Confluent wire format (0x00, 4-byte big-endian schema id,
 * Avro body) for the internal topics, UTF-8 JSON at the edges (posts.events in, enrichment out), and
 * raw bytes on the dead-letter topic. Both transports use these, so a record looks the same on Kafka
 * and in-process.
 * A codec must never guess: a record it cannot read with its schema fails with a MediaAiError code
 * the runner can act on (dead-letter it), never with a half-decoded value.
 */
import type avro from 'avsc';
import { MediaAiError } from './errors.js';
import { parseAvroSchema } from './avro-types.js';
import type { Codec, Codecs } from './codec.js';
import { currentManifest, type AnyVersionManifest } from './manifest-versions.js';
import type { SchemaRegistryClient } from './schema-registry.js';
import { TOPICS } from './topics.js';

const MAGIC_BYTE = 0x00;
const HEADER_LENGTH = 5;
/**
 * Corrupt headers carry random ids; each one would otherwise stay in the negative cache for its
 * whole TTL, so a stream of garbage could grow it without bound.
 */
const MAX_UNKNOWN_IDS = 1024;

/**
 * Topics whose older records need more than reader-schema defaults to reach their current form: a
 * manifest written before v3 reads its typed post, owner and organization from its JSON copies.
 */
const CURRENT_FORM: ReadonlyMap<string, (value: unknown) => unknown> = new Map([
  [TOPICS.posts, (value: unknown) => currentManifest(value as AnyVersionManifest)],
]);

export interface CreateCodecsOptions {
  registry: SchemaRegistryClient;
  /**
   * Topic -> id of the schema this process writes with and reads into (from `registerSchemas`).
   * Every topic listed here gets an Avro codec.
   */
  schemaIds: Readonly<Record<string, number>>;
  /** Output topic of post.enhanced events (KAFKA_POST_ENHANCED_TOPIC). */
  enrichmentTopic: string;
  deadLetterTopic: string;
  /** Input topics from fn-posts (KAFKA_CONSUMER_TOPICS), JSON; defaults to `posts.events`. */
  postsEventsTopics?: readonly string[];
  /**
   * How long an id the registry said it does not know stays known-unknown. Ids are immutable, so a
   * miss is usually final; the expiry only lets a lagging registry replica catch up.
   */
  unknownSchemaTtlMs?: number;
  /** Clock for the negative cache (tests). */
  now?: () => number;
}

export function createCodecs(options: CreateCodecsOptions): Codecs {
  const postsEventsTopics = options.postsEventsTopics?.length ? options.postsEventsTopics : [TOPICS.postsEvents];
  const schemas = new WriterSchemas(options.registry, options.unknownSchemaTtlMs ?? 60_000, options.now ?? Date.now);
  const codecs = new Map<string, Codec>();
  for (const [topic, id] of Object.entries(options.schemaIds)) {
    codecs.set(topic, new AvroCodec(topic, id, schemas, CURRENT_FORM.get(topic)));
  }
  // Later entries win on purpose: a topic cannot be both an edge and an internal Avro topic, and the
  // edges' formats are fixed by the neighbours that read and write them.
  for (const topic of postsEventsTopics) codecs.set(topic, new JsonCodec(topic));
  codecs.set(options.enrichmentTopic, new JsonCodec(options.enrichmentTopic));
  codecs.set(options.deadLetterTopic, new RawBytesCodec(options.deadLetterTopic));

  return {
    forTopic(topic: string): Codec {
      const codec = codecs.get(topic);
      if (!codec) {
        throw new Error(`No codec for topic "${topic}"; known topics: ${[...codecs.keys()].sort().join(', ')}`);
      }
      return codec;
    },
  };
}

/** Writer schemas by id, fetched once and shared by every topic (ids are global in a registry). */
class WriterSchemas {
  private readonly known = new Map<number, Promise<avro.Type>>();
  private readonly unknown = new Map<number, { until: number; error: MediaAiError }>();

  constructor(
    private readonly registry: SchemaRegistryClient,
    private readonly unknownTtlMs: number,
    private readonly now: () => number,
  ) {}

  async typeOf(id: number): Promise<avro.Type> {
    const miss = this.unknown.get(id);
    if (miss && miss.until > this.now()) throw miss.error;
    let pending = this.known.get(id);
    if (!pending) {
      // One request per id even when a whole batch arrives with a new id at once.
      pending = this.fetch(id);
      this.known.set(id, pending);
      pending.catch(() => this.known.delete(id));
    }
    return pending;
  }

  private async fetch(id: number): Promise<avro.Type> {
    let schema: object;
    try {
      schema = await this.registry.getSchema(id);
    } catch (error) {
      if (error instanceof MediaAiError && error.code === 'MEDIA_AI_UNKNOWN_SCHEMA') this.rememberUnknown(id, error);
      // Anything else (registry unreachable) stays uncached and surfaces as retryable.
      throw error;
    }
    try {
      return parseAvroSchema(schema);
    } catch (error) {
      const unusable = new MediaAiError(
        'MEDIA_AI_UNKNOWN_SCHEMA',
        `Schema id ${id} is not a usable Avro schema: ${(error as Error).message}`,
        {
          cause: error,
          details: { schemaId: id },
        },
      );
      this.rememberUnknown(id, unusable);
      throw unusable;
    }
  }

  private rememberUnknown(id: number, error: MediaAiError): void {
    this.unknown.delete(id);
    // Maps iterate in insertion order: the first key is the oldest entry.
    if (this.unknown.size >= MAX_UNKNOWN_IDS) this.unknown.delete(this.unknown.keys().next().value as number);
    this.unknown.set(id, { until: this.now() + this.unknownTtlMs, error });
  }
}

class AvroCodec implements Codec {
  /** Writer id -> how to read its bytes into our reader schema (or why we cannot). */
  private readonly resolvers = new Map<number, avro.Resolver | MediaAiError>();

  constructor(
    private readonly topic: string,
    private readonly schemaId: number,
    private readonly schemas: WriterSchemas,
    /** Applied to records another schema version wrote, after resolution (see CURRENT_FORM). */
    private readonly currentForm: (value: unknown) => unknown = (value) => value,
  ) {
    if (!Number.isInteger(schemaId) || schemaId < 0 || schemaId > 0x7fffffff) {
      throw new Error(`Schema id for topic "${topic}" must be a non-negative 32-bit integer, got ${schemaId}`);
    }
  }

  async encode(value: unknown): Promise<Buffer> {
    const type = await this.schemas.typeOf(this.schemaId);
    const badPaths: string[] = [];
    // noUndeclaredFields: a misspelt or extra field is a bug in the producing stage, not data to drop.
    if (!type.isValid(value, { noUndeclaredFields: true, errorHook: (path) => badPaths.push(path.join('.') || '(root)') })) {
      throw new MediaAiError(
        'MEDIA_AI_BAD_RECORD',
        `Value for ${this.topic} does not match schema ${type.name ?? ''} at: ${badPaths.join(', ')}`,
        {
          details: { topic: this.topic, schemaId: this.schemaId, paths: badPaths.join(',') },
        },
      );
    }
    const body = type.toBuffer(value);
    const header = Buffer.alloc(HEADER_LENGTH);
    header.writeUInt8(MAGIC_BYTE, 0);
    header.writeUInt32BE(this.schemaId, 1);
    return Buffer.concat([header, body]);
  }

  async decode(input: Buffer): Promise<unknown> {
    // Kafka hands out Buffers; an in-process transport may hand out plain Uint8Arrays.
    const bytes = input instanceof Uint8Array ? Buffer.from(input.buffer, input.byteOffset, input.byteLength) : null;
    if (!bytes || bytes.length < HEADER_LENGTH) {
      throw this.bad(`record is ${bytes ? `${bytes.length} bytes` : 'not bytes'}, shorter than the 5-byte Confluent header`);
    }
    const magic = bytes.readUInt8(0);
    if (magic !== MAGIC_BYTE) {
      throw this.bad(`magic byte is 0x${magic.toString(16).padStart(2, '0')}, not 0x00: not Confluent wire format`);
    }
    const writerId = bytes.readUInt32BE(1);
    const writer = await this.schemas.typeOf(writerId);
    const reader = await this.schemas.typeOf(this.schemaId);
    const resolver = writerId === this.schemaId ? undefined : this.resolverFor(writerId, reader, writer);
    let value: unknown;
    try {
      value = reader.fromBuffer(bytes.subarray(HEADER_LENGTH), resolver);
    } catch (error) {
      throw this.bad(`body does not decode with schema id ${writerId}: ${(error as Error).message}`, error, writerId);
    }
    return resolver ? this.currentForm(value) : value;
  }

  private resolverFor(writerId: number, reader: avro.Type, writer: avro.Type): avro.Resolver {
    let resolver = this.resolvers.get(writerId);
    if (!resolver) {
      try {
        resolver = reader.createResolver(writer);
      } catch (error) {
        // e.g. a record of another topic, or a writer that broke compatibility.
        resolver = this.bad(
          `schema id ${writerId} (${writer.name ?? writer.typeName}) cannot be read as ${reader.name ?? reader.typeName}: ${(error as Error).message}`,
          error,
          writerId,
        );
      }
      this.resolvers.set(writerId, resolver);
    }
    if (resolver instanceof MediaAiError) throw resolver;
    return resolver;
  }

  private bad(reason: string, cause?: unknown, writerId?: number): MediaAiError {
    return new MediaAiError('MEDIA_AI_BAD_RECORD', `${this.topic}: ${reason}`, {
      cause,
      details: writerId === undefined ? { topic: this.topic } : { topic: this.topic, schemaId: writerId },
    });
  }
}

/**
 * UTF-8 JSON for the edges, whose neighbours speak JSON. Unreadable bytes are a bad *event*
 * (MEDIA_AI_BAD_EVENT): these topics carry events, not schema'd records. Decoding rejects bytes that
 * are not valid UTF-8 instead of reading U+FFFD into a value.
 */
class JsonCodec implements Codec {
  private readonly utf8 = new TextDecoder('utf-8', { fatal: true });

  constructor(private readonly topic: string) {}

  async encode(value: unknown): Promise<Buffer> {
    let text: string | undefined;
    try {
      text = JSON.stringify(value);
    } catch (error) {
      throw new MediaAiError('MEDIA_AI_BAD_RECORD', `${this.topic}: value cannot be written as JSON: ${(error as Error).message}`, {
        cause: error,
      });
    }
    if (text === undefined) {
      throw new MediaAiError('MEDIA_AI_BAD_RECORD', `${this.topic}: value cannot be written as JSON (${typeof value})`);
    }
    return Buffer.from(text, 'utf8');
  }

  async decode(bytes: Buffer): Promise<unknown> {
    try {
      return JSON.parse(this.utf8.decode(bytes));
    } catch (error) {
      throw new MediaAiError('MEDIA_AI_BAD_EVENT', `${this.topic}: not UTF-8 JSON: ${(error as Error).message}`, {
        cause: error,
        details: { topic: this.topic },
      });
    }
  }
}

/** Dead letters keep the original bytes untouched: whatever could not be read must be replayable. */
class RawBytesCodec implements Codec {
  constructor(private readonly topic: string) {}

  async encode(value: unknown): Promise<Buffer> {
    if (Buffer.isBuffer(value)) return value;
    if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    throw new MediaAiError(
      'MEDIA_AI_BAD_RECORD',
      `${this.topic}: dead letters are raw bytes, got ${value === null ? 'null' : typeof value}`,
    );
  }

  async decode(bytes: Buffer): Promise<unknown> {
    return bytes;
  }
}
