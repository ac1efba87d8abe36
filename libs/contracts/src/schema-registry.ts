/**
 * The schema registry as the codecs see it, and an in-process registry that behaves like
 * Confluent's for the embedded mode and tests. A Confluent adapter (over
 * @kafkajs/confluent-schema-registry) implements the same two calls and lives with the Kafka wiring.
 * A registry must never hand out two ids for the same schema, nor reuse an id for another one:
 * ids are written into every record and decoded years later.
 */
import { MediaAiError } from './errors.js';
import { parseAvroSchema, type AvroSchema } from './avro-types.js';

/**
 * What the codecs need from a registry. Shaped after the Confluent REST API so an adapter is a
 * thin mapping:
 * - `register(subject, schema)` -> `registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(schema) }, { subject })`, returning `.id`;
 * - `getSchema(id)` -> the writer schema as JSON (`(await registry.getSchema(id)).schema()` on the avsc
 *   Type the library returns, or `GET /schemas/ids/{id}`).
 *
 * Contract for implementations: `getSchema` rejects with `MediaAiError('MEDIA_AI_UNKNOWN_SCHEMA')`
 * when the registry answers "not found" (Confluent: HTTP 404, error_code 40403) and with anything
 * else when the registry could not be asked (network, 5xx): the codecs cache the first as a fact
 * about the record and retry the second.
 */
export interface SchemaRegistryClient {
  /** Registers `schema` under `subject` (idempotent) and returns its global id. */
  register(subject: string, schema: object): Promise<number>;
  /** The schema (JSON) registered under `id`. */
  getSchema(id: number): Promise<object>;
}

/** Confluent's TopicNameStrategy for record values: `<topic>-value`. */
export function subjectForTopic(topic: string): string {
  return `${topic}-value`;
}

/**
 * Confluent compatibility levels we support. BACKWARD: the new schema reads data written with the
 * latest version; BACKWARD_TRANSITIVE: with every earlier version (the project's rule, see
 * schemas/avro/README.md).
 */
export type SchemaCompatibility = 'NONE' | 'BACKWARD' | 'BACKWARD_TRANSITIVE';

export interface InProcessSchemaRegistryOptions {
  /** Defaults to BACKWARD_TRANSITIVE, the level the project's topics are configured with. */
  compatibility?: SchemaCompatibility;
}

interface StoredSchema {
  id: number;
  canonical: string;
  schema: AvroSchema;
}

/**
 * Confluent semantics, in memory: ids are global and start at 1; the same schema gets the same id
 * under any subject (so re-registering at every start-up is free); each subject keeps an ordered
 * list of versions; a schema that is not valid Avro or breaks the subject's compatibility is refused.
 */
export class InProcessSchemaRegistry implements SchemaRegistryClient {
  private readonly compatibility: SchemaCompatibility;
  private readonly byId = new Map<number, StoredSchema>();
  private readonly byCanonical = new Map<string, StoredSchema>();
  private readonly subjects = new Map<string, StoredSchema[]>();

  constructor(options: InProcessSchemaRegistryOptions = {}) {
    this.compatibility = options.compatibility ?? 'BACKWARD_TRANSITIVE';
  }

  async register(subject: string, schema: object): Promise<number> {
    if (!subject) throw new MediaAiError('MEDIA_AI_SCHEMA_REJECTED', 'A schema subject must not be empty');
    let type;
    try {
      type = parseAvroSchema(schema);
    } catch (error) {
      throw new MediaAiError('MEDIA_AI_SCHEMA_REJECTED', `Subject ${subject}: not a valid Avro schema: ${(error as Error).message}`, {
        cause: error,
        details: { subject },
      });
    }
    const canonical = canonicalJson(schema);
    const versions = this.subjects.get(subject) ?? [];
    const existing = versions.find((v) => v.canonical === canonical);
    if (existing) return existing.id;

    const earlier = this.compatibility === 'BACKWARD_TRANSITIVE' ? versions : this.compatibility === 'BACKWARD' ? versions.slice(-1) : [];
    for (const old of earlier) {
      try {
        // The new schema must be able to read what the old one wrote (avsc throws when it cannot).
        type.createResolver(parseAvroSchema(old.schema));
      } catch (error) {
        throw new MediaAiError(
          'MEDIA_AI_SCHEMA_REJECTED',
          `Subject ${subject}: schema is not ${this.compatibility} compatible with id ${old.id}: ${(error as Error).message}`,
          { cause: error, details: { subject, incompatibleWithId: old.id } },
        );
      }
    }

    let stored = this.byCanonical.get(canonical);
    if (!stored) {
      stored = { id: this.byId.size + 1, canonical, schema: structuredClone(schema) as AvroSchema };
      this.byId.set(stored.id, stored);
      this.byCanonical.set(canonical, stored);
    }
    versions.push(stored);
    this.subjects.set(subject, versions);
    return stored.id;
  }

  async getSchema(id: number): Promise<object> {
    const stored = this.byId.get(id);
    if (!stored) {
      throw new MediaAiError('MEDIA_AI_UNKNOWN_SCHEMA', `Schema id ${id} is not registered`, { details: { schemaId: id } });
    }
    // A copy, so a caller cannot change what later readers get.
    return structuredClone(stored.schema);
  }

  /** Ids registered under `subject`, oldest version first (Confluent's version 1, 2, ...). */
  versions(subject: string): number[] {
    return (this.subjects.get(subject) ?? []).map((v) => v.id);
  }

  subjectNames(): string[] {
    return [...this.subjects.keys()].sort();
  }
}

/**
 * JSON with object keys sorted: key order and whitespace carry no meaning in Avro, so they must not
 * mint a new id (Confluent compares parsed schemas the same way). Array order (fields, symbols,
 * union branches) does carry meaning and is kept.
 */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}
